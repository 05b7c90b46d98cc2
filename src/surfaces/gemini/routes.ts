// Native Gemini API surface (/v1beta): standard Gemini JSON in and out, so @google/genai and other
// Gemini clients work against the proxy as against Google.
import { FastResponse } from "srvx";
import { getRouterParam, type H3, type H3Event } from "h3";
import { applyVariant, type ResolvedModel } from "../../gemini/models.ts";
import type { GenerateContentRequest } from "../../gemini/types.ts";
import { googleError, toGoogleWireError, type WireError } from "./wire-errors.ts";
import { BodyError, readJsonBody } from "../../http/body.ts";
import { errorClassOf as sharedErrorClass, errorMessageOf } from "../_failure.ts";
import { tokenUsageOf } from "../../usage/record.ts";
import { recordOf } from "../../http/request-record.ts";
import { apiJson } from "../../http/api-answer.ts";
import { clientSignalOf } from "../../http/client-signal.ts";
import type { AppContext } from "../../http/context.ts";
import { sseHeaders } from "../_stream-response.ts";
import { streamSurface, type StreamWriter } from "../_stream.ts";
import { NativeError } from "./failure.ts";
import { validateNativeGenerate } from "./validate.ts";
import { toNativeModel } from "./models.ts";
import { googleModels, idOfGoogleModel } from "../_google-models.ts";

/** Gemini API methods served only with a pooled API key (Code Assist cannot do them). */
const API_KEY_ACTIONS = new Set([
  "embedContent",
  "batchEmbedContents",
  "asyncBatchEmbedContent",
  "batchGenerateContent",
  "predict",
  "predictLongRunning",
  "generateAnswer",
]);

const json = (wire: WireError) => FastResponse.json(wire.body, { status: wire.status, headers: wire.headers });

function resolveModel(ctx: AppContext, id: string, action: string): ResolvedModel {
  const model = ctx.catalogue.resolve(id);
  if (!model) {
    throw new NativeError(
      googleError(
        404,
        `models/${id} is not found for API version v1beta, or is not supported for ${action}. Call ListModels to see the list of available models and their supported methods.`,
      ),
    );
  }
  return model;
}

async function body(event: H3Event, ctx: AppContext): Promise<Record<string, unknown>> {
  try {
    const value = await readJsonBody(event.req, ctx.options.maxBodySize);
    if (!value || typeof value !== "object" || Array.isArray(value))
      throw new BodyError(400, "The request body must be a JSON object");
    return value as Record<string, unknown>;
  } catch (error) {
    if (error instanceof BodyError) throw new NativeError(googleError(error.status, error.message));
    throw error;
  }
}

export function errorClassOf(error: unknown): string {
  if (error instanceof NativeError) return error.wire.status === 404 ? "not_found" : "invalid_request";
  return sharedErrorClass(error);
}

async function generate(event: H3Event, ctx: AppContext, model: ResolvedModel, stream: boolean) {
  const record = recordOf(event);
  record.model = model.id;
  record.stream = stream;
  const raw = await body(event, ctx);
  validateNativeGenerate(raw);
  const request = applyVariant(raw as GenerateContentRequest, model);
  if (!stream) {
    const result = await ctx.dispatcher.generate(model.upstream, request, {
      signal: clientSignalOf(event),
      surface: "gemini",
      record,
    });
    record.usage = tokenUsageOf(result.value.usageMetadata);
    return apiJson(result.value, record.id);
  }
  // Native clients wait for Google's first chunk however long it takes: every failure before it
  // keeps its HTTP status (graceMs: Infinity), and nothing is written before it.
  const sse = new URL(event.req.url).searchParams.get("alt") === "sse";
  return streamSurface({
    ctx,
    record,
    model: model.upstream,
    request,
    surface: "gemini",
    clientSignal: clientSignalOf(event),
    writer: sse ? sseWriter() : arrayWriter(),
    headers: sse ? sseHeaders({}) : { "content-type": "application/json; charset=utf-8" },
    graceMs: Infinity,
  });
}

const sseWriter = (): StreamWriter => ({
  prelude: () => undefined,
  push: (chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`,
  finish: () => "",
  error: (error) => `data: ${JSON.stringify(toGoogleWireError(error).body)}\r\n\r\n`,
});

/** Without alt=sse the Gemini API streams one JSON array, element by element. */
function arrayWriter(): StreamWriter {
  let first = true;
  const next = (): string => {
    const sep = first ? "[" : ",\r\n";
    first = false;
    return sep;
  };
  return {
    prelude: () => undefined,
    push: (chunk) => `${next()}${JSON.stringify(chunk)}`,
    finish: () => (first ? "[]" : "]"),
    error: (error) => `${next()}${JSON.stringify(toGoogleWireError(error).body)}]`,
  };
}

async function handleModelAction(event: H3Event, ctx: AppContext): Promise<Response> {
  const param = decodeURIComponent(getRouterParam(event, "model") ?? "");
  const colon = param.lastIndexOf(":");
  const [id, action] = colon > 0 ? [param.slice(0, colon), param.slice(colon + 1)] : [param, ""];
  switch (action) {
    case "generateContent":
      return generate(event, ctx, resolveModel(ctx, id, action), false);
    case "streamGenerateContent":
      return generate(event, ctx, resolveModel(ctx, id, action), true);
    case "countTokens": {
      const model = resolveModel(ctx, id, action);
      recordOf(event).model = model.id;
      const raw = await body(event, ctx);
      if (
        !Array.isArray(raw.contents) &&
        (typeof raw.generateContentRequest !== "object" || raw.generateContentRequest === null)
      ) {
        throw new NativeError(googleError(400, "countTokens needs `contents` (an array) or `generateContentRequest`"));
      }
      const result = await ctx.dispatcher.countTokens(model.upstream, raw, {
        signal: clientSignalOf(event),
        surface: "gemini",
      });
      return FastResponse.json(result.value);
    }
  }
  if (API_KEY_ACTIONS.has(action)) {
    if (!ctx.pool.hasKind("api_key")) {
      throw new NativeError(
        googleError(
          501,
          `${action} is only available through the Gemini API: add a Gemini API key to the pool (gemini_api_keys). Code Assist accounts cannot serve it.`,
        ),
      );
    }
    const raw = await body(event, ctx);
    recordOf(event).model = id;
    const result = await ctx.dispatcher.withApiKey(
      id,
      (key, signal) => ctx.geminiApi.call(key, id, action, raw, signal),
      { signal: clientSignalOf(event), surface: "gemini", record: recordOf(event) },
    );
    return FastResponse.json(result.value);
  }
  throw new NativeError(googleError(404, `Method not found: models/${id}:${action || "(none)"}`));
}

function wrap(ctx: AppContext, fn: (event: H3Event) => Promise<Response> | Response) {
  return async (event: H3Event) => {
    try {
      return await fn(event);
    } catch (error) {
      recordOf(event).errorClass = errorClassOf(error);
      recordOf(event).errorMessage = errorMessageOf(error);
      if (error instanceof NativeError) return json(error.wire);
      if (event.req.signal.aborted) return new Response(null, { status: 499 });
      const wire = toGoogleWireError(error);
      if (wire.status === 500) ctx.logger.error("native surface:", error);
      return json(wire);
    }
  };
}

export function registerGeminiRoutes(app: H3, ctx: AppContext): void {
  app.get(
    "/v1beta/models",
    wrap(ctx, async () => {
      const ours = ctx.catalogue.ids().map((id) => toNativeModel(ctx.catalogue.resolve(id)!));
      // Then what Google lists for the pooled API keys, as Google describes it.
      const known = new Set(ours.map((m) => m.name));
      const google = (await googleModels(ctx)).filter((m) => !known.has(m.name));
      return FastResponse.json({ models: [...ours, ...google] });
    }),
  );
  app.get(
    "/v1beta/models/:model",
    wrap(ctx, async (event) => {
      const id = decodeURIComponent(getRouterParam(event, "model") ?? "");
      const model = ctx.catalogue.resolve(id);
      if (model?.listed) return FastResponse.json(toNativeModel(model));
      const bare = id.replace(/^models\//, "");
      const entry = (await googleModels(ctx)).find((m) => idOfGoogleModel(m) === bare);
      if (!entry) return json(googleError(404, `models/${id} is not found for API version v1beta`));
      return FastResponse.json(entry);
    }),
  );
  app.post(
    "/v1beta/models/:model",
    wrap(ctx, (event) => handleModelAction(event, ctx)),
  );
  app.all(
    "/v1beta/**",
    wrap(ctx, (event) =>
      json(googleError(404, `Method not found: ${event.req.method} ${new URL(event.req.url).pathname}`)),
    ),
  );
}
