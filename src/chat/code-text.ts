// executableCode / codeExecutionResult parts of an answer, rendered as fenced markdown text.

import type { GeminiPart } from "../gemini/types.ts";

export function codeText(part: GeminiPart): string | undefined {
  if (part.executableCode)
    return `\n\`\`\`${(part.executableCode.language ?? "").toLowerCase().replace("language_unspecified", "")}\n${part.executableCode.code}\n\`\`\`\n`;
  if (part.codeExecutionResult) return `\n\`\`\`\n${part.codeExecutionResult.output ?? ""}\n\`\`\`\n`;
  return undefined;
}
