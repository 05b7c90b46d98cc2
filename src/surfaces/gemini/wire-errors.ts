// Errors on the native surface, in Google's own shape ({error:{code,message,status,details}}), so
// @google/genai and other Gemini clients read them as they read Google's.
import { NoCredentialError, type AccessProblem } from "../../pool/errors.ts";
import { isUpstreamError, type UpstreamError } from "../../gemini/errors.ts";
import { accessMessage, accessProblemOf } from "../_failure.ts";
import { ClientRequestError } from "../../keys/access.ts";

const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  405: "INVALID_ARGUMENT",
  409: "ABORTED",
  413: "INVALID_ARGUMENT",
  429: "RESOURCE_EXHAUSTED",
  499: "CANCELLED",
  500: "INTERNAL",
  501: "UNIMPLEMENTED",
  502: "UNAVAILABLE",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

export interface WireError {
  status: number;
  body: { error: { code: number; message: string; status: string; details?: unknown[] } };
  headers: Record<string, string>;
}

export function googleError(status: number, message: string, details?: unknown[]): WireError {
  const error = {
    code: status,
    message,
    status: STATUS_NAMES[status] ?? (status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION"),
  };
  return { status, body: { error: details?.length ? Object.assign(error, { details }) : error }, headers: {} };
}

function retryHeaders(ms: number | undefined): Record<string, string> {
  return ms !== undefined && ms > 0 ? { "retry-after": String(Math.ceil(ms / 1000)) } : {};
}

/** An account a human must fix: 403 PERMISSION_DENIED with the reason and a Help link, as Google words it. */
function accessError(p: AccessProblem, fallback: string): WireError {
  const details: unknown[] = [
    {
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: p.kind === "validation_required" ? "VALIDATION_REQUIRED" : "SERVICE_DISABLED",
      domain: "gemini-cli-proxy",
    },
  ];
  if (p.link)
    details.push({
      "@type": "type.googleapis.com/google.rpc.Help",
      links: [
        { description: p.kind === "validation_required" ? "Verify the account" : "Fix the account", url: p.link },
      ],
    });
  return googleError(403, accessMessage(p, fallback), details);
}

/** What a native client sees for a classified upstream failure (after fail-over gave up). */
function fromUpstream(error: UpstreamError): WireError {
  const forward = (status: number): WireError => {
    const body = error.body;
    const out = googleError(status, error.message, body?.details);
    return Object.assign(out, { headers: retryHeaders(error.retryAfterMs) });
  };
  switch (error.kind) {
    case "invalid_request":
      return forward(400);
    case "not_found":
      return forward(404);
    case "rate_limited":
    case "quota_exhausted":
      return forward(429);
    case "capacity":
      return forward(error.status === 429 ? 429 : 503);
    case "upstream_unavailable":
      return forward(error.status >= 500 && error.status < 600 ? error.status : 503);
    case "network":
      return googleError(/timeout/i.test(error.message) ? 504 : 502, `Upstream connection failed: ${error.message}`);
    case "validation_required":
    case "service_disabled":
      return accessError(accessProblemOf(error)!, error.message);
    default:
      // The proxy's own credentials were refused: not the client's fault, and not its business
      // which account failed.
      return Object.assign(googleError(503, `No usable upstream credential: ${error.message}`), {
        headers: retryHeaders(error.retryAfterMs),
      });
  }
}

export function toGoogleWireError(error: unknown): WireError {
  if (isUpstreamError(error)) return fromUpstream(error);
  if (error instanceof ClientRequestError)
    return Object.assign(googleError(error.status, error.message), { headers: error.headers });
  if (error instanceof NoCredentialError) {
    if (error.retryAfterMs !== undefined)
      return Object.assign(googleError(429, error.message), { headers: retryHeaders(error.retryAfterMs) });
    const access = accessProblemOf(error);
    return access ? accessError(access, error.message) : googleError(503, error.message);
  }
  return googleError(500, "Internal error");
}
