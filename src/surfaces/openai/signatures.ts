// Thought signatures on replayed tool calls (docs/openai-mapping.md#parts-and-thought-signatures, docs/upstream.md#thought-signatures).
// Lookup order for one tool call: the client's copy (extra_content.google.thought_signature, also
// function.extra_content…, thought_signature, thoughtSignature) → the server-side store by tool-call
// id → nothing. Then, for the CURRENT turn only (model turns after the last user turn that has text
// and no functionResponse — the only turns Gemini validates), a model turn whose first functionCall
// still lacks a signature gets Google's documented bypass value. We inject it for every model family,
// as Gemini CLI does (older families ignore it), and never on earlier turns (not validated; keeping
// history untouched).

import type { GeminiContent } from "../../gemini/types.ts";
import { isRecord } from "../../chat/values.ts";

export const SKIP_THOUGHT_SIGNATURE = "skip_thought_signature_validator";

function googleSig(o: unknown): string | undefined {
  if (!isRecord(o) || !isRecord(o.extra_content) || !isRecord(o.extra_content.google)) return undefined;
  const s = o.extra_content.google.thought_signature;
  return typeof s === "string" && s.length > 0 ? s : undefined;
}

export function callSignature(
  call: Record<string, unknown>,
  id: string | undefined,
  stored: ReadonlyMap<string, string> | undefined,
): string | undefined {
  const direct =
    googleSig(call) ??
    googleSig(call.function) ??
    (typeof call.thought_signature === "string" ? call.thought_signature : undefined) ??
    (typeof call.thoughtSignature === "string" ? call.thoughtSignature : undefined);
  if (direct) return direct;
  return id !== undefined ? stored?.get(id) : undefined;
}

export function ensureCurrentTurnSignatures(contents: GeminiContent[]): void {
  let start = 0;
  contents.forEach((c, i) => {
    if (
      c.role === "user" &&
      c.parts.some((p) => typeof p.text === "string" && p.text.length > 0) &&
      !c.parts.some((p) => p.functionResponse)
    )
      start = i + 1;
  });
  for (const c of contents.slice(start)) {
    if (c.role !== "model") continue;
    const first = c.parts.find((p) => p.functionCall);
    if (first && !first.thoughtSignature) first.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
  }
}
