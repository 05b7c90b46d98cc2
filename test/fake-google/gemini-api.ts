// Gemini API surface (generativelanguage v1beta): API-key auth, models list/get, generate, stream,
// countTokens, embeddings. Same content generator as Code Assist, unwrapped objects.
import { applyFault } from "./apply-fault.ts";
import { apiKeyInvalid } from "./error-presets.ts";
import { googleError, invalidArgument, invalidJson, notFound, sendGoogleError } from "./errors.ts";
import { embed, DEFAULT_EMBEDDING_DIMS } from "./embed.ts";
import { promptChars, tokensFor } from "./generate.ts";
import { runGenerate } from "./generate-handler.ts";
import { field, isObject, sendJson, type Ctx } from "./http-util.ts";
import { findModel, isChatModel, MODELS, thinks, type ModelInfo } from "./models.ts";
import { partsOf, validateContents } from "./validate.ts";

const CHAT_METHODS = ["generateContent", "countTokens", "createCachedContent", "batchGenerateContent"];
const EMBED_METHODS = ["embedContent", "countTextTokens", "countTokens", "asyncBatchEmbedContent"];

function allowed(ctx: Ctx, m: ModelInfo): boolean {
  const models = ctx.env.state.apiKeys.get(ctx.record.apiKey ?? "")?.models;
  return m.api && (!models || models.includes(m.id));
}

function describe(m: ModelInfo): Record<string, unknown> {
  const chat = isChatModel(m);
  const out: Record<string, unknown> = {
    name: `models/${m.id}`,
    version: "001",
    displayName: m.displayName,
    description: `${m.displayName} (fake-google)`,
    inputTokenLimit: m.inputTokenLimit,
    outputTokenLimit: m.outputTokenLimit,
    supportedGenerationMethods: chat ? CHAT_METHODS : EMBED_METHODS,
  };
  if (chat) Object.assign(out, { temperature: 1, topP: 0.95, topK: 64, maxTemperature: 2 });
  if (thinks(m)) out.thinking = true;
  return out;
}

function unsupported(ctx: Ctx, id: string, method: string): void {
  sendGoogleError(
    ctx,
    notFound(
      `models/${id} is not found for API version ${ctx.record.path.split("/")[1] ?? "v1beta"}, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`,
    ),
  );
}

function listModels(ctx: Ctx): void {
  const all = MODELS.filter((m) => allowed(ctx, m));
  const max = ctx.env.state.options.maxModelsPageSize;
  const size = Math.min(max, Math.max(1, Number(ctx.url.searchParams.get("pageSize") ?? 50) || 50));
  const token = ctx.url.searchParams.get("pageToken");
  const start = token ? Number(Buffer.from(token, "base64url").toString("utf8")) : 0;
  if (!Number.isInteger(start) || start < 0 || start > all.length)
    return sendGoogleError(ctx, invalidArgument("Invalid page token."));
  const page = all.slice(start, start + size);
  const out: Record<string, unknown> = { models: page.map(describe) };
  if (start + size < all.length) out.nextPageToken = Buffer.from(String(start + size)).toString("base64url");
  sendJson(ctx, 200, out);
}

function embedOne(ctx: Ctx, m: ModelInfo, req: unknown): number[] | undefined {
  const content = field(req, "content");
  const parts = partsOf(content);
  if (parts.length === 0) {
    sendGoogleError(ctx, invalidArgument("* EmbedContentRequest.content: contents is not specified\n"));
    return undefined;
  }
  const text = parts.map((p) => (typeof p.text === "string" ? p.text : "")).join("");
  const dims = Number(field(req, "outputDimensionality") ?? DEFAULT_EMBEDDING_DIMS);
  if (!Number.isInteger(dims) || dims < 1 || dims > 3072) {
    sendGoogleError(ctx, invalidArgument("output_dimensionality must be between 1 and 3072."));
    return undefined;
  }
  return embed(m.id, text, dims);
}

function countTokens(ctx: Ctx, body: Record<string, unknown>): void {
  const inner = field(body, "generateContentRequest");
  const request = isObject(inner) ? inner : body;
  const err = validateContents(request.contents, "CountTokensRequest");
  if (err) return sendGoogleError(ctx, err);
  const total = Math.max(1, tokensFor(promptChars(request)));
  sendJson(ctx, 200, { totalTokens: total, promptTokensDetails: [{ modality: "TEXT", tokenCount: total }] });
}

export async function handleGeminiApi(ctx: Ctx): Promise<void> {
  const key = ctx.record.apiKey;
  if (!key) {
    return sendGoogleError(
      ctx,
      googleError(
        403,
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      ),
    );
  }
  if (!ctx.env.state.apiKeys.has(key)) return sendGoogleError(ctx, apiKeyInvalid());
  if (await applyFault(ctx)) return;
  if (ctx.badJson) return sendGoogleError(ctx, invalidJson(ctx.rawBody));
  const action = ctx.record.action ?? "";
  const id = ctx.record.model ?? "";
  if (action === "listModels") return listModels(ctx);
  const m = findModel(id);
  if (!m || !allowed(ctx, m)) return unsupported(ctx, id, action === "getModel" ? "get" : action);
  if (action === "getModel") return sendJson(ctx, 200, describe(m));
  const body = isObject(ctx.record.body) ? ctx.record.body : {};
  const chat = isChatModel(m);
  switch (action) {
    case "generateContent":
    case "streamGenerateContent":
      if (!chat) return unsupported(ctx, id, action);
      return runGenerate(ctx, {
        model: m,
        request: body,
        stream: action === "streamGenerateContent",
        vertex: false,
        wrap: (o) => o,
      });
    case "countTokens":
      return countTokens(ctx, body);
    case "embedContent": {
      if (chat) return unsupported(ctx, id, action);
      const values = embedOne(ctx, m, body);
      return values ? sendJson(ctx, 200, { embedding: { values } }) : undefined;
    }
    case "batchEmbedContents": {
      if (chat) return unsupported(ctx, id, action);
      const requests = Array.isArray(body.requests) ? body.requests : [];
      if (requests.length === 0)
        return sendGoogleError(
          ctx,
          invalidArgument("* BatchEmbedContentsRequest.requests: requests is not specified\n"),
        );
      const embeddings: { values: number[] }[] = [];
      for (const r of requests) {
        const rm = field(r, "model");
        if (typeof rm === "string" && findModel(rm)?.id !== m.id) {
          return sendGoogleError(
            ctx,
            invalidArgument(`Model in request (${rm}) does not match the model in the URL (models/${m.id}).`),
          );
        }
        const values = embedOne(ctx, m, r);
        if (!values) return;
        embeddings.push({ values });
      }
      return sendJson(ctx, 200, { embeddings });
    }
    default:
      return sendGoogleError(ctx, notFound(`Method not found: ${action}.`));
  }
}
