// google.rpc error bodies: builders, detail types, serialisation (object vs array-wrapped, comma quirk).
import { sendText, type Ctx } from "./http-util.ts";

export interface GoogleError {
  status: number;
  body: { error: Record<string, unknown> };
  headers?: Record<string, string>;
}

const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ABORTED",
  429: "RESOURCE_EXHAUSTED",
  499: "CANCELLED",
  500: "INTERNAL",
  501: "UNIMPLEMENTED",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

/** Builds `{error:{code,message,errors?,status,details?}}` in Google's key order. */
export function googleError(
  code: number,
  message: string,
  opts: { status?: string; details?: unknown[]; errors?: unknown[] } = {},
): GoogleError {
  const error: Record<string, unknown> = { code, message };
  if (opts.errors) error.errors = opts.errors;
  error.status = opts.status ?? STATUS_NAMES[code] ?? "UNKNOWN";
  if (opts.details && opts.details.length > 0) error.details = opts.details;
  return { status: code, body: { error } };
}

export function errorInfo(reason: string, domain: string, metadata?: Record<string, string>): Record<string, unknown> {
  const d: Record<string, unknown> = { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason, domain };
  if (metadata) d.metadata = metadata;
  return d;
}

export function retryInfo(seconds: number): Record<string, unknown> {
  return { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${seconds}s` };
}

export function helpLinks(links: { description: string; url: string }[]): Record<string, unknown> {
  return { "@type": "type.googleapis.com/google.rpc.Help", links };
}

export function localizedMessage(message: string): Record<string, unknown> {
  return { "@type": "type.googleapis.com/google.rpc.LocalizedMessage", locale: "en-US", message };
}

export function quotaFailure(violations: Record<string, unknown>[]): Record<string, unknown> {
  return { "@type": "type.googleapis.com/google.rpc.QuotaFailure", violations };
}

/** Go-style duration as in ErrorInfo `quotaResetDelay` ("8h44m7s", "539.477544ms"). */
export function goDuration(seconds: number): string {
  if (seconds < 1) return `${+(seconds * 1000).toFixed(6)}ms`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = +(seconds % 60).toFixed(9);
  return `${h ? `${h}h` : ""}${h || m ? `${m}m` : ""}${s}s`;
}

/** Whole-second duration used in human messages ("Your quota will reset after 8h44m7s."). */
export function humanDuration(seconds: number): string {
  return goDuration(Math.floor(seconds));
}

/** ISO timestamp without milliseconds, as Google prints reset times. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Streaming methods answer errors as a one-element JSON array (§2.6, §4.1). */
export function wantsArrayError(ctx: Ctx): boolean {
  if (ctx.record.action !== "streamGenerateContent") return false;
  // Code Assist array-wraps regardless of alt; the Gemini API only for the JSON-array (non-SSE) form.
  return ctx.record.surface === "code-assist" || ctx.url.searchParams.get("alt") !== "sse";
}

export function serializeError(body: unknown, array: boolean, duplicateCommas = false): string {
  let text = JSON.stringify(body, null, 2);
  if (duplicateCommas) text = injectDuplicateComma(text);
  return array ? `[${text}\n]` : `${text}\n`;
}

/** Reproduces the production corruption `"domain": "...",\n ,      "metadata": {` (§4.1). */
function injectDuplicateComma(text: string): string {
  const lines = text.split("\n");
  let idx = lines.findIndex((l) => /"domain":.*,$/.test(l));
  if (idx < 0) idx = lines.findIndex((l) => /"message":.*,$/.test(l));
  if (idx < 0) return text.replace("{", "{ ,");
  lines.splice(idx + 1, 0, " ,");
  return lines.join("\n");
}

export function sendGoogleError(
  ctx: Ctx,
  err: GoogleError,
  opts: { array?: boolean; duplicateCommas?: boolean } = {},
): void {
  const array = opts.array ?? wantsArrayError(ctx);
  sendText(
    ctx,
    err.status,
    serializeError(err.body, array, opts.duplicateCommas),
    "application/json; charset=UTF-8",
    err.headers,
  );
}

// ---- common errors ---------------------------------------------------------------------------

export function invalidArgument(message = "Request contains an invalid argument.", details?: unknown[]): GoogleError {
  return googleError(400, message, { details });
}

export function invalidJson(raw: string): GoogleError {
  const snippet = raw.slice(0, 40).replace(/\s+/g, " ");
  return googleError(400, `Invalid JSON payload received. Unexpected token.\n${snippet}\n^`);
}

export function notFound(message = "Requested entity was not found."): GoogleError {
  return googleError(404, message);
}
