// OpenAI-shaped errors and the UpstreamError → OpenAI mapping (docs/openai-mapping.md#errors).

import type { UpstreamError } from "../../gemini/errors.ts";

export interface OpenAIErrorInit {
  type?: string;
  param?: string | null;
  code?: string | null;
  headers?: Record<string, string>;
}

export class OpenAIError extends Error {
  status: number;
  type: string;
  param: string | null;
  code: string | null;
  headers?: Record<string, string>;

  constructor(status: number, message: string, init: OpenAIErrorInit = {}) {
    super(message);
    this.name = "OpenAIError";
    this.status = status;
    this.type = init.type ?? (status >= 500 ? "server_error" : "invalid_request_error");
    this.param = init.param ?? null;
    this.code = init.code ?? null;
    if (init.headers) this.headers = init.headers;
  }
}

export function isOpenAIError(e: unknown): e is OpenAIError {
  return e instanceof OpenAIError;
}

export function openAIErrorBody(e: OpenAIError): {
  error: { message: string; type: string; param: string | null; code: string | null };
} {
  return { error: { message: e.message, type: e.type, param: e.param, code: e.code } };
}

/** 400 invalid_request_error naming the offending parameter. */
export function invalidParam(param: string | null, message: string, code = "invalid_value"): OpenAIError {
  return new OpenAIError(400, message, { type: "invalid_request_error", param, code });
}

export function modelNotFound(model: string): OpenAIError {
  return new OpenAIError(404, `The model \`${model}\` does not exist or you do not have access to it.`, {
    type: "invalid_request_error",
    param: "model",
    code: "model_not_found",
  });
}

/** retry-after (ceil seconds) and retry-after-ms headers for a delay in ms. */
export function retryHeaders(ms: number | undefined): Record<string, string> | undefined {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return undefined;
  return { "retry-after": String(Math.max(1, Math.ceil(ms / 1000))), "retry-after-ms": String(Math.ceil(ms)) };
}

export interface FromUpstreamOptions {
  /** Client-facing model id: prefixes messages and fills model_not_found. */
  model?: string;
  /** Current epoch ms, to turn `resetAt` into a retry-after when Google gave no delay. */
  now?: number;
}

const CONTEXT_RE = /input token count.*exceeds the maximum|exceeds the maximum number of tokens/i;

/** UpstreamError → OpenAIError (status table in docs/openai-mapping.md#errors). */
export function fromUpstreamError(e: UpstreamError, options: FromUpstreamOptions = {}): OpenAIError {
  const model = options.model ?? e.model;
  const text = model && !e.message.startsWith(model) ? `${model}: ${e.message}` : e.message;
  let delay = e.retryAfterMs;
  if (delay === undefined && e.resetAt !== undefined && options.now !== undefined)
    delay = Math.max(0, e.resetAt - options.now);
  const headers = retryHeaders(delay);
  switch (e.kind) {
    case "rate_limited":
      return new OpenAIError(429, text, { type: "requests", code: "rate_limit_exceeded", headers });
    case "quota_exhausted":
      return new OpenAIError(429, text, { type: "insufficient_quota", code: "insufficient_quota", headers });
    case "capacity":
      return new OpenAIError(503, text, { type: "server_error", code: "service_unavailable", headers });
    case "invalid_request": {
      if (CONTEXT_RE.test(e.message)) {
        const limit = /maximum number of tokens allowed \((\d+)\)/i.exec(e.message)?.[1];
        const hint = limit ? ` This model's maximum context length is ${limit} tokens.` : "";
        return new OpenAIError(400, text + hint, {
          type: "invalid_request_error",
          param: "messages",
          code: "context_length_exceeded",
        });
      }
      return new OpenAIError(400, text, { type: "invalid_request_error" });
    }
    case "not_found":
      return modelNotFound(model ?? "unknown");
    case "permission_denied":
      // The account's tier cannot use this model: the doc's "model/tier not allowed" row.
      return new OpenAIError(403, text, { type: "permission_error", param: "model", code: "model_not_allowed" });
    case "auth_expired":
    case "auth_revoked":
    case "validation_required":
    case "service_disabled":
      // The proxy's own credentials failed: never a 401/403 to a client whose key is fine.
      return new OpenAIError(503, `No usable upstream credential (${e.kind}): ${text}`, {
        type: "server_error",
        code: "service_unavailable",
        headers,
      });
    case "upstream_unavailable":
      if (e.status === 503)
        return new OpenAIError(503, text, { type: "server_error", code: "service_unavailable", headers });
      if (e.status === 504) return new OpenAIError(504, text, { type: "server_error", code: "timeout" });
      if (e.status === 500) return new OpenAIError(500, text, { type: "server_error", code: "internal_error" });
      return new OpenAIError(502, text, { type: "server_error", code: "bad_gateway" });
    case "network":
      if (/time[d ]?\s*out|deadline/i.test(e.message))
        return new OpenAIError(504, text, { type: "server_error", code: "timeout" });
      return new OpenAIError(502, text, { type: "server_error", code: "bad_gateway" });
    default:
      return new OpenAIError(500, text, { type: "server_error", code: "internal_error" });
  }
}
