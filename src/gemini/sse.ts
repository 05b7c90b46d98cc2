// text/event-stream → JSON values, one per `data:` event: bytes → events (sse-split.ts), JSON
// decoding, and releasing the upstream connection.
import type { Readable } from "node:stream";
import { ReadableEvents } from "./sse-readable.ts";
import { createSSESplitter } from "./sse-split.ts";

export interface SSEParseOptions<T = unknown> {
  /** Called for each event whose data is not valid JSON; the event is skipped. */
  onInvalid?: (data: string, error: unknown) => void;
  /** Maps each parsed value (undefined: skipped): saves a generator per chunk on the hot path. */
  map?: (value: unknown) => T | undefined;
  /** Turns a failure to read the body into the error to throw. */
  wrapError?: (error: unknown) => unknown;
}

type Body = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Readable;

/** Parses a text/event-stream body into the JSON value of each `data:` event. */
export function parseSSE<T = unknown>(body: Body, options?: SSEParseOptions<T>): AsyncGenerator<T> {
  // A Node readable (undici's body, the hot path) is read through its events, without a generator;
  // other byte iterables go straight to the parsing loop; a web stream goes through its reader, so
  // that leaving early cancels it and frees the connection.
  if (isNodeReadable(body))
    return new ReadableEvents<T>(body, (ready) => createSSESplitter(eventHandler(ready, options)), options?.wrapError);
  return parseSSEText(isReadableStream(body) ? readerChunks(body) : body, options);
}

/** Same, for text chunks (tests, translators), or UTF-8 bytes. */
export async function* parseSSEText<T = unknown>(
  chunks: Iterable<string> | AsyncIterable<string> | AsyncIterable<Uint8Array>,
  options?: SSEParseOptions<T>,
): AsyncGenerator<T> {
  const ready: T[] = [];
  const splitter = createSSESplitter(eventHandler(ready, options));
  try {
    for await (const piece of chunks) {
      splitter.feed(typeof piece === "string" ? Buffer.from(piece, "utf8") : asBuffer(piece as Uint8Array));
      // Drain before the next read so a consumer that stops early never loses buffered events.
      if (ready.length === 0) continue;
      for (let i = 0; i < ready.length; i++) yield ready[i]!;
      ready.length = 0;
    }
  } catch (error) {
    throw options?.wrapError ? options.wrapError(error) : error;
  }
  // The Gemini CLI drops a last event that is not followed by a blank line; we are more lenient:
  // the end of the body ends the event (a truncated JSON still fails and goes to onInvalid).
  splitter.end();
  for (const value of ready) yield value;
}

/** Each event's data → its JSON value (mapped) into `ready`; empty events, [DONE] and invalid JSON skipped. */
function eventHandler<T>(ready: T[], options?: SSEParseOptions<T>): (data: string) => void {
  const map = options?.map;
  return (data) => {
    const text = data.trim();
    // Empty events carry nothing; [DONE] is the OpenAI-style terminator some relays append.
    if (text === "" || text === "[DONE]") return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      options?.onInvalid?.(data, error);
      return;
    }
    const out = map ? map(value) : (value as T);
    if (out !== undefined) ready.push(out);
  };
}

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A web stream's chunks; leaving early cancels it so the HTTP connection is freed. */
async function* readerChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield value;
    }
    finished = true;
  } finally {
    // Reached on consumer break/return() and on errors: cancel so the HTTP connection is freed.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

function isNodeReadable(body: unknown): body is Readable {
  const b = body as Readable;
  return typeof b.on === "function" && typeof b.pause === "function" && typeof b.destroy === "function";
}

function isReadableStream(body: unknown): body is ReadableStream<Uint8Array> {
  return typeof (body as ReadableStream<Uint8Array>).getReader === "function";
}
