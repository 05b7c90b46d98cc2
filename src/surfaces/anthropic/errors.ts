// Any failure → Anthropic's error shape and status (docs/openai-mapping.md#anthropic-messages): {type:"error",
// error:{type, message}}. The OpenAI surface's mapping decides the status and message (one table
// for every surface); Google's capacity errors become 529 overloaded_error, as Anthropic answers.

import { isUpstreamError } from "../../gemini/errors.ts";
import type { OpenAIError } from "../openai/errors.ts";

export interface AnthropicWireError {
  status: number;
  body: { type: "error"; error: { type: string; message: string } };
  headers: Record<string, string>;
}

const TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  529: "overloaded_error",
};

export function anthropicErrorType(status: number): string {
  return TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

export function anthropicError(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): AnthropicWireError {
  return { status, body: { type: "error", error: { type: anthropicErrorType(status), message } }, headers };
}

/** `mapped` is the OpenAI surface's reading of `cause` (status, message, retry headers). */
export function fromOpenAIError(mapped: OpenAIError, cause: unknown): AnthropicWireError {
  const lastCause = (cause as { cause?: unknown } | undefined)?.cause;
  const capacity =
    (isUpstreamError(cause) && cause.kind === "capacity") ||
    (isUpstreamError(lastCause) && lastCause.kind === "capacity");
  return anthropicError(capacity ? 529 : mapped.status, mapped.message, { ...mapped.headers });
}
