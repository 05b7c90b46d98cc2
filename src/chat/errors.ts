// The neutral client error of the chat core: what went wrong, never an HTTP status. Each surface's
// failure.ts turns it into its own wire error (status, type names, param spelling of its dialect).

/**
 * - `invalid_request`: the client's body is wrong (a 400 everywhere);
 * - `not_found`: the model (or another named resource) does not exist;
 * - `bad_reply`: Google answered, but with nothing usable (no candidates, a failure finish reason,
 *   a stream cut before its finish reason): the proxy's upstream failed, not the client.
 */
export type ChatErrorKind = "invalid_request" | "not_found" | "bad_reply";

export class ChatError extends Error {
  readonly kind: ChatErrorKind;
  /** The offending field, spelled in the client's dialect (`messages[2].content`), or null. */
  readonly param: string | null;
  /** A stable machine-readable code (`invalid_value`, `model_not_found`, `stream_incomplete`…). */
  readonly code: string;

  constructor(kind: ChatErrorKind, message: string, param: string | null, code: string) {
    super(message);
    this.name = "ChatError";
    this.kind = kind;
    this.param = param;
    this.code = code;
  }
}

/** A client mistake naming the offending parameter. */
export function invalidParam(param: string | null, message: string, code = "invalid_value"): ChatError {
  return new ChatError("invalid_request", message, param, code);
}

export function modelNotFound(model: string, message?: string): ChatError {
  return new ChatError(
    "not_found",
    message ?? `The model \`${model}\` does not exist or you do not have access to it.`,
    "model",
    "model_not_found",
  );
}

/** Google's reply cannot be turned into an answer (the code says why). */
export function badReply(message: string, code: string): ChatError {
  return new ChatError("bad_reply", message, null, code);
}
