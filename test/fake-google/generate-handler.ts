// Shared generateContent / streamGenerateContent pipeline for both surfaces: validate, plan, render, write.
import { sendGoogleError } from "./errors.ts";
import { field, sendJson, sleep, type Ctx } from "./http-util.ts";
import { signsOutput, thinkingConfigOf, validateThinking, type ModelInfo } from "./models.ts";
import { makePlan } from "./generate.ts";
import { buildAggregate, buildChunks, type ResponseMeta } from "./response-builder.ts";
import { writeStream } from "./sse-writer.ts";
import { issueSignature } from "./state.ts";
import { randomId } from "./ids.ts";
import { replyRequest, scriptedReply } from "./replies.ts";
import { validateContents, validateGenerationConfig, validateSignatures } from "./validate.ts";

export interface GenerateInput {
  model: ModelInfo;
  request: unknown;
  stream: boolean;
  /** Wraps one response object for the wire (Code Assist: {response, traceId}); `last` = final one. */
  wrap: (obj: Record<string, unknown>, last: boolean) => unknown;
  vertex: boolean;
}

export async function runGenerate(ctx: Ctx, input: GenerateInput): Promise<void> {
  const { model, request } = input;
  const contents = field(request, "contents");
  const err =
    validateContents(contents) ??
    validateGenerationConfig(request) ??
    validateThinking(model, thinkingConfigOf(request)) ??
    (signsOutput(model) && Array.isArray(contents)
      ? validateSignatures(contents as Record<string, unknown>[], (s) => ctx.env.state.signatures.has(s))
      : undefined);
  if (err) return sendGoogleError(ctx, err);

  // A fault rule's stream script wins; otherwise the test's reply scripts may decide the answer.
  const script =
    ctx.script ??
    (ctx.env.replies.length > 0
      ? scriptedReply(ctx.env.replies, replyRequest(model.id, request, ctx.record))
      : undefined) ??
    {};
  const plan = makePlan(model, request, script);
  const meta: ResponseMeta = {
    responseId: randomId(17),
    createTime: input.vertex ? new Date().toISOString() : undefined,
  };
  const sign = (): string => issueSignature(ctx.env.state);

  if (!input.stream) {
    await sleep(script.firstByteDelayMs ?? 0, ctx.signal);
    if (await unaryStop(ctx, script.closeAfterEvents, script.hangAfterEvents)) return;
    return sendJson(ctx, 200, input.wrap(buildAggregate(plan, meta, sign), true));
  }
  const chunks = buildChunks(plan, meta, {
    deltaChars: script.deltaChars ?? 12,
    usageOnLastChunkOnly: script.usageOnLastChunkOnly ?? false,
    issueSignature: sign,
  });
  const sse = ctx.url.searchParams.get("alt") === "sse";
  await writeStream(
    ctx,
    chunks.map((c, i) => input.wrap(c, i === chunks.length - 1)),
    script,
    sse,
  );
}

/** Unary calls: closeAfterEvents drops the connection, hangAfterEvents never answers. */
async function unaryStop(ctx: Ctx, close: number | undefined, hang: number | undefined): Promise<boolean> {
  if (close !== undefined) {
    ctx.selfClose();
    ctx.res.socket?.destroy();
    return true;
  }
  if (hang !== undefined) {
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      else ctx.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    return true;
  }
  return ctx.signal.aborted;
}
