// text/event-stream → JSON values, one per `data:` event. Framing (CR/LF/CRLF, multi-line data,
// comments, id/retry/event fields) is delegated to eventsource-parser; this module only handles
// bytes → text, JSON decoding, and releasing the upstream connection.
import { createParser } from "eventsource-parser";

import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";

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
  // Byte chunks (a Node readable, any async iterable) are decoded in the parsing loop itself; a web
  // stream goes through its reader, so that leaving early cancels it and frees the connection.
  return parseSSEText(isReadableStream(body) ? decodeUtf8(body) : body, options);
}

/** Same, for already-decoded text chunks (tests, translators), or UTF-8 bytes. */
export async function* parseSSEText<T = unknown>(
  chunks: Iterable<string> | AsyncIterable<string> | AsyncIterable<Uint8Array>,
  options?: SSEParseOptions<T>,
): AsyncGenerator<T> {
  const decoder = new StringDecoder("utf8"); // holds a character split across two byte chunks
  const ready: T[] = [];
  const map = options?.map;
  const onData = (data: string): void => {
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
  // Unknown fields and bad `retry:` values arrive via onError; they are not ours to act on.
  const parser = createParser({ onEvent: (event) => onData(event.data), onError: () => {} });

  let first = true;
  try {
    for await (const piece of chunks) {
      const chunk = typeof piece === "string" ? piece : decoder.write(piece as Buffer);
      if (chunk === "") continue;
      // TextDecoder already drops a byte-order mark; decoded text handed in directly may still carry one.
      parser.feed(first && chunk.startsWith("\uFEFF") ? chunk.slice(1) : chunk);
      first = false;
      // Drain before the next read so a consumer that stops early never loses buffered events.
      for (let i = 0; i < ready.length; i++) yield ready[i]!;
      ready.length = 0;
    }
  } catch (error) {
    throw options?.wrapError ? options.wrapError(error) : error;
  }
  // The Gemini CLI drops a last event that is not followed by a blank line; we are more lenient:
  // terminating the stream ourselves flushes it (a truncated JSON still fails and goes to onInvalid).
  // A held trailing "\r" combines with the "\n" here, so this never yields an extra blank line.
  parser.feed(`${decoder.end()}\n\n`);
  for (const value of ready) yield value;
}

/** A web stream's text: a multi-byte character split across reads is held until complete. */
async function* decodeUtf8(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = decoder.decode(value, { stream: true });
      if (text !== "") yield text;
    }
    finished = true;
  } finally {
    // Reached on consumer break/return() and on errors: cancel so the HTTP connection is freed.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  const tail = decoder.decode();
  if (tail !== "") yield tail;
}

function isReadableStream(body: unknown): body is ReadableStream<Uint8Array> {
  return typeof (body as ReadableStream<Uint8Array>).getReader === "function";
}
