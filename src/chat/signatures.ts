// Thought signatures on replayed tool calls (docs/openai-mapping.md#parts-and-thought-signatures,
// docs/upstream.md#thought-signatures). A call's signature is the client's copy (read by the surface
// into the block), else the one a thinking block before it carried, else the server-side store by
// call id. Then, for the CURRENT turn only (model turns after the last user turn that has text and
// no functionResponse — the only turns Gemini validates), a model turn whose first functionCall still
// lacks a signature gets Google's documented bypass value. We inject it for every model family, as
// Gemini CLI does (older families ignore it), and never on earlier turns (not validated; keeping
// history untouched).

import type { GeminiContent } from "../gemini/types.ts";
import type { ChatTurn } from "./types.ts";

export const SKIP_THOUGHT_SIGNATURE = "skip_thought_signature_validator";

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

/** Call ids whose signature only the server-side store can give (no client copy, no thinking block before them). */
export function callIdsToLoad(turns: readonly ChatTurn[]): string[] {
  const ids = new Set<string>();
  for (const t of turns) {
    if (t.role !== "assistant") continue;
    let signed = false;
    for (const b of t.blocks) {
      if (b.type === "thinking" && b.signature) signed = true;
      if (b.type !== "tool_call") continue;
      if (b.id && !b.signature && !signed) ids.add(b.id);
      signed = false;
    }
  }
  return [...ids];
}
