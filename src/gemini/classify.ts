// Google error responses → UpstreamError with our closed set of kinds (errors.ts). The pool acts on
// the kind, so this is stricter than the Gemini CLI: capacity (Google's) vs quota (the account's)
// vs rate (seconds) must never be confused. Pure: the clock comes in as `now`.
import { type GoogleErrorBody, UpstreamError, type UpstreamErrorInit, type UpstreamErrorKind } from "./errors.ts";
import { parseDuration } from "./duration.ts";

type Json = Record<string, unknown>;

const LONG_DELAY_MS = 300_000; // above 5 minutes a "retry" is really a quota reset (the CLI's rule)
const CAPACITY_REASONS = new Set(["MODEL_CAPACITY_EXHAUSTED", "MODEL_CAPACITY_EXCEEDED"]);
const QUOTA_REASONS = new Set(["QUOTA_EXHAUSTED", "INSUFFICIENT_G1_CREDITS_BALANCE"]);
const CAPACITY_TEXT = /no capacity available|overloaded|capacity exceeded/i;
const QUOTA_TEXT = /exhausted your capacity on this model|individual quota reached|limit: 0(?!\d)/i;
const SUBSCRIPTION_TEXT = /lack a Gemini Code Assist license|named user on your organization's Gemini Code Assist/i;
const GO_DURATION = String.raw`((?:\d+(?:\.\d+)?(?:ms|us|µs|ns|h|m|s))+)`;
const RETRY_IN = new RegExp(String.raw`Please retry in\s+${GO_DURATION}`, "i");
const RESET_IN = new RegExp(String.raw`(?:reset after|resets? in)\s+${GO_DURATION}`, "i");

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;

/** Parse an error body in any of Google's forms (see the module tests for each one). */
export function parseGoogleError(text: string): GoogleErrorBody | undefined {
  let body = toErrorBody(parseLoose(text));
  // Relays (and Google's own streaming path) nest the real error as JSON inside `message`.
  for (let depth = 0; body && depth < 10; depth++) {
    const inner = typeof body.message === "string" ? toErrorBody(parseLoose(jsonSlice(body.message))) : undefined;
    if (!inner) break;
    body = inner;
  }
  return body && normalizeTypes(body);
}

function parseLoose(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return undefined; // e.g. an HTML 502 page
  try {
    return JSON.parse(trimmed);
  } catch {
    // Production corruption: a stray duplicated comma (`",\n ,  "metadata"`) seen on streaming errors.
    try {
      return JSON.parse(trimmed.replace(/,(\s*,)+/g, ","));
    } catch {
      return undefined;
    }
  }
}

function jsonSlice(message: string): string {
  const start = message.search(/[[{]/);
  const end = Math.max(message.lastIndexOf("}"), message.lastIndexOf("]"));
  return start >= 0 && end > start ? message.slice(start, end + 1) : "";
}

function toErrorBody(value: unknown): GoogleErrorBody | undefined {
  const first = Array.isArray(value) ? value[0] : value; // streaming methods wrap it in a 1-element array
  if (!isObject(first)) return undefined;
  if (isObject(first.error)) return first.error as GoogleErrorBody;
  // A bare google.rpc.Status (how nested errors sometimes appear).
  if (typeof first.message === "string" && (typeof first.code === "number" || typeof first.status === "string")) {
    return first as GoogleErrorBody;
  }
  return undefined;
}

/** Trim stray whitespace in "@type" keys and values so lookups by suffix work. */
function normalizeTypes(body: GoogleErrorBody): GoogleErrorBody {
  if (!Array.isArray(body.details)) return body;
  const details = body.details.map((detail) => {
    if (!isObject(detail)) return detail;
    const key = Object.keys(detail).find((k) => k.trim() === "@type");
    if (key === undefined) return detail;
    const { [key]: type, ...rest } = detail;
    return { "@type": typeof type === "string" ? type.trim() : type, ...rest };
  });
  return { ...body, details };
}

function detail(body: GoogleErrorBody | undefined, name: string): Json | undefined {
  const details = Array.isArray(body?.details) ? body.details : [];
  return details.find(
    (d) =>
      isObject(d) &&
      String(d["@type"] ?? "")
        .trim()
        .split(/[./]/)
        .pop() === name,
  );
}

function delayMs(value: unknown): number | undefined {
  if (typeof value === "string") return parseDuration(value);
  // proto3 JSON normally renders Duration as "1.5s", but accept the object form too.
  if (isObject(value) && (value.seconds !== undefined || value.nanos !== undefined)) {
    return Math.ceil(Number(value.seconds ?? 0) * 1000 + Number(value.nanos ?? 0) / 1e6) || 0;
  }
  return undefined;
}

function retryAfterHeader(headers: Headers | undefined, now: number): number | undefined {
  const value = headers?.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function fallbackMessage(status: number, text: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const snippet = (title ?? (text.trimStart().startsWith("<") ? "" : text)).replace(/\s+/g, " ").trim().slice(0, 200);
  return snippet ? `HTTP ${status}: ${snippet}` : `HTTP ${status} from Google`;
}

export interface ClassifyInput {
  status: number;
  bodyText: string;
  headers?: Headers;
  model?: string;
  now?: number;
}

/** Turn a non-2xx upstream response into an UpstreamError (never throws). */
export function classifyGoogleError(input: ClassifyInput): UpstreamError {
  try {
    return classify(input, input.now ?? Date.now());
  } catch (error) {
    const kind = input.status >= 400 && input.status < 500 ? "invalid_request" : "upstream_unavailable";
    return new UpstreamError({ kind, status: input.status, message: `HTTP ${input.status}`, cause: error });
  }
}

function classify(input: ClassifyInput, now: number): UpstreamError {
  const body = parseGoogleError(input.bodyText);
  const info = detail(body, "ErrorInfo");
  const meta = isObject(info?.metadata) ? info.metadata : {};
  const reason = str(info?.reason);
  const legacy = (Array.isArray(body?.errors) ? body.errors : []).filter(isObject);
  const message = str(body?.message) ?? fallbackMessage(input.status, input.bodyText);
  const googleStatus = str(body?.status);
  const helpLinks = detail(body, "Help")?.links;
  const helpLink = Array.isArray(helpLinks)
    ? helpLinks.map((l) => str(isObject(l) ? l.url : undefined)).find(Boolean)
    : undefined;
  const quotaIds = [detail(body, "QuotaFailure")?.violations]
    .flat()
    .map((v) => (isObject(v) ? String(v.quotaId ?? "") : ""));

  const retryInfoMs = delayMs(detail(body, "RetryInfo")?.retryDelay);
  const resetDelayMs = delayMs(meta.quotaResetDelay);
  const messageRetryMs = parseDuration(RETRY_IN.exec(message)?.[1] ?? "");
  const messageResetMs = parseDuration(RESET_IN.exec(message)?.[1] ?? "");
  const headerMs = retryAfterHeader(input.headers, now);
  const hint = retryInfoMs ?? messageRetryMs ?? resetDelayMs ?? headerMs;

  const base: UpstreamErrorInit = {
    kind: "upstream_unavailable",
    status: input.status,
    message,
    googleStatus,
    reason,
    body,
    retryAfterMs: hint,
    model: str(meta.model) ?? input.model,
    link: helpLink,
  };
  const make = (kind: UpstreamErrorKind, extra?: Partial<UpstreamErrorInit>) =>
    new UpstreamError({ ...base, kind, ...extra });
  const quota = (): UpstreamError => {
    const stamp = Date.parse(String(meta.quotaResetTimeStamp ?? ""));
    const delay = resetDelayMs ?? retryInfoMs ?? messageResetMs ?? messageRetryMs ?? headerMs;
    // A reset stamp already in the past (clock skew) is useless; fall back to the relative delay.
    const resetAt = stamp > now ? stamp : delay === undefined ? undefined : now + delay;
    return make("quota_exhausted", { resetAt, retryAfterMs: resetAt === undefined ? undefined : resetAt - now });
  };

  const code = effectiveCode(input.status, body);
  const exhausted = code === 429 || googleStatus === "RESOURCE_EXHAUSTED";

  if (exhausted || code === 499 || code === 503) {
    if (reason && CAPACITY_REASONS.has(reason)) return make("capacity");
    if (reason && QUOTA_REASONS.has(reason)) return quota();
    if (quotaIds.some((id) => /PerDay|Daily/.test(id))) return quota();
    const longest = Math.max(retryInfoMs ?? 0, messageRetryMs ?? 0, resetDelayMs ?? 0);
    // A structured RATE_LIMIT_EXCEEDED outranks message phrases (the CLI's order, 4.3 step 8).
    if (reason === "RATE_LIMIT_EXCEEDED" && longest <= LONG_DELAY_MS && !/limit: 0(?!\d)/.test(message)) {
      return make(exhausted ? "rate_limited" : "upstream_unavailable");
    }
    if (QUOTA_TEXT.test(message) || longest > LONG_DELAY_MS) return quota();
    if (CAPACITY_TEXT.test(message)) return make("capacity");
    if (!exhausted) return make("upstream_unavailable");
    const perMinute =
      quotaIds.some((id) => id.includes("PerMinute")) || String(meta.quota_limit ?? "").includes("PerMinute");
    return make("rate_limited", perMinute ? { retryAfterMs: retryInfoMs ?? messageRetryMs ?? 60_000 } : {});
  }
  if (code === 400) {
    const keyDead = reason === "API_KEY_INVALID" || /API key not valid/i.test(message);
    return make(keyDead ? "auth_revoked" : "invalid_request");
  }
  if (code === 401) return make("auth_expired");
  if (code === 403) {
    if (reason === "VALIDATION_REQUIRED")
      return make("validation_required", { link: helpLink ?? str(meta.validation_link) ?? str(meta.validationUrl) });
    const notConfigured = legacy.find((e) => e.reason === "accessNotConfigured");
    if (reason === "SERVICE_DISABLED" || notConfigured) {
      return make("service_disabled", {
        link: str(meta.activationUrl) ?? helpLink ?? str(notConfigured?.extendedHelp),
      });
    }
    if (reason === "SUBSCRIPTION_REQUIRED" || SUBSCRIPTION_TEXT.test(message)) return make("service_disabled");
    return make("permission_denied");
  }
  if (code === 404) return make("not_found");
  return make(code >= 400 && code < 500 ? "invalid_request" : "upstream_unavailable");
}

/** A 5xx relay may wrap the real error (nested in `message`); a 4xx HTTP status is always authoritative. */
function effectiveCode(status: number, body: GoogleErrorBody | undefined): number {
  if (status >= 400 && status < 500) return status;
  const code = body?.code;
  return typeof code === "number" && code >= 400 && code < 600 ? code : status;
}

/** OAuth token endpoint failures (`{"error":"invalid_grant","error_description":"..."}`). */
export function classifyOAuthError(status: number, bodyText: string): UpstreamError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    parsed = undefined;
  }
  const json = isObject(parsed) ? parsed : {};
  const code = str(json.error) ?? (isObject(json.error) ? str(json.error.status) : undefined);
  const description = str(json.error_description) ?? (isObject(json.error) ? str(json.error.message) : undefined);
  const message = [code, description].filter(Boolean).join(": ") || fallbackMessage(status, bodyText);
  const revoked = code === "invalid_grant" || code === "invalid_client" || code === "unauthorized_client";
  return new UpstreamError({ kind: revoked ? "auth_revoked" : "upstream_unavailable", status, message, reason: code });
}

/** fetch/undici/abort failures → kind "network", keeping the deepest Node error code. */
export function networkError(error: unknown, what = "request"): UpstreamError {
  if (error instanceof UpstreamError) return error;
  const name = isObject(error) || error instanceof Error ? String((error as Json).name ?? "") : "";
  let code: string | undefined;
  for (let e: unknown = error, depth = 0; isObject(e) || e instanceof Error; e = (e as Json).cause, depth++) {
    if (depth > 5) break;
    code = str((e as Json).code) ?? code; // innermost wins: undici's TypeError("fetch failed") hides it in cause
  }
  if (name === "TimeoutError") code ??= "ETIMEDOUT";
  if (name === "AbortError") code ??= "ABORT_ERR";
  const detailText = describe(error);
  // Never echo credentials that may sit in a URL's query string.
  const label = what.replace(/([?&](?:key|access_token|token)=)[^&\s]*/gi, "$1***");
  const message = `${label} failed${code ? ` (${code})` : ""}${detailText ? `: ${detailText}` : ""}`;
  return new UpstreamError({ kind: "network", status: 0, message, code, cause: error });
}

function describe(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 4; e = (e as Json).cause, depth++) {
    const text = e instanceof Error || isObject(e) ? str((e as Json).message) : str(String(e));
    if (text && !parts.includes(text)) parts.push(text);
    if (!(e instanceof Error) && !isObject(e)) break;
  }
  return parts.join(": ");
}
