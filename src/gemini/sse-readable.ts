// The events of a Node readable body (undici's), read through its own 'data'/'end'/'error' events
// rather than `for await`: no async generator of ours or of Node's readable iterator (and its
// end-of-stream watcher) held per open stream, one promise per awaited event. Back-pressure: the body
// is paused once 64 KB of parsed events wait for the consumer, resumed when it asks for more.
import type { Readable } from "node:stream";
import type { SSESplitter } from "./sse-split.ts";

type Waiter<T> = { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void };

const prematureClose = () =>
  Object.assign(new Error("The upstream body closed before it ended"), { code: "ERR_STREAM_PREMATURE_CLOSE" });
const ignore = () => {};
const BACKLOG_BYTES = 64 * 1024;

export class ReadableEvents<T> implements AsyncGenerator<T> {
  #body: Readable;
  #ready: T[] = [];
  #head = 0; // next value of #ready to hand out
  #backlog = 0; // bytes read since #ready last ran empty
  #splitter: SSESplitter;
  #wrapError: ((error: unknown) => unknown) | undefined;
  #waiter: Waiter<T> | undefined;
  #failure: { error: unknown } | undefined;
  #ended = false; // the body ended: what is in #ready is all there is
  #over = false; // nothing more to hand out (finished, failed and reported, or returned)

  constructor(body: Readable, splitter: (ready: T[]) => SSESplitter, wrapError?: (error: unknown) => unknown) {
    this.#body = body;
    this.#splitter = splitter(this.#ready);
    this.#wrapError = wrapError;
    body.on("data", this.#onData);
    body.on("end", this.#onEnd);
    body.on("error", this.#onError);
    body.on("close", this.#onClose);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#head < this.#ready.length) return Promise.resolve({ done: false, value: this.#take() });
    if (this.#over) return Promise.resolve({ done: true, value: undefined });
    if (this.#failure) return Promise.reject(this.#fail());
    if (this.#ended) return Promise.resolve(this.#finish());
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
      if (this.#body.isPaused()) this.#body.resume();
    });
  }

  /** Leaving early: the body is destroyed, which aborts the upstream request and frees the connection. */
  return(): Promise<IteratorResult<T>> {
    const ended = this.#ended;
    const result = this.#finish();
    if (!ended) this.#body.destroy();
    return Promise.resolve(result);
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  #take(): T {
    const value = this.#ready[this.#head]!;
    this.#ready[this.#head++] = undefined as T; // not held once handed out
    if (this.#head === this.#ready.length) this.#ready.length = this.#head = 0;
    return value;
  }

  #onData = (chunk: Buffer): void => {
    this.#splitter.feed(chunk);
    if (this.#head === this.#ready.length) return; // no complete event yet: keep reading
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter.resolve({ done: false, value: this.#take() });
    }
    // Read on while the consumer keeps up (a pause and resume per chunk doubled the CPU per chunk);
    // pause once as much as a stream's buffer holds waits parsed and unasked for.
    if (this.#head === this.#ready.length) this.#backlog = 0;
    else if ((this.#backlog += chunk.length) > BACKLOG_BYTES) this.#body.pause();
  };

  #onEnd = (): void => {
    this.#splitter.end();
    this.#ended = true;
    this.#settle();
  };

  #onError = (error: unknown): void => {
    this.#failure ??= { error: this.#wrapError ? this.#wrapError(error) : error };
    this.#settle();
  };

  #onClose = (): void => {
    if (!this.#ended) this.#onError(prematureClose());
  };

  /** Hands a waiting consumer what the body's end or failure left (called once one of them is set). */
  #settle(): void {
    const waiter = this.#waiter;
    if (!waiter) return;
    this.#waiter = undefined;
    if (this.#head < this.#ready.length) waiter.resolve({ done: false, value: this.#take() });
    else if (this.#failure) waiter.reject(this.#fail());
    else waiter.resolve(this.#finish());
  }

  #fail(): unknown {
    const { error } = this.#failure!;
    this.#finish();
    return error;
  }

  #finish(): IteratorResult<T> {
    if (!this.#over) {
      this.#over = true;
      const body = this.#body;
      body.off("data", this.#onData);
      body.off("end", this.#onEnd);
      body.off("close", this.#onClose);
      body.off("error", this.#onError);
      body.on("error", ignore); // a failure after we left is nobody's to report
      this.#ready.length = this.#head = 0;
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter?.resolve({ done: true, value: undefined });
    }
    return { done: true, value: undefined };
  }
}
