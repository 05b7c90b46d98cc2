// The small JSON calls to Google (OAuth token, userinfo, tokeninfo, revoke; loadCodeAssist,
// onboardUser, operations, quota, countTokens; the key check's models list) go through ofetch,
// bound to the proxy's undici dispatcher so the outbound proxy and timeouts apply. The answer is
// read as text: the error classifiers see exactly the body Google sent, and a 2xx body that is
// not JSON is reported as Google's fault. Generation and streaming stay on undici's request().
import { FetchError } from "ofetch";
import { networkError } from "../gemini/classify.ts";
import { UpstreamError } from "../gemini/errors.ts";
import type { HttpClient } from "./http-client.ts";
import { jsonBody } from "./_request.ts";

export interface JsonCall {
  method: "GET" | "POST";
  headers?: Record<string, string>;
  /** A JSON value, or a form. */
  body?: unknown;
  signal?: AbortSignal;
  /** Names the call in network errors ("OAuth token endpoint"). */
  what: string;
  /** Turns a non-2xx answer into the error the caller reacts to. */
  failure: (status: number, bodyText: string, headers: Headers) => UpstreamError;
}

function serialize(body: unknown): string | URLSearchParams | undefined {
  return body === undefined || body instanceof URLSearchParams ? body : jsonBody(body);
}

export async function callJson<T>(http: HttpClient, url: string, call: JsonCall): Promise<T> {
  const body = serialize(call.body);
  const json: Record<string, string> = typeof body === "string" ? { "content-type": "application/json" } : {};
  let text: string;
  try {
    text = await http.json<string, "text">(url, {
      method: call.method,
      headers: { accept: "application/json", ...json, ...call.headers },
      body,
      signal: call.signal,
      responseType: "text",
      retry: 0, // fail-over and refresh decisions belong to the pool, not to a silent retry
    });
  } catch (error) {
    if (error instanceof FetchError && error.response) {
      const bodyText = typeof error.data === "string" ? error.data : "";
      throw call.failure(error.response.status, bodyText, error.response.headers);
    }
    // ofetch wraps the transport's own error (undici's, or the abort): classify that one.
    throw networkError(error instanceof FetchError && error.cause ? error.cause : error, call.what);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new UpstreamError({
      kind: "upstream_unavailable",
      status: 200,
      message: `${call.what} returned invalid JSON`,
      cause: error,
    });
  }
}
