// Validation of GenerateContentRequest bodies, including Gemini 3 thought-signature checks (§5.4, §8.4).
import { SKIP_SIGNATURE } from "./constants.ts";
import { invalidArgument, type GoogleError } from "./errors.ts";
import { field, isObject } from "./http-util.ts";

type Content = Record<string, unknown>;
type Part = Record<string, unknown>;

export function partsOf(content: unknown): Part[] {
  const parts = isObject(content) ? content.parts : undefined;
  return Array.isArray(parts) ? parts.filter(isObject) : [];
}

function roleOf(content: Content): string {
  return typeof content.role === "string" ? content.role : "user";
}

/** `contents` must be a non-empty array of {role: user|model, parts: [non-empty parts]}. */
export function validateContents(contents: unknown, where = "GenerateContentRequest"): GoogleError | undefined {
  if (contents === undefined || (Array.isArray(contents) && contents.length === 0)) {
    return invalidArgument(`* ${where}.contents: contents is not specified\n`);
  }
  if (!Array.isArray(contents)) {
    return invalidArgument(
      "Invalid JSON payload received. Invalid value at 'request.contents': expected a list of Content (Proto field is repeating, cannot start object).",
      [
        {
          "@type": "type.googleapis.com/google.rpc.BadRequest",
          fieldViolations: [
            { field: "request.contents", description: "Invalid JSON payload received. Expected a list." },
          ],
        },
      ],
    );
  }
  for (const [i, c] of contents.entries()) {
    if (!isObject(c)) return invalidArgument(`* ${where}.contents[${i}]: must be an object\n`);
    if (c.role !== undefined && c.role !== "user" && c.role !== "model") {
      return invalidArgument("Please use a valid role: user, model.");
    }
    if (!Array.isArray(c.parts) || c.parts.length === 0) {
      return invalidArgument(`* ${where}.contents[${i}].parts: contents.parts must not be empty.\n`);
    }
    for (const [j, p] of c.parts.entries()) {
      if (!isObject(p) || !hasData(p)) {
        return invalidArgument(
          `* ${where}.contents[${i}].parts[${j}].data: required oneof field 'data' must have one initialized field\n`,
        );
      }
    }
  }
  return undefined;
}

const DATA_KEYS = [
  "text",
  "inlineData",
  "fileData",
  "functionCall",
  "functionResponse",
  "executableCode",
  "codeExecutionResult",
];

function hasData(p: Part): boolean {
  return DATA_KEYS.some((k) => field(p, k) !== undefined);
}

/** Index of the last user content with text and no functionResponse: the start of the current turn. */
export function currentTurnStart(contents: Content[]): number {
  for (let i = contents.length - 1; i >= 0; i--) {
    const c = contents[i];
    if (!c || roleOf(c) !== "user") continue;
    const parts = partsOf(c);
    const hasText = parts.some((p) => typeof p.text === "string");
    const hasResponse = parts.some((p) => field(p, "functionResponse") !== undefined);
    if (hasText && !hasResponse) return i;
  }
  return -1;
}

/**
 * Gemini 3: every model content of the current turn must carry a known signature (or the skip
 * literal) on its first functionCall part. Earlier turns are not checked.
 */
export function validateSignatures(contents: Content[], issued: (sig: string) => boolean): GoogleError | undefined {
  const start = currentTurnStart(contents);
  for (let i = start + 1; i < contents.length; i++) {
    const c = contents[i];
    if (!c || roleOf(c) !== "model") continue;
    const call = partsOf(c).find((p) => field(p, "functionCall") !== undefined);
    if (!call) continue;
    const sig = field(call, "thoughtSignature");
    const fc = field(call, "functionCall");
    const name = isObject(fc) && typeof fc.name === "string" ? fc.name : "";
    if (typeof sig !== "string" || sig === "") {
      return invalidArgument(
        `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${name}\` , position ${i + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`,
      );
    }
    if (sig !== SKIP_SIGNATURE && !issued(sig)) return invalidArgument("Corrupted thought signature.");
  }
  return undefined;
}

/** generationConfig.stopSequences: Gemini takes at most 5 ("supports up to 5 stop sequences"). */
export function validateGenerationConfig(request: unknown): GoogleError | undefined {
  const gc = isObject(request) ? request.generationConfig : undefined;
  const stops = isObject(gc) ? gc.stopSequences : undefined;
  if (Array.isArray(stops) && stops.length > 5)
    return invalidArgument(
      `* GenerateContentRequest.generation_config.stop_sequences: at most 5 stop sequences are supported (got ${stops.length}).\n`,
    );
  return undefined;
}
