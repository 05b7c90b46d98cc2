// Turning an async iterable of upstream chunks into a streamed web Response, with back-pressure
// (pull-based), keep-alive comments, and upstream release when the client goes away.

export interface StreamResponseOptions<T> {
  /** Text for each chunk (already framed, e.g. `data: {...}\n\n`). */
  frame: (chunk: T) => string | undefined;
  /** Text to write first (e.g. an SSE comment so headers reach the client at once). */
  prelude?: string;
  /** Text after the last chunk (e.g. `data: [DONE]\n\n`), or a function of nothing. */
  epilogue?: () => string | undefined;
  /** A failure after the stream started: text of the in-band error event. */
  onError: (error: unknown) => string | undefined;
  /** Keep-alive text every `keepAliveMs` while the upstream is silent (0 disables). */
  keepAlive?: string;
  keepAliveMs?: number;
  headers: Record<string, string>;
  /** Called once when the stream is over (finished, failed, or cancelled). */
  onClose?: (outcome: "done" | "error" | "cancelled", error?: unknown) => void;
}

const encoder = new TextEncoder();

export function streamResponse<T>(iterable: AsyncIterable<T>, options: StreamResponseOptions<T>): Response {
  const iterator = iterable[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  const finish = (outcome: "done" | "error" | "cancelled", error?: unknown) => {
    if (closed) return;
    closed = true;
    if (timer) clearInterval(timer);
    options.onClose?.(outcome, error);
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (options.prelude) controller.enqueue(encoder.encode(options.prelude));
      if (options.keepAlive && options.keepAliveMs) {
        timer = setInterval(() => {
          try {
            if (!closed) controller.enqueue(encoder.encode(options.keepAlive!));
          } catch {
            // the controller is already closed
          }
        }, options.keepAliveMs);
        timer.unref?.();
      }
    },
    async pull(controller) {
      try {
        // Skip chunks that frame to nothing so one pull always produces bytes or ends.
        for (;;) {
          const { done, value } = await iterator.next();
          if (done) {
            const tail = options.epilogue?.();
            if (tail) controller.enqueue(encoder.encode(tail));
            controller.close();
            finish("done");
            return;
          }
          const text = options.frame(value);
          if (text) {
            controller.enqueue(encoder.encode(text));
            return;
          }
        }
      } catch (error) {
        if (closed) return;
        const text = options.onError(error);
        try {
          if (text) controller.enqueue(encoder.encode(text));
          controller.close();
        } catch {
          // client already gone
        }
        finish("error", error);
      }
    },
    async cancel() {
      finish("cancelled");
      await iterator.return?.();
    },
  });
  return new Response(body, { status: 200, headers: options.headers });
}

export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
});
