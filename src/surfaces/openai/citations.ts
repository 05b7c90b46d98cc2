// Google Search grounding → message.annotations url_citation (docs/openai-mapping.md#grounding-and-citations). Segment offsets
// are UTF-8 byte offsets into the answer text; OpenAI indices are JS string (UTF-16) indices.

import type { GeminiCandidate } from "../../gemini/types.ts";

export interface UrlCitation {
  type: "url_citation";
  url_citation: { start_index: number; end_index: number; title: string; url: string };
}

/** UTF-8 byte offset → UTF-16 index in `text` (clamped to the text). */
export function byteToIndex(text: string, byteOffset: number): number {
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < byteOffset) {
    const cp = text.codePointAt(i) as number;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

/** Annotations for `text` (the visible answer); `shift` is added to every index (e.g. a <think> block before it). */
export function toAnnotations(grounding: GeminiCandidate["groundingMetadata"], text: string, shift = 0): UrlCitation[] {
  const chunks = grounding?.groundingChunks ?? [];
  const out: UrlCitation[] = [];
  const cited = new Set<number>();
  const cite = (i: number, start: number, end: number): void => {
    const web = chunks[i]?.web;
    if (!web?.uri) return;
    cited.add(i);
    out.push({
      type: "url_citation",
      url_citation: { start_index: start, end_index: end, title: web.title ?? web.uri, url: web.uri },
    });
  };
  for (const s of grounding?.groundingSupports ?? []) {
    const start = byteToIndex(text, s.segment?.startIndex ?? 0) + shift;
    const end = byteToIndex(text, s.segment?.endIndex ?? 0) + shift;
    for (const i of s.groundingChunkIndices ?? []) cite(i, start, end);
  }
  // Sources the model used but did not pin to a segment still belong in the list (indices 0, 0).
  chunks.forEach((_, i) => {
    if (!cited.has(i)) cite(i, 0, 0);
  });
  return out;
}
