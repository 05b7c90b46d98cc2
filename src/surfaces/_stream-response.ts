import type { Writable } from "node:stream";
import { FastResponse } from "srvx";

// Turning an async iterable of upstream chunks into a streamed web Response, with back-pressure
// (pull-based), keep-alive comments, and upstream release when the client goes away.

export interface StreamResponseOptions<T> {
  /** Text for each chunk (already framed, e.g. `data: {...}\n\n`). */
  frame: (chunk: T) => string | undefined;
  /** Text to write first (e.g. an SSE comment so headers reach the client at once). */
  prelude?: string;
  /** True once nothing more is needed (e.g. a stop sequence matched): the upstream is released, the epilogue follows. */
  stop?: () => boolean;
  /** Text after the last chunk (e.g. `data: [DONE]\n\n`); may throw (the stream failed) or wait. */
  epilogue?: () => string | undefined | Promise<string | undefined>;
  /** A failure after the stream started: text of the in-band error event. */
  onError: (error: unknown) => string | undefined;
  /** Keep-alive text every `keepAliveMs` while the upstream is silent (0 disables). */
  keepAlive?: string;
  keepAliveMs?: number;
  headers: Record<string, string>;
  /** Called once when the stream is over (finished, failed, or cancelled); a returned promise is awaited before the last event is sent. */
  onClose?: (outcome: "done" | "error" | "cancelled", error?: unknown) => Promise<void> | undefined | void;
}

type Outcome = "done" | "error" | "cancelled";

let headSink = 0; // a use of the character read below, so the read is never optimized away

/**
 * Node builds a response's head as one concatenation per header name, separator, value and line end,
 * and keeps it (`_header`) as long as the response: a rope of some 35 pieces, about 1 KB per open
 * stream. Reading a character flattens the string in place (V8), leaving one flat copy.
 */
function flattenHead(out: object): void {
  const head = (out as { _header?: unknown })._header;
  if (typeof head === "string" && head.length > 0) headSink ^= head.charCodeAt(head.length - 1);
}

/**
 * The response body: an object with `pipe(destination)` (and no `on`), which srvx hands the Node
 * response itself (`body.pipe(res)`), and which a web Response reads through one PassThrough. Frames
 * are written straight into the destination: no Readable of ours, no `stream.pipeline` (its four
 * end-of-stream watchers and their closures were held for the whole stream), no extra hop per chunk.
 * Pull-based: the next upstream chunk is awaited only once the destination took the previous ones.
 */
class StreamBody<T> {
  #iterator: AsyncIterator<T>;
  #options: StreamResponseOptions<T>;
  #out: Writable | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  #pumping = false;
  #waiting = false; // the destination is full: 'drain' resumes the pump

  constructor(iterable: AsyncIterable<T>, options: StreamResponseOptions<T>) {
    this.#iterator = iterable[Symbol.asyncIterator]();
    this.#options = options;
  }

  pipe<W extends Writable>(out: W): W {
    if (this.#out || this.#closed) return out;
    this.#out = out;
    flattenHead(out);
    out.on("drain", this.#drained);
    out.on("close", this.#gone);
    out.on("error", this.#gone); // a destination that failed is a client gone; never an unhandled 'error'
    const { prelude, keepAlive, keepAliveMs } = this.#options;
    if (prelude) out.write(prelude);
    if (keepAlive && keepAliveMs) {
      this.#timer = setInterval(() => this.#write(keepAlive), keepAliveMs);
      this.#timer.unref?.();
    }
    void this.#pump();
    return out;
  }

  /** Called (unbound) by srvx for a HEAD request or a response it gives up on, and when a web body is cancelled. */
  destroy = (): void => this.#gone();
  abort = (): void => this.#gone();

  #drained = (): void => {
    if (this.#waiting && !this.#pumping && !this.#closed) void this.#pump();
  };

  /** The client went away (or the destination failed) before the stream was over. */
  #gone = (): void => {
    if (this.#closed) return;
    void this.#finish("cancelled");
    // Releases the upstream connection (the SSE parser cancels its body).
    Promise.resolve(this.#iterator.return?.()).catch(() => {});
  };

  #finish(outcome: Outcome, error?: unknown) {
    if (this.#closed) return undefined;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    return this.#options.onClose?.(outcome, error);
  }

  /** False when the destination is full (or gone). */
  #write(text: string): boolean {
    const out = this.#out;
    if (this.#closed || !out || out.destroyed || out.writableEnded) return false;
    return out.write(text);
  }

  #end(tail: string | undefined): void {
    const out = this.#out!;
    out.off("drain", this.#drained);
    if (out.destroyed || out.writableEnded) return;
    if (tail) out.end(tail);
    else out.end();
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    this.#waiting = false;
    const iterator = this.#iterator;
    const options = this.#options;
    try {
      for (;;) {
        let step: IteratorResult<T> | undefined = await iterator.next();
        if (this.#closed) return;
        let over = step.done === true;
        if (!over) {
          const text = options.frame(step.value);
          step = undefined; // not held by this frame while the next chunk is awaited
          over = options.stop?.() === true;
          if (over)
            await iterator.return?.(); // releases the upstream stream
          // Stop when the client's buffer is full: 'drain' resumes us.
          else if (text && !this.#write(text)) {
            this.#waiting = true;
            return;
          }
          if (over && text) this.#write(text);
        }
        if (over) {
          const tail = await options.epilogue?.();
          if (this.#closed) return;
          await this.#finish("done"); // the usage record is durable before the last event goes out
          this.#end(tail);
          return;
        }
      }
    } catch (error) {
      // A frame or epilogue that threw leaves the upstream open: release it (a no-op when it failed itself).
      Promise.resolve(iterator.return?.()).catch(() => {});
      if (this.#closed) return;
      const text = options.onError(error);
      await this.#finish("error", error);
      this.#end(text);
    } finally {
      this.#pumping = false;
    }
  }
}

/**
 * A streamed body in srvx's FastResponse: on node:http srvx pipes it straight into the Node response
 * (Node's own back-pressure); through `proxy.fetch` it is still a standard web Response.
 */
export function streamResponse<T>(iterable: AsyncIterable<T>, options: StreamResponseOptions<T>): Response {
  return new FastResponse(new StreamBody(iterable, options) as never, { status: 200, headers: options.headers });
}

const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
});

/** SSE_HEADERS and `extra` in a new object (Object.assign: a literal adding keys after a spread is slow in V8). */
export const sseHeaders = (extra: Record<string, string>): Record<string, string> =>
  Object.assign({}, SSE_HEADERS, extra);
