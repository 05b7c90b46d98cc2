// The OpenAI-family wire error (chat, Responses, embeddings share OpenAI's error shape) and the
// UpstreamError → OpenAI table (docs/openai-mapping.md#errors).

import type { UpstreamError } from "../../gemini/errors.ts";
import { accessMessage, accessProblemOf, contextOverflow, retryDelay, retryHeaders } from "../_failure.ts";

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

export function openAIErrorBody(e: OpenAIError): {
  error: { message: string; type: string; param: string | null; code: string | null };
} {
  return { error: { message: e.message, type: e.type, param: e.param, code: e.code } };
}

export function modelNotFoundError(model: string): OpenAIError {
  return new OpenAIError(404, `The model \`${model}\` does not exist or you do not have access to it.`, {
    type: "invalid_request_error",
    param: "model",
    code: "model_not_found",
  });
}

export interface FromUpstreamOptions {
  /** Client-facing model id: prefixes messages and fills model_not_found. */
  model?: string;
  /** Current epoch ms, to turn `resetAt` into a retry-after when Google gave no delay. */
  now?: number;
}

/** UpstreamError → OpenAIError (status table in docs/openai-mapping.md#errors). */
export function fromUpstreamError(e: UpstreamError, options: FromUpstreamOptions = {}): OpenAIError {
  const model = options.model ?? e.model;
  const text = model && !e.message.startsWith(model) ? `${model}: ${e.message}` : e.message;
  const headers = retryHeaders(retryDelay(e, options.now ?? Date.now()));
  switch (e.kind) {
    case "rate_limited":
      return new OpenAIError(429, text, { type: "requests", code: "rate_limit_exceeded", headers });
    case "quota_exhausted":
      return new OpenAIError(429, text, { type: "insufficient_quota", code: "insufficient_quota", headers });
    case "capacity":
      return new OpenAIError(503, text, { type: "server_error", code: "service_unavailable", headers });
    case "invalid_request": {
      const overflow = contextOverflow(e);
      if (overflow) {
        const hint = overflow.limit ? ` This model's maximum context length is ${overflow.limit} tokens.` : "";
        return new OpenAIError(400, text + hint, {
          type: "invalid_request_error",
          param: "messages",
          code: "context_length_exceeded",
        });
      }
      return new OpenAIError(400, text, { type: "invalid_request_error" });
    }
    case "not_found":
      return modelNotFoundError(model ?? "unknown");
    case "permission_denied":
      // The account's tier cannot use this model: the doc's "model/tier not allowed" row.
      return new OpenAIError(403, text, { type: "permission_error", param: "model", code: "model_not_allowed" });
    case "validation_required":
    case "service_disabled":
      // A human must fix the account: retrying cannot help, the link can.
      return new OpenAIError(403, accessMessage(accessProblemOf(e)!, e.message), {
        type: "permission_error",
        code: e.kind,
      });
    case "auth_expired":
    case "auth_revoked":
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
