import { Readable } from "node:stream";
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

/**
 * A Node readable (not a WHATWG stream) wrapped in srvx's FastResponse: on node:http it is piped
 * straight into the socket with Node's own back-pressure, and through `proxy.fetch` it still is a
 * standard web Response. Pull-based: the next upstream chunk is awaited only when the client has
 * drained the previous ones.
 */
export function streamResponse<T>(iterable: AsyncIterable<T>, options: StreamResponseOptions<T>): Response {
  const iterator = iterable[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  let pumping = false;
  const finish = (outcome: "done" | "error" | "cancelled", error?: unknown) => {
    if (closed) return undefined;
    closed = true;
    if (timer) clearInterval(timer);
    return options.onClose?.(outcome, error);
  };

  const readable: Readable = new Readable({
    read() {
      if (!pumping && !closed) void pump();
    },
    destroy(error, callback) {
      if (!closed) {
        finish("cancelled");
        // Releases the upstream connection (the SSE parser cancels its body).
        Promise.resolve(iterator.return?.()).catch(() => {});
      }
      callback(error);
    },
  });

  async function pump(): Promise<void> {
    pumping = true;
    try {
      for (;;) {
        const { done, value } = await iterator.next();
        if (closed) return;
        let over = done;
        if (!done) {
          const text = options.frame(value);
          over = options.stop?.() === true;
          if (over)
            await iterator.return?.(); // releases the upstream stream
          // Stop when the client's buffer is full: read() resumes us once it drained.
          else if (text && !readable.push(text)) return;
          if (over && text) readable.push(text);
        }
        if (over) {
          const tail = await options.epilogue?.();
          if (closed) return;
          await finish("done"); // the usage record is durable before the last event goes out
          if (tail) readable.push(tail);
          readable.push(null);
          return;
        }
      }
    } catch (error) {
      // A frame or epilogue that threw leaves the upstream open: release it (a no-op when it failed itself).
      Promise.resolve(iterator.return?.()).catch(() => {});
      if (closed) return;
      const text = options.onError(error);
      await finish("error", error);
      if (text) readable.push(text);
      readable.push(null);
    } finally {
      pumping = false;
    }
  }

  if (options.prelude) readable.push(options.prelude);
  if (options.keepAlive && options.keepAliveMs) {
    timer = setInterval(() => {
      if (!closed) readable.push(options.keepAlive!);
    }, options.keepAliveMs);
    timer.unref?.();
  }
  return new FastResponse(readable as never, { status: 200, headers: options.headers });
}

export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
});
