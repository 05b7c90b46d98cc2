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

/**
 * The answer text as far as citation offsets need it, fed piece by piece while streaming: the length of
 * its all-ASCII start (where a UTF-8 byte offset is the index itself) and the text only from the first
 * other character on. An ASCII answer is not kept at all (a rope of one piece per chunk lived as long
 * as the stream); `index` gives what `byteToIndex` gives on the whole text.
 */
export function createCitationText(): { push(piece: string): void; index(byteOffset: number): number } {
  let ascii = 0;
  let rest: string | undefined;
  return {
    push(piece) {
      if (rest !== undefined) {
        rest += piece;
        return;
      }
      const at = piece.search(NON_ASCII);
      if (at === -1) ascii += piece.length;
      else {
        ascii += at;
        rest = piece.slice(at);
      }
    },
    index(byteOffset) {
      if (!(byteOffset > 0)) return 0;
      if (byteOffset <= ascii) return Math.ceil(byteOffset);
      return ascii + byteToIndex(rest ?? "", byteOffset - ascii);
    },
  };
}
const NON_ASCII = /[\u0080-\uffff]/; // any UTF-16 unit outside ASCII, surrogates included

/** Annotations for `text` (the visible answer, or its byte → index map); `shift` is added to every index (e.g. a <think> block before it). */
export function toAnnotations(
  grounding: GeminiCandidate["groundingMetadata"],
  text: string | ((byteOffset: number) => number),
  shift = 0,
): UrlCitation[] {
  const toIndex = typeof text === "string" ? (b: number) => byteToIndex(text, b) : text;
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
    const start = toIndex(s.segment?.startIndex ?? 0) + shift;
    const end = toIndex(s.segment?.endIndex ?? 0) + shift;
    for (const i of s.groundingChunkIndices ?? []) cite(i, start, end);
  }
  // Sources the model used but did not pin to a segment still belong in the list (indices 0, 0).
  chunks.forEach((_, i) => {
    if (!cited.has(i)) cite(i, 0, 0);
  });
  return out;
}
