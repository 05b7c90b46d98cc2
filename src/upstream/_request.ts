// Shared plumbing of the two transports: POST JSON, turn non-2xx into classified errors, turn
// network failures into `network` errors, and stream SSE bodies as parsed chunks.
import { classifyGoogleError, networkError } from "../gemini/classify.ts";
import { UpstreamError, isUpstreamError } from "../gemini/errors.ts";
import { parseSSE } from "../gemini/sse.ts";
import type { HttpClient, UpstreamResponse } from "./http-client.ts";
import type { ClientSignal } from "./transport.ts";

export interface PostInit {
  headers: Record<string, string>;
  body: unknown;
  signal?: ClientSignal;
  model?: string;
}

function webHeaders(raw: UpstreamResponse["headers"]): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (Array.isArray(v)) for (const item of v) headers.append(k, item);
    else if (v !== undefined) headers.set(k, v);
  }
  return headers;
}

/** A request body as JSON; a value that cannot be serialized is the request's own fault, never the credential's. */
export function jsonBody(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    // e.g. nested too deep to serialize
    throw new UpstreamError({
      kind: "invalid_request",
      status: 400,
      message: `The request could not be serialized: ${(error as Error).message}`,
      cause: error,
    });
  }
}

/** Not async: a value that cannot be serialized throws here, inside the transport's own async call. */
export function postJson(http: HttpClient, url: string, init: PostInit): Promise<UpstreamResponse> {
  const body = jsonBody(init.body);
  return send(http, url, {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body,
    signal: init.signal,
    model: init.model,
  });
}

export interface SendInit {
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  signal?: ClientSignal;
  model?: string;
}

/** One request to Google: network failures and non-2xx answers become classified errors. */
export async function send(http: HttpClient, url: string, init: SendInit): Promise<UpstreamResponse> {
  let res: UpstreamResponse;
  try {
    res = await http.request(url, { method: init.method, headers: init.headers, body: init.body, signal: init.signal });
  } catch (error) {
    throw networkError(error, "upstream request");
  }
  if (res.statusCode < 200 || res.statusCode >= 300) {
    let bodyText = "";
    try {
      bodyText = await res.body.text();
    } catch {
      // the body is only a hint; the status still classifies the failure
    }
    throw classifyGoogleError({
      status: res.statusCode,
      bodyText,
      headers: webHeaders(res.headers),
      model: init.model,
    });
  }
  return res;
}

/** The 2xx body as JSON (one promise on top of undici's own, this is every answer's path). */
export function readJson<T>(res: UpstreamResponse): Promise<T> {
  return res.body.text().then(
    (text) => {
      try {
        return JSON.parse(text) as T;
      } catch (error) {
        throw new UpstreamError({
          kind: "upstream_unavailable",
          status: res.statusCode,
          message: "Upstream returned invalid JSON",
          cause: error,
        });
      }
    },
    (error: unknown) => {
      throw networkError(error, "upstream response");
    },
  );
}

/** Parsed SSE chunks of a 2xx response, mapped by `map`; body failures become `network` errors. */
export function sseChunks<T>(res: UpstreamResponse, map: (value: unknown) => T | undefined): AsyncGenerator<T> {
  return parseSSE(res.body, {
    map,
    wrapError: (error) => (isUpstreamError(error) ? error : networkError(error, "upstream stream")),
  });
}
