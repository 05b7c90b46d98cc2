// The one stream driver of every surface (docs/openai-mapping.md#grace-period-and-in-band-errors):
// dispatch, wait up to a grace window for Google's first chunk so an early failure keeps its real HTTP
// status and headers (SDKs retry on those), then the surface's writer turns chunks into its SSE (or
// JSON array) frames, with a prelude and keep-alives while Google is silent, a late failure as the
// writer's in-band error, request-record bookkeeping, and the upstream call cancelled when the client
// goes away (also while still waiting for the first chunk). Each surface supplies only its writer.
import type { DispatchResult } from "../dispatch/dispatcher.ts";
import type { GenerateContentRequest, GenerateContentResponse } from "../gemini/types.ts";
import type { RequestRecord } from "../usage/record.ts";
import type { ClientSignal } from "../upstream/transport.ts";
import type { AppContext } from "../http/context.ts";
import { streamResponse } from "./_stream-response.ts";
import { observer, streamClosed } from "./_stream-record.ts";
import { errorClassOf } from "./_failure.ts";

export interface StreamWriter {
  /** Written at once; `early` is true when Google's first chunk is already in. */
  prelude(early: boolean): string | undefined;
  push(chunk: GenerateContentResponse): string;
  /** True once the writer needs nothing more (a stop sequence matched): upstream is released. */
  stopped?(): boolean;
  /** The closing frames; throws when the stream failed or never finished. */
  finish(): string;
  /** A failure after the response started, in the surface's own shape. */
  error(error: unknown): string;
  /** Written while Google is silent (undefined: no keep-alives). */
  keepAlive?: string;
}

export interface StreamInput {
  ctx: AppContext;
  record: RequestRecord;
  /** Upstream model id. */
  model: string;
  request: GenerateContentRequest;
  surface: string;
  clientSignal: ClientSignal;
  writer: StreamWriter;
  /** Runs after Google's last chunk, before the closing frames (so a follow-up request finds what it stores). */
  beforeEnd?: () => Promise<void>;
  headers: Record<string, string>;
  /** How long a failure may still get its own HTTP status (default `openai.streamGraceMs`; Infinity: always). */
  graceMs?: number;
}

type Upstream = DispatchResult<AsyncIterable<GenerateContentResponse>>;
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** The promise's outcome if it settles within `ms`, else undefined. */
export async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<Settled<T> | undefined> {
  if (ms <= 0) return undefined;
  if (ms === Infinity)
    return promise.then(
      (value): Settled<T> => ({ ok: true, value }),
      (error: unknown): Settled<T> => ({ ok: false, error }),
    );
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve({ ok: true, value })),
      (error: unknown) => (clearTimeout(timer), resolve({ ok: false, error })),
    );
  });
}

/**
 * The upstream's chunks once the dispatch settles (it may still be waiting for Google when the
 * response starts). Plain iterator functions: no generator of our own between Google and the client.
 */
function upstreamChunks(upstream: Promise<Upstream>): AsyncIterable<GenerateContentResponse> {
  let source: Promise<Upstream> | undefined = upstream; // dropped once open: the dispatch result is not held
  let inner: AsyncIterator<GenerateContentResponse> | undefined;
  let released = false;
  const open = async () => {
    const it = (await source!).value[Symbol.asyncIterator]();
    source = undefined;
    if (released) await it.return?.(); // the client left while Google was still silent
    return (inner = it);
  };
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => (inner ? inner.next() : open().then((it) => it.next())),
      return: async () => {
        released = true;
        await inner?.return?.();
        return { done: true, value: undefined };
      },
    }),
  };
}

export async function streamSurface(input: StreamInput): Promise<Response> {
  const { ctx, record } = input;
  // One controller the client's signal is forwarded into (AbortSignal.any built a third signal and
  // weak references per stream, held until the stream ended).
  const cancel = new AbortController();
  const client = input.clientSignal;
  const forward = () => cancel.abort(client.reason);
  if (client.aborted) forward();
  else client.addEventListener("abort", forward, { once: true });
  const { signal } = cancel;
  const pending = ctx.dispatcher.stream(input.model, input.request, { signal, surface: input.surface, record });
  pending.catch(() => {}); // observed below (early) or inside the stream (late)
  const early = await settleWithin(pending, input.graceMs ?? ctx.options.openai.streamGraceMs);
  if (early && !early.ok) {
    client.removeEventListener("abort", forward);
    throw early.error; // still time for a real HTTP status
  }
  record.deferred = true;
  return respond(upstreamChunks(early ? Promise.resolve(early.value) : pending), {
    writer: input.writer,
    early: early !== undefined,
    beforeEnd: input.beforeEnd,
    headers: input.headers,
    keepAliveMs: ctx.options.openai.keepAliveMs,
    closed: streamClosed(ctx, record, errorClassOf),
    observe: observer(record),
    release: (cancelled) => {
      client.removeEventListener("abort", forward);
      if (cancelled) cancel.abort(); // the client went away: stop the upstream call too
    },
  });
}

interface Responding {
  writer: StreamWriter;
  early: boolean;
  beforeEnd: StreamInput["beforeEnd"];
  headers: Record<string, string>;
  keepAliveMs: number;
  closed: ReturnType<typeof streamClosed>;
  observe: ReturnType<typeof observer>;
  release: (cancelled: boolean) => void;
}

/**
 * The streamed response. Its own function so that the closures living as long as the stream hold
 * only what they use, not the whole input (the Gemini request above all, large for a long conversation).
 */
function respond(chunks: AsyncIterable<GenerateContentResponse>, r: Responding): Response {
  const { writer, observe, beforeEnd, closed, release } = r;
  return streamResponse(chunks, {
    frame: (chunk) => {
      observe(chunk);
      return writer.push(chunk);
    },
    stop: writer.stopped && (() => writer.stopped!()),
    epilogue: async () => {
      const tail = writer.finish(); // throws when the stream failed or never finished
      await beforeEnd?.();
      return tail;
    },
    prelude: writer.prelude(r.early),
    keepAlive: writer.keepAlive,
    keepAliveMs: writer.keepAlive ? r.keepAliveMs : 0,
    onError: (error) => writer.error(error),
    headers: r.headers,
    onClose: (outcome, error) => {
      release(outcome === "cancelled");
      // The record is journaled before the closing frames go out (see _stream-response.ts).
      return closed(outcome, error);
    },
  });
}
