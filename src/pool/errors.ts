// Errors raised by the pool itself (as opposed to errors from Google).

/** Why no credential may serve when a human must act on an account (verify it, enable an API, get a licence). */
export interface AccessProblem {
  kind: "validation_required" | "service_disabled";
  /** Google's words, as stored on the credential. */
  reason?: string;
  /** The page that fixes it (verification, API activation). */
  link?: string;
}

/** No credential can serve this model right now. */
export class NoCredentialError extends Error {
  /** When the soonest cooling credential frees up, if any is only cooling. */
  readonly retryAfterMs?: number;
  readonly model: string;
  /** Set when accounts waiting for a human are why nothing can serve (surfaces answer 403 with the link). */
  readonly access?: AccessProblem;
  /** `options.cause`: Google's last answer in this request, when there was one. */
  constructor(
    model: string,
    message: string,
    retryAfterMs?: number,
    options?: { cause?: unknown; access?: AccessProblem },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "NoCredentialError";
    this.model = model;
    this.retryAfterMs = retryAfterMs;
    if (options?.access) this.access = options.access;
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
