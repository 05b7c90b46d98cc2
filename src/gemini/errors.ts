// Upstream failures as data: a closed set of kinds that the pool maps to actions and each surface
// maps to its own wire error (docs/architecture.md, "Errors are data").

/** The closed set of classified upstream errors. */
export type UpstreamErrorKind =
  | "rate_limited" // short per-minute style limit: cool the model briefly, try another credential
  | "quota_exhausted" // daily / long quota: cool the model until Google's reset time
  | "capacity" // Google's capacity (MODEL_CAPACITY_EXHAUSTED, 503 overload): not the account's fault
  | "auth_expired" // 401: refresh once and retry
  | "auth_revoked" // invalid_grant on refresh: credential is dead until re-login
  | "validation_required" // 403 VALIDATION_REQUIRED: a human must verify the account
  | "service_disabled" // 403 SERVICE_DISABLED / SUBSCRIPTION_REQUIRED / ineligible tier
  | "permission_denied" // other 403
  | "invalid_request" // 400 caused by the request: return to the client, no penalty
  | "not_found" // 404 (unknown model or method)
  | "upstream_unavailable" // 5xx without capacity markers
  | "network"; // connect/read timeout, reset, premature close

/** The parsed google.rpc status (`{error:{code,message,status,details}}`). */
export interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  details?: Record<string, unknown>[];
  errors?: Record<string, unknown>[];
  [key: string]: unknown;
}

export interface UpstreamErrorInit {
  kind: UpstreamErrorKind;
  /** HTTP status from Google (0 for network errors). */
  status: number;
  message: string;
  /** google.rpc status string, e.g. RESOURCE_EXHAUSTED. */
  googleStatus?: string;
  /** ErrorInfo.reason, e.g. QUOTA_EXHAUSTED. */
  reason?: string;
  /** How long Google asks us to wait (RetryInfo, "Please retry in", quotaResetDelay), in ms. */
  retryAfterMs?: number;
  /** Absolute time (epoch ms) when a quota resets, when Google gives one. */
  resetAt?: number;
  /** Model named by the error metadata, when present. */
  model?: string;
  /** A link for the human (verification, activation, help). */
  link?: string;
  /** Parsed Google error body, kept for the native surface (which forwards Google's shape). */
  body?: GoogleErrorBody;
  /** Node/undici error code for `network` errors (ECONNRESET, UND_ERR_HEADERS_TIMEOUT, ...). */
  code?: string;
  cause?: unknown;
}

/** An upstream (Google) failure, classified: `kind` tells the pool what to do and each surface how to answer. */
export class UpstreamError extends Error {
  readonly kind: UpstreamErrorKind;
  readonly status: number;
  readonly googleStatus?: string;
  readonly reason?: string;
  readonly retryAfterMs?: number;
  readonly resetAt?: number;
  readonly model?: string;
  readonly link?: string;
  readonly body?: GoogleErrorBody;
  readonly code?: string;

  constructor(init: UpstreamErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "UpstreamError";
    this.kind = init.kind;
    this.status = init.status;
    this.googleStatus = init.googleStatus;
    this.reason = init.reason;
    this.retryAfterMs = init.retryAfterMs;
    this.resetAt = init.resetAt;
    this.model = init.model;
    this.link = init.link;
    this.body = init.body;
    this.code = init.code;
  }
}

export function isUpstreamError(error: unknown): error is UpstreamError {
  return error instanceof UpstreamError;
}
