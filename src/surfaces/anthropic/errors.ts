// Anthropic's error shape ({type:"error", error:{type, message, details?}}) and its type names by
// status (docs/openai-mapping.md#anthropic-messages). Used by this surface's failure.ts and by the
// HTTP layer for errors it decides itself (auth, unknown route) on Anthropic paths.

export interface AnthropicErrorDetails {
  /** A stable code a client can branch on (`rate_limit_exceeded`, `context_length_exceeded`…). */
  error_code: string;
  /** The page that fixes an account problem. */
  link?: string;
}

export interface AnthropicWireError {
  status: number;
  body: { type: "error"; error: { type: string; message: string; details?: AnthropicErrorDetails } };
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
  details?: AnthropicErrorDetails,
): AnthropicWireError {
  const error = { type: anthropicErrorType(status), message, ...(details ? { details } : {}) };
  return { status, body: { type: "error", error }, headers };
}
