// Pieces shared by the non-streaming and streaming response translators.

import type { GeminiPart } from "../../gemini/types.ts";
import { restoreToolName } from "../../chat/tool-names.ts";

export const THINK_OPEN = "<think>\n";
export const THINK_CLOSE = "\n</think>\n\n";

export interface OpenAIToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
  extra_content?: { google: { thought_signature: string } };
}

export function toToolCall(
  call: { name?: string; args?: unknown },
  id: string,
  names: ReadonlyMap<string, string>,
  signature: string | undefined,
): OpenAIToolCall {
  const out: OpenAIToolCall = {
    id,
    type: "function",
    function: { name: restoreToolName(names, call.name ?? ""), arguments: JSON.stringify(call.args ?? {}) },
  };
  if (signature) out.extra_content = { google: { thought_signature: signature } };
  return out;
}

/** executableCode / codeExecutionResult parts as markdown text (undefined for other parts). */
export function codeText(part: GeminiPart): string | undefined {
  if (part.executableCode)
    return `\n\`\`\`${(part.executableCode.language ?? "").toLowerCase().replace("language_unspecified", "")}\n${part.executableCode.code}\n\`\`\`\n`;
  if (part.codeExecutionResult) return `\n\`\`\`\n${part.codeExecutionResult.output ?? ""}\n\`\`\`\n`;
  return undefined;
}
