// Shared plumbing of the two transports: POST JSON, turn non-2xx into classified errors, turn
// network failures into `network` errors, and stream SSE bodies as parsed chunks.
import { classifyGoogleError, networkError } from "../gemini/classify.ts";
import { UpstreamError, isUpstreamError } from "../gemini/errors.ts";
import { parseSSE } from "../gemini/sse.ts";
import type { HttpClient } from "./http-client.ts";

export interface PostInit {
  headers: Record<string, string>;
  body: unknown;
  signal?: AbortSignal;
  model?: string;
}

export async function postJson(http: HttpClient, url: string, init: PostInit): Promise<Response> {
  let res: Response;
  try {
    res = await http.fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...init.headers },
      body: JSON.stringify(init.body),
      signal: init.signal,
    });
  } catch (error) {
    throw networkError(error, "upstream request");
  }
  if (!res.ok) {
    let bodyText = "";
    try {
      bodyText = await res.text();
    } catch {
      // the body is only a hint; the status still classifies the failure
    }
    throw classifyGoogleError({ status: res.status, bodyText, headers: res.headers, model: init.model });
  }
  return res;
}

export async function readJson<T>(res: Response): Promise<T> {
  const text = await res.text().catch((error: unknown) => {
    throw networkError(error, "upstream response");
  });
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new UpstreamError({ kind: "upstream_unavailable", status: res.status, message: "Upstream returned invalid JSON", cause: error });
  }
}

/** Parsed SSE chunks of a 2xx response, mapped by `map`; body failures become `network` errors. */
export async function* sseChunks<T>(res: Response, map: (value: unknown) => T | undefined): AsyncGenerator<T> {
  if (!res.body) return;
  try {
    for await (const value of parseSSE(res.body)) {
      const out = map(value);
      if (out !== undefined) yield out;
    }
  } catch (error) {
    if (isUpstreamError(error)) throw error;
    throw networkError(error, "upstream stream");
  }
}
