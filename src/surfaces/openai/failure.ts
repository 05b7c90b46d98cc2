// Any failure on an OpenAI-family surface (chat, Responses, embeddings) → an OpenAIError (status,
// type, code, param, retry headers) and its wire response (docs/openai-mapping.md#errors). The one
// place where upstream kinds, pool errors, body errors and the core's ChatError get OpenAI's shape.
import { FastResponse } from "srvx";
import { ChatError } from "../../chat/errors.ts";
import { isUpstreamError } from "../../gemini/errors.ts";
import { NoCredentialError } from "../../pool/errors.ts";
import { BodyError } from "../../http/body.ts";
import type { SurfaceFailure } from "../_route.ts";
import { ClientRequestError } from "../../keys/access.ts";
import { accessMessage, errorClassOf, lastUpstreamError, retryHeaders } from "../_failure.ts";
import { fromUpstreamError, OpenAIError, openAIErrorBody } from "./errors.ts";

function fromChatError(e: ChatError): OpenAIError {
  switch (e.kind) {
    case "invalid_request":
      return new OpenAIError(400, e.message, { type: "invalid_request_error", param: e.param, code: e.code });
    case "not_found":
      return new OpenAIError(404, e.message, { type: "invalid_request_error", param: e.param, code: e.code });
    case "bad_reply":
      return new OpenAIError(502, e.message, { type: "server_error", code: e.code });
  }
}

export function toOpenAIError(error: unknown, model?: string): OpenAIError {
  if (error instanceof OpenAIError) return error;
  if (error instanceof ChatError) return fromChatError(error);
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
      return new OpenAIError(mapped.status, mapped.status === 403 ? mapped.message : error.message, {
        type: mapped.type,
        code: mapped.code,
        param: mapped.param,
        headers: retryHeaders(error.retryAfterMs) ?? mapped.headers,
      });
    }
    // Every credential is cooling down: a rate limit the client can wait out.
    if (error.retryAfterMs !== undefined) {
      return new OpenAIError(429, error.message, {
        type: "requests",
        code: "rate_limit_exceeded",
        headers: retryHeaders(error.retryAfterMs),
      });
    }
    // Accounts wait for a human: say so and give the link, on every request.
    if (error.access)
      return new OpenAIError(403, accessMessage(error.access, error.message), {
        type: "permission_error",
        code: error.access.kind,
      });
    return new OpenAIError(503, error.message, { type: "server_error", code: "service_unavailable" });
  }
  return new OpenAIError(500, "Internal error", { type: "server_error", code: "internal_error" });
}

/** The request record's error class (shared by every surface). */
export const openAIErrorClass = errorClassOf;

export function errorResponse(error: OpenAIError, requestId?: string): Response {
  const headers: Record<string, string> = { ...error.headers };
  if (requestId) headers["x-request-id"] = requestId;
  return FastResponse.json(openAIErrorBody(error), { status: error.status, headers });
}

/** OpenAI's error shape for a surface route (chat, Responses, embeddings); `label` names it in logs. */
export function openAIFailure(label: string): SurfaceFailure {
  return {
    label,
    errorClass: errorClassOf,
    respond(error, record) {
      const e = toOpenAIError(error, record.model);
      return {
        response: errorResponse(e, record.id),
        unexpected: e.code === "internal_error" && e.message === "Internal error",
      };
    },
  };
}
