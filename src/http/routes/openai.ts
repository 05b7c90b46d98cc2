// OpenAI surface: POST /v1/chat/completions and GET /v1/models[/{id}], also without the /v1 prefix
// (openai-compat.md 1.1). Translation is the pure src/openai/ modules; this file does the I/O around
// them: body, stored thought signatures, media URLs, dispatch, and the JSON or SSE answer.
import { FastResponse } from "srvx";
import { randomBytes } from "node:crypto";
import { getRouterParam, type H3, type H3Event } from "h3";
import { invalidParam, modelNotFound } from "../../openai/errors.ts";
import { toOpenAIModel, toOpenAIModelList } from "../../openai/models.ts";
import { collectUnsignedToolCallIds, parseChatRequest } from "../../openai/request.ts";
import { toChatCompletion, type ResponseContext } from "../../openai/response.ts";
import { isRecord } from "../../openai/values.ts";
import { tokenUsageOf } from "../../usage/record.ts";
import { readJsonBody } from "../body.ts";
import type { AppContext } from "../context.ts";
import { recordOf } from "../request-record.ts";
import { errorResponse, openAIErrorClass, toOpenAIError } from "./_openai-errors.ts";
import { loadMedia } from "./_openai-media.ts";
import { streamChat } from "./_openai-stream.ts";

/** `created` of every model object: a fixed date, so model lists are stable across restarts. */
const MODELS_CREATED = 1_750_000_000;

export const newToolCallId = (): string => `call_${randomBytes(12).toString("hex")}`;
const newCompletionId = (): string => `chatcmpl-${randomBytes(12).toString("hex")}`;

async function chatCompletions(event: H3Event, ctx: AppContext): Promise<Response> {
  const record = recordOf(event);
  const body = await readJsonBody(event.req, ctx.options.maxBodySize);
  if (!isRecord(body)) throw invalidParam(null, "The request body must be a JSON object.", "invalid_json");
  if (typeof body.model === "string") {
    record.model = body.model;
    // Answered before any media is fetched.
    if (!ctx.catalogue.resolve(body.model)) throw modelNotFound(body.model);
  }
  record.stream = body.stream === true;

  const [signatures, media] = await Promise.all([
    ctx.signatures.load(collectUnsignedToolCallIds(body)),
    loadMedia(body, ctx.media, ctx.options.media, event.req.signal),
  ]);
  const plan = parseChatRequest(body, {
    catalogue: ctx.catalogue,
    signatures,
    media,
    reasoningOutput: ctx.options.openai.reasoningOutput,
    includeThoughts: ctx.options.openai.includeThoughts,
  });
  const response: ResponseContext = {
    id: newCompletionId(),
    created: Math.floor(Date.now() / 1000),
    model: body.model as string, // echoed as the client wrote it
    toolNames: plan.toolNames,
    reasoning: plan.reasoning,
    newToolCallId,
    legacyFunctions: plan.legacyFunctions,
  };
  if (plan.stream) return streamChat({ ctx, record, plan, response, clientSignal: event.req.signal });

  const result = await ctx.dispatcher.generate(plan.model.upstream, plan.request, { signal: event.req.signal, surface: "openai", record });
  record.usage = tokenUsageOf(result.value.usageMetadata);
  const { completion, signatures: issued } = toChatCompletion(result.value, response);
  await ctx.signatures.save(issued);
  return FastResponse.json(completion, { headers: { "x-request-id": record.id } });
}

function listModels(ctx: AppContext): Response {
  return FastResponse.json(toOpenAIModelList(ctx.catalogue, MODELS_CREATED));
}

function getModel(event: H3Event, ctx: AppContext): Response {
  const id = decodeURIComponent(getRouterParam(event, "id") ?? "").replace(/\/+$/, "");
  const model = ctx.catalogue.resolve(id);
  if (!model) throw modelNotFound(id);
  return FastResponse.json(toOpenAIModel(model, MODELS_CREATED));
}

function wrap(ctx: AppContext, fn: (event: H3Event) => Promise<Response> | Response) {
  return async (event: H3Event): Promise<Response> => {
    const record = recordOf(event);
    try {
      return await fn(event);
    } catch (error) {
      record.errorClass = openAIErrorClass(error);
      // The client is gone: nobody reads the answer (499 is nginx's "client closed request").
      if (event.req.signal.aborted) return new Response(null, { status: 499 });
      const e = toOpenAIError(error, record.model);
      if (e.code === "internal_error" && e.message === "Internal error") ctx.logger.error("openai surface:", error);
      return errorResponse(e, record.id);
    }
  };
}

export function registerOpenAIRoutes(app: H3, ctx: AppContext): void {
  const chat = wrap(ctx, (event) => chatCompletions(event, ctx));
  const list = wrap(ctx, () => listModels(ctx));
  const get = wrap(ctx, (event) => getModel(event, ctx));
  for (const prefix of ["/v1", ""]) {
    app.post(`${prefix}/chat/completions`, chat);
    app.post(`${prefix}/chat/completions/`, chat);
    app.get(`${prefix}/models`, list);
    app.get(`${prefix}/models/`, list);
    // Greedy: model ids may contain `/` (e.g. "models/gemini-2.5-pro").
    app.get(`${prefix}/models/**:id`, get);
  }
}
