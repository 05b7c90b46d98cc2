// Streamed answers of the block-shaped surfaces (Anthropic Messages, OpenAI Responses), the same way
// the chat surface streams (see openai/stream-response.ts): dispatch, wait up to `streamGraceMs` for Google's
// first chunk so an early failure keeps its real HTTP status, then SSE through the surface's writer,
// keep-alives while Google is silent, and a late failure as the writer's in-band error event.
import type { DispatchResult } from "../dispatch/dispatcher.ts";
import type { GenerateContentRequest, GenerateContentResponse } from "../gemini/types.ts";
import type { RequestRecord } from "../usage/record.ts";
import type { AppContext } from "../http/context.ts";
import { SSE_HEADERS, streamResponse } from "./_stream-response.ts";
import { settleWithin } from "./openai/stream-response.ts";
import { observed, streamClosed } from "./_stream-record.ts";

export interface BlockStreamWriter {
  /** Sent at once when Google is slow to answer (the response must start). */
  opening(): string;
  push(chunk: GenerateContentResponse): string;
  /** Closing events; throws when the stream failed or never finished. */
  finish(): string;
}

export interface BlockStreamInput {
  ctx: AppContext;
  record: RequestRecord;
  /** Upstream model id. */
  model: string;
  request: GenerateContentRequest;
  surface: string;
  clientSignal: AbortSignal;
  writer: BlockStreamWriter;
  /** The in-band event for a failure after the start, in the surface's own error shape. */
  errorEvent: (error: unknown) => string;
  keepAlive: string;
  errorClass: (error: unknown) => string;
  /** Runs after Google's last chunk, before the closing events (so a follow-up request finds what it stores). */
  beforeEnd: () => Promise<void>;
  headers?: Record<string, string>;
}

type Upstream = DispatchResult<AsyncIterable<GenerateContentResponse>>;

async function* frames(upstream: Promise<Upstream>, input: BlockStreamInput): AsyncGenerator<string> {
  const { value } = await upstream;
  for await (const chunk of observed(value, input.record)) {
    const text = input.writer.push(chunk);
    if (text) yield text;
  }
  const tail = input.writer.finish();
  await input.beforeEnd();
  yield tail;
}

export async function streamBlocks(input: BlockStreamInput): Promise<Response> {
  const { ctx, record } = input;
  const cancel = new AbortController();
  const signal = AbortSignal.any([input.clientSignal, cancel.signal]);
  const pending = ctx.dispatcher.stream(input.model, input.request, { signal, surface: input.surface, record });
  pending.catch(() => {}); // observed below (early) or inside the stream (late)
  const early = await settleWithin(pending, ctx.options.openai.streamGraceMs);
  if (early && !early.ok) throw early.error;

  record.deferred = true;
  const closed = streamClosed(ctx, record, input.errorClass);
  return streamResponse(frames(early ? Promise.resolve(early.value) : pending, input), {
    frame: (text) => text,
    prelude: early ? undefined : input.writer.opening(),
    keepAlive: input.keepAlive,
    keepAliveMs: ctx.options.openai.keepAliveMs,
    onError: (error) => input.errorEvent(error),
    headers: { ...SSE_HEADERS, "x-request-id": record.id, ...input.headers },
    onClose: (outcome, error) => {
      if (outcome === "cancelled") cancel.abort(); // the client went away: stop the upstream call too
      return closed(outcome, error);
    },
  });
}
