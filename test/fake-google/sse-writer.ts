// Writes a streamed response (SSE or Google's JSON-array form) with the StreamScript framing options:
// CRLF/LF, multi-line data, comments, malformed event, missing final blank line, split writes,
// delays, premature close and hang.
import { sleep, writeHead, type Ctx } from "./http-util.ts";
import type { StreamScript } from "./types.ts";

interface Segment {
  buf: Buffer;
  /** Real events count for closeAfterEvents / hangAfterEvents; comments and broken events do not. */
  isEvent: boolean;
}

function sseSegments(events: unknown[], s: StreamScript, wrapped: boolean): Segment[] {
  const le = s.lineEnding ?? "\r\n";
  const out: Segment[] = [];
  const push = (text: string, isEvent: boolean): void => {
    out.push({ buf: Buffer.from(text, "utf8"), isEvent });
  };
  events.forEach((ev, i) => {
    const json = s.multilineData ? JSON.stringify(ev, null, 2) : JSON.stringify(ev);
    const data = json
      .split("\n")
      .map((l) => `data: ${l}${le}`)
      .join("");
    let head = "";
    if (s.comments) {
      if (i === 0) head += `: fake-google stream start${le}retry: 3000${le}${le}`;
      head += `: ping ${i}${le}id: ${i + 1}${le}event: message${le}`;
    }
    const last = i === events.length - 1;
    push(`${head}${data}${last && s.noTrailingBlankLine ? "" : le}`, true);
    if (i === 0 && s.malformedEvent) {
      push(`data: {"${wrapped ? "response" : "candidates"}": {"candidates": [{"content"${le}${le}`, false);
    }
  });
  return out;
}

/** Google's non-SSE stream: one JSON array, pretty-printed elements separated by ",\r\n". */
function arraySegments(events: unknown[]): Segment[] {
  return events.map((ev, i) => {
    const text = `${i === 0 ? "[" : "\n,\r\n"}${JSON.stringify(ev, null, 2)}${i === events.length - 1 ? "\n]" : ""}`;
    return { buf: Buffer.from(text, "utf8"), isEvent: true };
  });
}

/** Global byte offsets at which to cut the serialized stream into separate socket writes. */
export function cutOffsets(segments: Segment[], split: boolean | number[] | undefined): number[] {
  if (!split) return [];
  if (Array.isArray(split)) return [...split].sort((a, b) => a - b);
  let seed = 1234567;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  const cuts: number[] = [];
  let start = 0;
  for (const seg of segments) {
    const len = seg.buf.length;
    if (len > 3) cuts.push(start + 3); // inside "data:" (or inside the JSON opening)
    const lead = seg.buf.findIndex((b) => b >= 0xc0); // first multi-byte UTF-8 sequence
    if (lead >= 0) cuts.push(start + lead + 1);
    for (let p = 5 + (rand() % 33); p < len; p += 5 + (rand() % 33)) cuts.push(start + p);
    start += len;
  }
  return [...new Set(cuts)].sort((a, b) => a - b);
}

export async function writeStream(ctx: Ctx, events: unknown[], script: StreamScript, sse: boolean): Promise<void> {
  const { res, signal } = ctx;
  const gone = (): boolean => signal.aborted || res.destroyed;
  await sleep(script.firstByteDelayMs ?? 0, signal);
  if (gone()) return;
  writeHead(
    ctx,
    200,
    sse
      ? { "content-type": "text/event-stream", "cache-control": "no-cache", "x-content-type-options": "nosniff" }
      : { "content-type": "application/json; charset=UTF-8" },
  );
  res.flushHeaders();

  const wrapped = ctx.record.surface === "code-assist";
  const segments = sse ? sseSegments(events, script, wrapped) : arraySegments(events);
  const cuts = cutOffsets(segments, script.splitWrites);
  const write = (chunk: Buffer): Promise<void> => new Promise((resolve) => res.write(chunk, () => resolve()));

  let offset = 0;
  let sent = 0;
  for (const seg of segments) {
    if (seg.isEvent) {
      if (await stopAt(ctx, script, sent)) return;
      if (sent > 0) await sleep(script.chunkDelayMs ?? 0, signal);
    }
    const local = cuts.filter((c) => c > offset && c < offset + seg.buf.length).map((c) => c - offset);
    let pos = 0;
    for (const cut of [...local, seg.buf.length]) {
      if (gone()) return;
      await write(seg.buf.subarray(pos, cut));
      pos = cut;
      // A short gap keeps split writes from being coalesced into one read on the client.
      if (cuts.length > 0) await sleep(2, signal);
    }
    offset += seg.buf.length;
    if (seg.isEvent) sent += 1;
  }
  if (await stopAt(ctx, script, sent)) return;
  if (!gone()) res.end();
}

/** Applies closeAfterEvents / hangAfterEvents once `sent` events went out; true = stop writing. */
async function stopAt(ctx: Ctx, script: StreamScript, sent: number): Promise<boolean> {
  if (script.closeAfterEvents === sent) {
    ctx.selfClose();
    ctx.res.socket?.destroy();
    return true;
  }
  if (script.hangAfterEvents === sent) {
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      else ctx.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    return true;
  }
  return false;
}
