// Shape checks for native generate bodies: Google-shaped 400s with a field path instead of
// forwarding garbage upstream (or crashing on it).
import { googleError } from "./wire-errors.ts";
import { NativeError } from "./failure.ts";

const fail = (message: string): never => {
  throw new NativeError(googleError(400, message));
};

export function validateNativeGenerate(body: Record<string, unknown>): void {
  const contents = body.contents;
  if (!Array.isArray(contents)) fail("Invalid value at 'contents': a non-empty array of Content is required");
  if ((contents as unknown[]).length === 0) fail("* GenerateContentRequest.contents: contents is not specified");
  (contents as unknown[]).forEach((content, i) => {
    if (!content || typeof content !== "object" || Array.isArray(content))
      fail(`Invalid value at 'contents[${i}]': must be a Content object`);
    const { role, parts } = content as { role?: unknown; parts?: unknown };
    if (role !== undefined && role !== "user" && role !== "model" && role !== "function" && role !== "tool") {
      fail(`Invalid value at 'contents[${i}].role': "${String(role)}" (expected "user" or "model")`);
    }
    if (!Array.isArray(parts) || parts.length === 0)
      fail(`* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`);
    (parts as unknown[]).forEach((part, j) => {
      if (!part || typeof part !== "object" || Array.isArray(part))
        fail(`Invalid value at 'contents[${i}].parts[${j}]': must be a Part object`);
    });
  });
  for (const key of ["generationConfig", "systemInstruction", "toolConfig"] as const) {
    const v = body[key];
    if (v !== undefined && (typeof v !== "object" || v === null || Array.isArray(v)))
      fail(`Invalid value at '${key}': must be an object`);
  }
  if (body.tools !== undefined && !Array.isArray(body.tools))
    fail("Invalid value at 'tools': must be an array of Tool");
}
