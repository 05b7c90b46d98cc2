// OpenAI surface: POST /v1/chat/completions and GET /v1/models[/{id}], also without the /v1 prefix
// (docs/openai-mapping.md#routes-and-authentication). The body is read into the neutral chat request
// (request.ts), mapped to Gemini by the core after the I/O it needs (stored signatures, media URLs),
// dispatched, and the answer written as JSON (response.ts) or SSE (stream.ts through the one driver).
import { FastResponse } from "srvx";
import { newId } from "../_ids.ts";
import { getRouterParam, type H3, type H3Event } from "h3";
import { modelNotFound } from "../../chat/errors.ts";
import { toOpenAIModel, toOpenAIModelList } from "./models.ts";
import { parseOpenAIChat } from "./request.ts";
import { toChatCompletion, type ResponseContext } from "./response.ts";
import { createChunkTranslator } from "./stream.ts";
import { tokenUsageOf } from "../../usage/record.ts";
import type { AppContext } from "../../http/context.ts";
import { recordOf } from "../../http/request-record.ts";
import { apiJson } from "../../http/api-answer.ts";
import { clientSignalOf } from "../../http/client-signal.ts";
import { prepareGemini } from "../_prepare.ts";
import { openAIFailure, toOpenAIError } from "./failure.ts";
import { openAIErrorBody } from "./errors.ts";
import { sseHeaders } from "../_stream-response.ts";
import { streamSurface, type StreamWriter } from "../_stream.ts";
import { defineSurfaceRoute, readJsonObject } from "../_route.ts";
import { chatModelsOf, googleModels, idOfGoogleModel } from "../_google-models.ts";

/** `created` of every model object: a fixed date, so model lists are stable across restarts. */
const MODELS_CREATED = 1_750_000_000;

export const newToolCallId = (): string => newId("call_");
const newCompletionId = (): string => newId("chatcmpl-");

const data = (objects: object[]): string => objects.map((o) => `data: ${JSON.stringify(o)}\n\n`).join("");

/**
 * Chat's SSE: `: ok` and the role chunk at once (headers reach the client), `data: [DONE]` after the
 * finish chunks, and a late failure as `data: {"error":…}` followed by [DONE] (hand-written clients
 * read until [DONE]; SDKs raise on the error event before it).
 */
function chatWriter(
  ctx: AppContext,
  response: ResponseContext,
  includeUsage: boolean,
): StreamWriter & { signatures(): [string, string][] } {
  const t = createChunkTranslator(Object.assign({}, response, { includeUsage }));
  return {
    prelude: () => `: ok\n\n${data(t.start())}`,
    push: (chunk) => data(t.push(chunk)),
    finish: () => `${data(t.finish())}data: [DONE]\n\n`,
    error: (error) => {
      const e = toOpenAIError(error, response.model);
      if (e.code === "internal_error") ctx.logger.error("openai stream:", error);
      return `${data([openAIErrorBody(e)])}data: [DONE]\n\n`;
    },
    keepAlive: ": keep-alive\n\n",
    signatures: () => t.signatures(),
  };
}

async function chatCompletions(event: H3Event, ctx: AppContext): Promise<Response> {
  const record = recordOf(event);
  const body = await readJsonObject(event, ctx);
  if (typeof body.model === "string") {
    record.model = body.model;
    // Answered before any media is fetched.
    if (!ctx.catalogue.resolve(body.model)) throw modelNotFound(body.model);
  }
  record.stream = body.stream === true;

  const parsed = parseOpenAIChat(body, ctx.catalogue, {
    reasoningOutput: ctx.options.openai.reasoningOutput,
    includeThoughts: ctx.options.openai.includeThoughts,
  });
  const { chat } = parsed;
  const signal = clientSignalOf(event);
  const prepared = prepareGemini(ctx, chat, signal);
  const { request, toolNames } = prepared instanceof Promise ? await prepared : prepared; // sync without media
  const response: ResponseContext = {
    id: newCompletionId(),
    created: Math.floor(Date.now() / 1000),
    model: body.model as string, // echoed as the client wrote it
    toolNames,
    reasoning: parsed.reasoning,
    newToolCallId,
    legacyFunctions: parsed.legacyFunctions,
  };
  if (chat.stream) {
    const writer = chatWriter(ctx, response, parsed.includeUsage);
    return streamSurface({
      ctx,
      record,
      model: chat.model.upstream,
      request,
      surface: "openai",
      clientSignal: signal,
      writer,
      // Stored before the client sees the end, so its next request (tool results) finds them.
      beforeEnd: () => ctx.signatures.save(writer.signatures()),
      headers: sseHeaders({ "x-request-id": record.id }),
    });
  }

  const result = await ctx.dispatcher.generate(chat.model.upstream, request, {
    signal,
    surface: "openai",
    record,
  });
  record.usage = tokenUsageOf(result.value.usageMetadata);
  const { completion, signatures: issued } = toChatCompletion(result.value, response);
  if (issued.length > 0) await ctx.signatures.save(issued);
  return apiJson(completion, record.id);
}

async function listModels(ctx: AppContext): Promise<Response> {
  const google = chatModelsOf(ctx, await googleModels(ctx)).map(idOfGoogleModel);
  return FastResponse.json(toOpenAIModelList(ctx.catalogue, MODELS_CREATED, google));
}

async function getModel(event: H3Event, ctx: AppContext): Promise<Response> {
  const id = decodeURIComponent(getRouterParam(event, "id") ?? "").replace(/\/+$/, "");
  const model = ctx.catalogue.resolve(id);
  // Ids outside the catalogue exist when Google lists them for the pooled keys.
  const google = model && !model.listed ? await googleModels(ctx) : [];
  const entry = google.find((e) => idOfGoogleModel(e) === model?.id);
  if (!model || (!model.listed && !entry)) throw modelNotFound(id);
  const out = toOpenAIModel(model, MODELS_CREATED);
  if (entry?.displayName) out.display_name = entry.displayName;
  if (typeof entry?.inputTokenLimit === "number") out.context_length = entry.inputTokenLimit;
  if (typeof entry?.outputTokenLimit === "number") out.max_output_tokens = entry.outputTokenLimit;
  return FastResponse.json(out);
}

export function registerOpenAIRoutes(app: H3, ctx: AppContext): void {
  const failure = openAIFailure("openai surface");
  const chat = defineSurfaceRoute(ctx, failure, (event) => chatCompletions(event, ctx));
  const list = defineSurfaceRoute(ctx, failure, () => listModels(ctx));
  const get = defineSurfaceRoute(ctx, failure, (event) => getModel(event, ctx));
  for (const prefix of ["/v1", ""]) {
    app.post(`${prefix}/chat/completions`, chat);
    app.post(`${prefix}/chat/completions/`, chat);
    app.get(`${prefix}/models`, list);
    app.get(`${prefix}/models/`, list);
    // Greedy: model ids may contain `/` (e.g. "models/gemini-2.5-pro").
    app.get(`${prefix}/models/**:id`, get);
  }
}
