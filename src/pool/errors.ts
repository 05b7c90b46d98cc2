// Errors raised by the pool itself (as opposed to errors from Google).

/** No credential can serve this model right now. */
export class NoCredentialError extends Error {
  /** When the soonest cooling credential frees up, if any is only cooling. */
  readonly retryAfterMs?: number;
  readonly model: string;
  /** `options.cause`: Google's last answer in this request, when there was one. */
  constructor(model: string, message: string, retryAfterMs?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NoCredentialError";
    this.model = model;
    this.retryAfterMs = retryAfterMs;
  }
}

/** A credential given to `pool.add()` is unusable as given (not an account problem). */
export class InvalidCredentialError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "InvalidCredentialError";
    this.code = code;
  }
}
