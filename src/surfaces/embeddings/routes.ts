// OpenAI embeddings: POST /v1/embeddings (and without /v1) → Gemini batchEmbedContents on a pooled
// Gemini API key, through the dispatcher (lease, fail-over, cooldowns, request record). Code Assist
// has no embedding method, so a pool with only OAuth accounts answers 501 saying so.
import type { H3, H3Event } from "h3";
import { OpenAIError } from "../openai/errors.ts";
import { parseEmbeddingsRequest, toBatchRequests } from "./request.ts";
import { estimateTokens, toEmbeddingsResponse, vectorsOf } from "./response.ts";
import { readJsonBody } from "../../http/body.ts";
import type { AppContext } from "../../http/context.ts";
import { recordOf } from "../../http/request-record.ts";
import { apiJson } from "../../http/api-answer.ts";
import { clientSignalOf } from "../../http/client-signal.ts";
import { openAIFailure } from "../openai/failure.ts";
import { defineSurfaceRoute } from "../_route.ts";

export const NO_API_KEY_MESSAGE =
  "Embeddings need a Gemini API key in the pool (option geminiApiKeys / config gemini_api_keys): Gemini CLI (Code Assist) accounts cannot embed, Google's Code Assist API has no embedding method.";

async function embeddings(event: H3Event, ctx: AppContext): Promise<Response> {
  const record = recordOf(event);
  const body = await readJsonBody(event.req, ctx.options.maxBodySize);
  const plan = parseEmbeddingsRequest(body, ctx.options.embeddings);
  record.model = plan.model;
  if (!ctx.pool.hasKind("api_key"))
    throw new OpenAIError(501, NO_API_KEY_MESSAGE, { type: "invalid_request_error", code: "unsupported_endpoint" });
  const batches = toBatchRequests(plan);
  const result = await ctx.dispatcher.withApiKey(
    plan.model,
    async (key, signal) => {
      const vectors: number[][] = [];
      for (const batch of batches) {
        const answer = await ctx.geminiApi.call<unknown>(key, plan.model, "batchEmbedContents", batch, signal);
        vectors.push(...vectorsOf(answer, (batch.requests as unknown[]).length));
      }
      return vectors;
    },
    { signal: clientSignalOf(event), surface: "embeddings", record },
  );
  const tokens = estimateTokens(plan.inputs);
  record.usage = { prompt: tokens, candidates: 0, thoughts: 0, cached: 0, total: tokens };
  const model = (body as { model: string }).model; // echoed as the client wrote it
  return apiJson(toEmbeddingsResponse(result.value, plan, model, tokens), record.id);
}

export function registerEmbeddingsRoutes(app: H3, ctx: AppContext): void {
  const handler = defineSurfaceRoute(ctx, openAIFailure("embeddings surface"), (event) => embeddings(event, ctx));
  for (const prefix of ["/v1", ""]) {
    app.post(`${prefix}/embeddings`, handler);
    app.post(`${prefix}/embeddings/`, handler);
  }
}
