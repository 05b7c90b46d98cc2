// OpenAI Responses surface: POST /v1/responses (and without /v1), streamed or not. The body is read
// into neutral turns and settings (input.ts, request.ts), mapped to Gemini by the core, dispatched,
// and the answer rendered from the core's blocks as output items. previous_response_id reads the
// stored conversation (store.ts); store:false answers without keeping anything.
import { newId } from "../_ids.ts";
import type { H3, H3Event } from "h3";
import { ChatError, modelNotFound } from "../../chat/errors.ts";
import type { ChatTurn } from "../../chat/types.ts";
import { parseResponsesRequest, toChat } from "./request.ts";
import { toHistoryTurn, toResponse, type ResponseBase } from "./response.ts";
import { createResponsesStream } from "./stream.ts";
import { createResponseStore, type ResponseStore } from "./store.ts";
import { collectBlocks, type Block, type BlockOptions } from "../../chat/blocks.ts";
import { tokenUsageOf } from "../../usage/record.ts";
import type { AppContext } from "../../http/context.ts";
import { recordOf } from "../../http/request-record.ts";
import { apiJson } from "../../http/api-answer.ts";
import { clientSignalOf } from "../../http/client-signal.ts";
import { OpenAIError } from "../openai/errors.ts";
import { sseHeaders } from "../_stream-response.ts";
import { streamSurface } from "../_stream.ts";
import { prepareGemini } from "../_prepare.ts";
import { failedResponseError, responsesFailure } from "./failure.ts";
import { defineSurfaceRoute, readJsonObject } from "../_route.ts";

async function history(store: ResponseStore, id: string): Promise<ChatTurn[]> {
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
    throw new ChatError(
      "invalid_request",
      `Previous response with id '${id}' not found (unknown, expired, or created with store: false).`,
      "previous_response_id",
      "previous_response_not_found",
    );
  }
  return found.turns;
}

async function create(event: H3Event, ctx: AppContext, store: ResponseStore): Promise<Response> {
  const record = recordOf(event);
  const signal = clientSignalOf(event);
  const body = await readJsonObject(event, ctx);
  const req = parseResponsesRequest(body);
  record.model = req.model;
  record.stream = req.stream;
  const model = ctx.catalogue.resolve(req.model);
  if (!model) throw modelNotFound(req.model);
  const past = req.previousResponseId ? await history(store, req.previousResponseId) : [];
  const chat = toChat(req, model, past);
  const prepared = prepareGemini(ctx, chat, signal);
  const { request, toolNames } = prepared instanceof Promise ? await prepared : prepared; // sync without media

  const base: ResponseBase = {
    id: newId("resp_"),
    created_at: Math.floor(Date.now() / 1000),
    model: req.model,
    echo: req.echo,
    encryptedReasoning: req.encryptedReasoning,
  };
  const blocks: BlockOptions = {
    toolNames,
    newToolId: () => newId("call_"),
    signatureBlocks: req.encryptedReasoning,
  };
  // Before the client sees the end, so its next request (tool results, previous_response_id) finds them.
  const remember = async (answer: readonly Block[], issued: [string, string][]): Promise<void> => {
    await ctx.signatures.save(issued);
    if (!req.store) return;
    const reply = toHistoryTurn(answer);
    await store.save(base.id, { model: model.id, turns: [...past, ...req.input, ...(reply ? [reply] : [])] });
  };

  if (req.stream) {
    const writer = createResponsesStream(base, blocks);
    return streamSurface({
      ctx,
      record,
      model: model.upstream,
      request,
      surface: "responses",
      clientSignal: signal,
      writer: {
        prelude: (early) => (early ? undefined : writer.opening()),
        push: (chunk) => writer.push(chunk),
        finish: () => writer.finish(),
        error: (error) => {
          const e = failedResponseError(error, req.model);
          if (e.internal) ctx.logger.error("responses stream:", error);
          return writer.failed({ code: e.code, message: e.message });
        },
        keepAlive: ": keep-alive\n\n",
      },
      beforeEnd: () => remember(writer.blocks(), writer.signatures()),
      headers: sseHeaders({ "x-request-id": record.id }),
    });
  }
  const result = await ctx.dispatcher.generate(model.upstream, request, { signal, surface: "responses", record });
  record.usage = tokenUsageOf(result.value.usageMetadata);
  const summary = collectBlocks(result.value, blocks);
  await remember(summary.blocks, summary.signatures);
  return apiJson(toResponse(summary, base), record.id);
}

export function registerResponsesRoutes(app: H3, ctx: AppContext): void {
  const store = createResponseStore(ctx.storage, { ttlSec: ctx.options.responses.ttlSec, logger: ctx.logger });
  const handler = defineSurfaceRoute(ctx, responsesFailure, (event) => create(event, ctx, store));
  for (const prefix of ["/v1", ""]) {
    app.post(`${prefix}/responses`, handler);
    app.post(`${prefix}/responses/`, handler);
  }
}
