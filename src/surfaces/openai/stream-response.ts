// Streamed chat completions: dispatch, then SSE out (docs/openai-mapping.md#streaming).
//
// Headers vs. errors trade-off: the dispatcher resolves only once Google's first chunk is in (that is
// what makes fail-over before the first byte possible), and a thinking model can take tens of seconds
// to get there. We wait up to `streamGraceMs` for it: a failure inside that window (429 with
// retry-after, 400, no credentials…) is still answered with its real HTTP status, which SDKs use to
// retry. After the window the response starts anyway — `: ok` at once so the headers reach the client,
// the role chunk, keep-alive comments while Google is silent — and a later failure becomes an in-band
// `data: {"error":…}` event. Every failure after headers, upstream or translation (no finish reason,
// MALFORMED_FUNCTION_CALL), is such an error event, never a fake `stop`; it is followed by
// `data: [DONE]` so hand-written clients that read until [DONE] terminate, while SDK clients have
// already raised the error on the event before it.
import type { DispatchResult } from "../../dispatch/dispatcher.ts";
import type { GenerateContentResponse } from "../../gemini/types.ts";
import type { ChatPlan } from "./request.ts";
import type { ResponseContext } from "./response.ts";
import { createChunkTranslator, streamErrorPayload, type ChunkTranslator } from "./stream.ts";
import { tokenUsageOf, type RequestRecord } from "../../usage/record.ts";
import type { AppContext } from "../../http/context.ts";
import { SSE_HEADERS, streamResponse } from "../_stream-response.ts";
import { openAIErrorClass, toOpenAIError } from "./failure.ts";
import { streamClosed } from "../_stream-record.ts";

type Upstream = DispatchResult<AsyncIterable<GenerateContentResponse>>;
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

const data = (objects: object[]): string => objects.map((o) => `data: ${JSON.stringify(o)}\n\n`).join("");

/** The promise's outcome if it settles within `ms`, else undefined (also used by the block-shaped surfaces). */
export function settleWithin<T>(promise: Promise<T>, ms: number): Promise<Settled<T> | undefined> {
  if (ms <= 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve({ ok: true, value })),
      (error: unknown) => (clearTimeout(timer), resolve({ ok: false, error })),
    );
  });
}

async function* frames(
  upstream: Promise<Upstream>,
  t: ChunkTranslator,
  record: RequestRecord,
  save: (s: [string, string][]) => Promise<void>,
): AsyncGenerator<string> {
  const { value } = await upstream;
  for await (const chunk of value) {
    record.firstByteAt ??= Date.now();
    const out = t.push(chunk);
    const usage = t.usage();
    if (usage) record.usage = tokenUsageOf(usage);
    if (out.length) yield data(out);
  }
  const tail = t.finish(); // throws for a stream without a finish reason or with a failed one
  // Stored before the client sees the end, so its next request (tool results) finds them.
  await save(t.signatures());
  yield data(tail);
}

export interface StreamChatInput {
  ctx: AppContext;
  record: RequestRecord;
  plan: ChatPlan;
  response: ResponseContext;
  clientSignal: AbortSignal;
}

export async function streamChat({ ctx, record, plan, response, clientSignal }: StreamChatInput): Promise<Response> {
  const cancel = new AbortController();
  const signal = AbortSignal.any([clientSignal, cancel.signal]);
  const pending = ctx.dispatcher.stream(plan.model.upstream, plan.request, { signal, surface: "openai", record });
  pending.catch(() => {}); // observed below (early) or inside the stream (late)
  const early = await settleWithin(pending, ctx.options.openai.streamGraceMs);
  if (early && !early.ok) throw early.error; // still time for a real HTTP status

  const t = createChunkTranslator({ ...response, includeUsage: plan.includeUsage });
  record.deferred = true;
  const closed = streamClosed(ctx, record, openAIErrorClass);
  return streamResponse(
    frames(early ? Promise.resolve(early.value) : pending, t, record, (s) => ctx.signatures.save(s)),
    {
      frame: (text) => text,
      prelude: `: ok\n\n${data(t.start())}`,
      keepAlive: ": keep-alive\n\n",
      keepAliveMs: ctx.options.openai.keepAliveMs,
      epilogue: () => "data: [DONE]\n\n",
      onError: (error) => {
        const e = toOpenAIError(error, response.model);
        if (e.code === "internal_error") ctx.logger.error("openai stream:", error);
        return `${data([streamErrorPayload(e)])}data: [DONE]\n\n`;
      },
      headers: { ...SSE_HEADERS, "x-request-id": record.id },
      onClose: (outcome, error) => {
        // The client went away: stop the upstream call too (also while still waiting for its first chunk).
        if (outcome === "cancelled") cancel.abort();
        return closed(outcome, error);
      },
    },
  );
}
