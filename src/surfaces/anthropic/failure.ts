// Any failure on the Anthropic surface → Anthropic's wire error, from the closed set of upstream
// kinds, the pool's errors, body errors and the core's ChatError (docs/openai-mapping.md#anthropic-messages).
// Statuses follow the common table; Google's capacity errors are 529 overloaded_error, as Anthropic
// answers. Errors a client can act on carry `error.details.error_code` (and the fix-it link).
import { ClientRequestError } from "../../keys/access.ts";
import { ChatError } from "../../chat/errors.ts";
import { isUpstreamError, type UpstreamError } from "../../gemini/errors.ts";
import { NoCredentialError } from "../../pool/errors.ts";
import { BodyError } from "../../http/body.ts";
import type { SurfaceFailure } from "../_route.ts";
import {
  accessMessage,
  accessProblemOf,
  contextOverflow,
  errorClassOf,
  lastUpstreamError,
  retryDelay,
  retryHeaders,
} from "../_failure.ts";
import { anthropicError, type AnthropicWireError } from "./errors.ts";

function fromUpstream(e: UpstreamError, model: string | undefined, wait?: number): AnthropicWireError {
  const name = model ?? e.model;
  const text = name && !e.message.startsWith(name) ? `${name}: ${e.message}` : e.message;
  const headers = retryHeaders(wait ?? retryDelay(e)) ?? {};
  const wire = (status: number, code?: string, message = text) =>
    anthropicError(status, message, headers, code ? { error_code: code } : undefined);
  switch (e.kind) {
    case "rate_limited":
      return wire(429, "rate_limit_exceeded");
    case "quota_exhausted":
      return wire(429, "quota_exhausted");
    case "capacity":
      return wire(529, "overloaded");
    case "invalid_request": {
      const overflow = contextOverflow(e);
      if (!overflow) return wire(400);
      // Claude Code compacts the conversation when it reads Anthropic's own wording.
      const counts =
        overflow.tokens !== undefined && overflow.limit !== undefined
          ? `${overflow.tokens} tokens > ${overflow.limit} maximum`
          : text;
      return wire(400, "context_length_exceeded", `prompt is too long: ${counts}`);
    }
    case "not_found":
      return wire(404, "model_not_found");
    case "permission_denied":
      return wire(403, "model_not_allowed");
    case "validation_required":
    case "service_disabled": {
      const access = accessProblemOf(e)!;
      return anthropicError(
        403,
        accessMessage(access, e.message),
        {},
        {
          error_code: e.kind,
          ...(access.link ? { link: access.link } : {}),
        },
      );
    }
    case "auth_expired":
    case "auth_revoked":
      // The proxy's own credentials failed: never a 401/403 to a client whose key is fine.
      return wire(503, "service_unavailable", `No usable upstream credential (${e.kind}): ${text}`);
    case "upstream_unavailable":
      if (e.status === 504) return wire(504, "timeout");
      if (e.status === 500) return wire(500, "internal_error");
      return wire(e.status === 503 ? 503 : 502, e.status === 503 ? "service_unavailable" : "bad_gateway");
    case "network":
      return /time[d ]?\s*out|deadline/i.test(e.message) ? wire(504, "timeout") : wire(502, "bad_gateway");
    default:
      return wire(500);
  }
}

function fromChatError(e: ChatError): AnthropicWireError {
  switch (e.kind) {
    case "invalid_request":
      return anthropicError(400, e.message);
    case "not_found":
      return anthropicError(404, e.message);
    case "bad_reply":
      return anthropicError(502, e.message, {}, { error_code: e.code });
  }
}

export function toAnthropicWire(error: unknown, model?: string): AnthropicWireError {
  if (error instanceof ChatError) return fromChatError(error);
  if (error instanceof ClientRequestError)
    return anthropicError(error.status, error.message, error.headers, { error_code: error.code });
  if (error instanceof BodyError) return anthropicError(error.status, error.message);
  if (isUpstreamError(error)) return fromUpstream(error, model);
  if (error instanceof NoCredentialError) {
    // The pool gave up after Google's last answer: that answer's class, with the pool's own wait.
    const last = lastUpstreamError(error);
    if (last) {
      const wire = fromUpstream(last, model, error.retryAfterMs);
      if (wire.status !== 403) wire.body.error.message = error.message;
      return wire;
    }
    if (error.retryAfterMs !== undefined)
      return anthropicError(429, error.message, retryHeaders(error.retryAfterMs), {
        error_code: "rate_limit_exceeded",
      });
    if (error.access)
      return anthropicError(
        403,
        accessMessage(error.access, error.message),
        {},
        {
          error_code: error.access.kind,
          ...(error.access.link ? { link: error.access.link } : {}),
        },
      );
    return anthropicError(503, error.message, {}, { error_code: "service_unavailable" });
  }
  return anthropicError(500, "Internal error");
}

export function anthropicResponse(wire: AnthropicWireError, requestId: string): Response {
  return Response.json(wire.body, {
    status: wire.status,
    headers: Object.assign({}, wire.headers, { "x-request-id": requestId, "request-id": requestId }),
  });
}

/** Anthropic's error shape for the Messages routes. */
export const anthropicFailure: SurfaceFailure = {
  label: "anthropic surface",
  errorClass: errorClassOf,
  respond(error, record) {
    const wire = toAnthropicWire(error, record.model);
    return {
      response: anthropicResponse(wire, record.id),
      unexpected: wire.status === 500 && wire.body.error.message === "Internal error",
    };
  },
};
