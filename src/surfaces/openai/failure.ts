// Any failure on the OpenAI surface → an OpenAIError (status, type, code, param, retry headers)
// and its wire response (docs/openai-mapping.md#errors).
import { FastResponse } from "srvx";
import { isUpstreamError, type UpstreamError } from "../../gemini/errors.ts";
import { fromUpstreamError, OpenAIError, openAIErrorBody, retryHeaders } from "./errors.ts";
import { NoCredentialError } from "../../pool/errors.ts";
import { BodyError } from "../../http/body.ts";
import type { SurfaceFailure } from "../_route.ts";
import { ClientRequestError } from "../../keys/access.ts";

export function toOpenAIError(error: unknown, model?: string): OpenAIError {
  if (error instanceof OpenAIError) return error;
  if (error instanceof ClientRequestError)
    return new OpenAIError(error.status, error.message, {
      code: error.code,
      headers: error.headers,
      type: error.status === 403 ? "permission_error" : undefined,
    });
  if (error instanceof BodyError) {
    return new OpenAIError(error.status, error.message, {
      type: "invalid_request_error",
      code: error.status === 413 ? "request_too_large" : "invalid_json",
    });
  }
  if (isUpstreamError(error)) return fromUpstreamError(error, { model, now: Date.now() });
  if (error instanceof NoCredentialError) {
    // The pool gave up after Google's last answer: that answer's class, with the pool's own wait.
    const last = lastUpstreamError(error);
    if (last) {
      const mapped = fromUpstreamError(last, { model, now: Date.now() });
      return new OpenAIError(mapped.status, error.message, {
        type: mapped.type,
        code: mapped.code,
        param: mapped.param,
        headers: retryHeaders(error.retryAfterMs) ?? mapped.headers,
      });
    }
    // Every credential is cooling down: a rate limit the client can wait out; none usable at all: 503.
    if (error.retryAfterMs !== undefined) {
      return new OpenAIError(429, error.message, {
        type: "requests",
        code: "rate_limit_exceeded",
        headers: retryHeaders(error.retryAfterMs),
      });
    }
    return new OpenAIError(503, error.message, { type: "server_error", code: "service_unavailable" });
  }
  return new OpenAIError(500, "Internal error", { type: "server_error", code: "internal_error" });
}

function lastUpstreamError(error: NoCredentialError): UpstreamError | undefined {
  const cause = (error as { cause?: unknown }).cause;
  return isUpstreamError(cause) ? cause : undefined;
}

/** The request record's error class: the upstream kind, or the surface's own. */
export function openAIErrorClass(error: unknown): string {
  if (isUpstreamError(error)) return error.kind;
  if (error instanceof ClientRequestError) return error.code;
  if (error instanceof NoCredentialError) return lastUpstreamError(error)?.kind ?? "no_credentials";
  if (error instanceof BodyError) return "invalid_request";
  if (error instanceof OpenAIError) {
    if (error.status === 404) return "not_found";
    if (error.status < 500) return "invalid_request";
    return error.code ?? "upstream_error";
  }
  return "internal";
}

export function errorResponse(error: OpenAIError, requestId?: string): Response {
  const headers: Record<string, string> = { ...error.headers };
  if (requestId) headers["x-request-id"] = requestId;
  return FastResponse.json(openAIErrorBody(error), { status: error.status, headers });
}

/** OpenAI's error shape for a surface route (chat, Responses, embeddings); `label` names it in logs. */
export function openAIFailure(label: string): SurfaceFailure {
  return {
    label,
    errorClass: openAIErrorClass,
    respond(error, record) {
      const e = toOpenAIError(error, record.model);
      return {
        response: errorResponse(e, record.id),
        unexpected: e.code === "internal_error" && e.message === "Internal error",
      };
    },
  };
}
