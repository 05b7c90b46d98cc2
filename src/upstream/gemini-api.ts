// Gemini API (generativelanguage, API keys) transport: same interface as Code Assist, bodies as-is.
import { joinURL, withQuery } from "ufo";
import { UpstreamError } from "../gemini/errors.ts";
import type { CountTokensResponse, GenerateContentResponse } from "../gemini/types.ts";
import type { HttpClient } from "./http-client.ts";
import type { ClientSignal, Transport, UpstreamAuth } from "./transport.ts";
import { postJson, readJson, send, sseChunks } from "./_request.ts";

export interface GeminiApiOptions {
  http: HttpClient;
  baseUrl: string;
}

function keyOf(auth: UpstreamAuth): string {
  if (auth.kind !== "api_key") {
    throw new UpstreamError({
      kind: "invalid_request",
      status: 0,
      message: "The Gemini API needs an API key credential",
    });
  }
  return auth.apiKey;
}

/** One entry of Google's `models.list` (the fields the proxy reads; others are kept as Google sent them). */
export interface GoogleModelEntry {
  name: string;
  displayName?: string;
  inputTokenLimit?: number;
  outputTokenLimit?: number;
  supportedGenerationMethods?: string[];
  thinking?: boolean;
  [field: string]: unknown;
}

/** Pages of `models.list` followed at most this many times (Google lists well under 1000 models). */
const MAX_LIST_PAGES = 10;

const asChunk = (value: unknown): GenerateContentResponse | undefined =>
  value && typeof value === "object" ? (value as GenerateContentResponse) : undefined;

export function createGeminiApiClient(options: GeminiApiOptions) {
  // Made once per model and action: joinURL, and withQuery for streams, parse and rebuild the URL,
  // which cost more than the rest of the request's own work on the key path.
  const urls = new Map<string, string>();
  const modelUrl = (model: string, action: string, sse = false) => {
    const known = `${model}\n${action}\n${sse}`;
    let url = urls.get(known);
    if (url === undefined) {
      url = joinURL(options.baseUrl, "v1beta/models", `${encodeURIComponent(model)}:${action}`);
      if (sse) url = withQuery(url, { alt: "sse" });
      if (urls.size >= 1024) urls.clear(); // model names come from clients: bounded
      urls.set(known, url);
    }
    return url;
  };

  /** Any `models/{model}:{action}` POST (embedContent, batchEmbedContents, ...): used for pass-through. */
  async function call<T>(
    apiKey: string,
    model: string,
    action: string,
    body: unknown,
    signal?: ClientSignal,
  ): Promise<T> {
    const res = await postJson(options.http, modelUrl(model, action), {
      headers: { "x-goog-api-key": apiKey },
      body,
      signal,
      model,
    });
    return readJson<T>(res);
  }

  const transport: Transport = {
    async generate(auth, c) {
      return call<GenerateContentResponse>(keyOf(auth), c.model, "generateContent", c.request, c.signal);
    },
    async stream(auth, c) {
      const res = await postJson(options.http, modelUrl(c.model, "streamGenerateContent", true), {
        headers: { "x-goog-api-key": keyOf(auth), accept: "text/event-stream" },
        body: c.request,
        signal: c.signal,
        model: c.model,
      });
      return sseChunks(res, asChunk);
    },
    async countTokens(auth, c) {
      return call<CountTokensResponse>(keyOf(auth), c.model, "countTokens", c.request, c.signal);
    },
  };

  /** Every model the key may use: `GET /v1beta/models`, following `nextPageToken`. */
  async function listModels(apiKey: string, signal?: AbortSignal): Promise<GoogleModelEntry[]> {
    const out: GoogleModelEntry[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const url = withQuery(joinURL(options.baseUrl, "v1beta/models"), { pageSize: 1000, pageToken });
      const res = await send(options.http, url, { method: "GET", headers: { "x-goog-api-key": apiKey }, signal });
      const body = await readJson<{ models?: unknown; nextPageToken?: unknown }>(res);
      for (const m of Array.isArray(body?.models) ? body.models : []) {
        if (m && typeof m === "object" && typeof (m as GoogleModelEntry).name === "string")
          out.push(m as GoogleModelEntry);
      }
      pageToken = typeof body?.nextPageToken === "string" && body.nextPageToken ? body.nextPageToken : undefined;
      if (!pageToken) break;
    }
    return out;
  }

  return { transport, call, listModels };
}

export type GeminiApiClient = ReturnType<typeof createGeminiApiClient>;
