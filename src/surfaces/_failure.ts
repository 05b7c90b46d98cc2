// What every surface's failure.ts needs to read a failure before spelling it in its own dialect:
// the request record's error class, Google's last answer behind a NoCredentialError, the delay to
// advertise, the context-window numbers in Google's message, and account problems a human must fix.
import { ChatError } from "../chat/errors.ts";
import { isUpstreamError, type UpstreamError } from "../gemini/errors.ts";
import { NoCredentialError, type AccessProblem } from "../pool/errors.ts";
import { BodyError } from "../http/body.ts";
import { ClientRequestError } from "../keys/access.ts";

/** Google's last answer in the request, when the pool gave up after it. */
export function lastUpstreamError(error: NoCredentialError): UpstreamError | undefined {
  const cause = (error as { cause?: unknown }).cause;
  return isUpstreamError(cause) ? cause : undefined;
}

/** The request record's error class: the upstream kind, or the proxy's own, the same on every surface. */
export function errorClassOf(error: unknown): string {
  if (isUpstreamError(error)) return error.kind;
  if (error instanceof NoCredentialError)
    return lastUpstreamError(error)?.kind ?? error.access?.kind ?? "no_credentials";
  if (error instanceof BodyError) return "invalid_request";
  if (error instanceof ClientRequestError) return error.code;
  if (error instanceof ChatError) return error.kind === "bad_reply" ? error.code : error.kind;
  const status = (error as { status?: unknown } | undefined)?.status;
  if (typeof status === "number" && status < 500) return status === 404 ? "not_found" : "invalid_request";
  if (typeof status === "number") return ((error as { code?: unknown }).code as string | undefined) ?? "upstream_error";
  return "internal";
}

/** The request record's error message: Google's words when Google answered, else the failure's own. */
export function errorMessageOf(error: unknown): string | undefined {
  if (error instanceof NoCredentialError) return lastUpstreamError(error)?.message ?? error.message;
  return error instanceof Error ? error.message : undefined;
}

/** The delay to advertise: Google's, else until its reset time. */
export function retryDelay(e: UpstreamError, now = Date.now()): number | undefined {
  if (e.retryAfterMs !== undefined) return e.retryAfterMs;
  return e.resetAt !== undefined ? Math.max(0, e.resetAt - now) : undefined;
}

/** retry-after (ceil seconds, at least 1) and retry-after-ms headers for a delay in ms. */
export function retryHeaders(ms: number | undefined): Record<string, string> | undefined {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return undefined;
  return { "retry-after": String(Math.max(1, Math.ceil(ms / 1000))), "retry-after-ms": String(Math.ceil(ms)) };
}

const CONTEXT_RE = /input token count.*exceeds the maximum|exceeds the maximum number of tokens/i;

/** Gemini's "input too long" 400, with the counts its message gives. */
export function contextOverflow(e: UpstreamError): { tokens?: number; limit?: number } | undefined {
  if (e.kind !== "invalid_request" || !CONTEXT_RE.test(e.message)) return undefined;
  const limit = /maximum number of tokens allowed \((\d+)\)/i.exec(e.message)?.[1];
  const tokens = /input token count \((\d+)\)/i.exec(e.message)?.[1];
  const out: { tokens?: number; limit?: number } = {};
  if (limit) out.limit = Number(limit);
  if (tokens) out.tokens = Number(tokens);
  return out;
}

/** An account problem a human must fix, from a failure: Google's 403 in this request, or the pool's stored state. */
export function accessProblemOf(error: unknown): AccessProblem | undefined {
  const fromUpstream = (e: UpstreamError): AccessProblem | undefined => {
    if (e.kind !== "validation_required" && e.kind !== "service_disabled") return undefined;
    const p: AccessProblem = { kind: e.kind, reason: e.message };
    if (e.link) p.link = e.link;
    return p;
  };
  if (isUpstreamError(error)) return fromUpstream(error);
  if (error instanceof NoCredentialError) {
    const last = lastUpstreamError(error);
    return (last && fromUpstream(last)) ?? error.access;
  }
  return undefined;
}

/** The text a client sees for an account problem: Google's reason and the page that fixes it. */
export function accessMessage(p: AccessProblem, fallback: string): string {
  const what =
    p.kind === "validation_required"
      ? "The upstream Google account must be verified by its owner"
      : "The upstream Google account cannot use this service until its owner fixes it";
  const reason = p.reason ?? fallback;
  return `${what}: ${reason}${p.link && !reason.includes(p.link) ? ` (${p.link})` : ""}`;
}
