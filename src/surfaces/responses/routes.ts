// OpenAI Responses surface: POST /v1/responses (and without /v1), streamed or not. The body becomes
// a Chat Completions body (input.ts, request.ts) for the one translation to Gemini (parseChatRequest), goes
// through the one dispatch path, and comes back through the shared block assembler as output items.
// previous_response_id reads the stored conversation (store.ts); store:false
// answers without keeping anything.
import { randomBytes } from "node:crypto";
import type { H3, H3Event } from "h3";
import { modelNotFound, OpenAIError } from "../openai/errors.ts";
import type { JsonObject } from "../../chat/values.ts";
import { parseResponsesRequest, toChatBody } from "./request.ts";
import { toHistoryMessage, toResponse, type ResponseBase } from "./response.ts";
import { createResponsesStream } from "./stream.ts";
import { createResponseStore, type ResponseStore } from "./store.ts";
import { collectBlocks, type Block, type BlockOptions } from "../../chat/blocks.ts";
import { tokenUsageOf } from "../../usage/record.ts";
import type { AppContext } from "../../http/context.ts";
import { recordOf } from "../../http/request-record.ts";
import { streamBlocks } from "../_block-stream.ts";
import { planChat } from "../_chat-plan.ts";
import { openAIErrorClass, openAIFailure, toOpenAIError } from "../openai/failure.ts";
import { defineSurfaceRoute, readJsonObject } from "../_route.ts";

const hex = (): string => randomBytes(12).toString("hex");

async function history(store: ResponseStore, id: string): Promise<JsonObject[]> {
  let found;
  try {
    found = await store.load(id);
  } catch (error) {
    throw new OpenAIError(503, `Stored responses are unavailable: ${(error as Error)?.message ?? error}`, {
      type: "server_error",
      code: "service_unavailable",
    });
  }
  if (!found) {
    throw new OpenAIError(
      400,
      `Previous response with id '${id}' not found (unknown, expired, or created with store: false).`,
      { type: "invalid_request_error", param: "previous_response_id", code: "previous_response_not_found" },
    );
  }
  return found.messages;
}

async function create(event: H3Event, ctx: AppContext, store: ResponseStore): Promise<Response> {
  const record = recordOf(event);
  const signal = event.req.signal;
  const body = await readJsonObject(event, ctx);
  const req = parseResponsesRequest(body);
  record.model = req.model;
  record.stream = req.stream;
  if (!ctx.catalogue.resolve(req.model)) throw modelNotFound(req.model);
  const past = req.previousResponseId ? await history(store, req.previousResponseId) : [];
  const chat = toChatBody(req, req.model, past);
  const plan = await planChat(ctx, chat, signal, { reasoningOutput: "reasoning_content", includeThoughts: false });

  const base: ResponseBase = {
    id: `resp_${hex()}`,
    created_at: Math.floor(Date.now() / 1000),
    model: req.model,
    echo: req.echo,
    encryptedReasoning: req.encryptedReasoning,
  };
  const blocks: BlockOptions = {
    toolNames: plan.toolNames,
    newToolId: () => `call_${hex()}`,
    signatureBlocks: req.encryptedReasoning,
  };
  // Before the client sees the end, so its next request (tool results, previous_response_id) finds them.
  const remember = async (answer: readonly Block[], issued: [string, string][]): Promise<void> => {
    await ctx.signatures.save(issued);
    if (!req.store) return;
    const reply = toHistoryMessage(answer);
    await store.save(base.id, { model: plan.model.id, messages: [...past, ...req.input, ...(reply ? [reply] : [])] });
  };
  const headers = { "x-request-id": record.id };

  if (req.stream) {
    const writer = createResponsesStream(base, blocks);
    return streamBlocks({
      ctx,
      record,
      model: plan.model.upstream,
      request: plan.request,
      surface: "responses",
      clientSignal: signal,
      writer,
      errorEvent: (error) => {
        const e = toOpenAIError(error, req.model);
        if (e.code === "internal_error") ctx.logger.error("responses stream:", error);
        return writer.failed({ code: e.code ?? e.type, message: e.message });
      },
      keepAlive: ": keep-alive\n\n",
      errorClass: openAIErrorClass,
      beforeEnd: () => remember(writer.blocks(), writer.signatures()),
    });
  }
  const result = await ctx.dispatcher.generate(plan.model.upstream, plan.request, {
    signal,
    surface: "responses",
    record,
  });
  record.usage = tokenUsageOf(result.value.usageMetadata);
  const summary = collectBlocks(result.value, blocks);
  await remember(summary.blocks, summary.signatures);
  return Response.json(toResponse(summary, base), { headers });
}

export function registerResponsesRoutes(app: H3, ctx: AppContext): void {
  const store = createResponseStore(ctx.storage, { ttlSec: ctx.options.responses.ttlSec, logger: ctx.logger });
  const handler = defineSurfaceRoute(ctx, openAIFailure("responses surface"), (event) => create(event, ctx, store));
  for (const prefix of ["/v1", ""]) {
    app.post(`${prefix}/responses`, handler);
    app.post(`${prefix}/responses/`, handler);
  }
}
