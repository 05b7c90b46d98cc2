// Per-request context and small node:http helpers shared by every surface.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Faults } from "./faults.ts";
import type { State } from "./state.ts";
import type { FakeRequestRecord, ReplyScript, StreamScript } from "./types.ts";

export interface Env {
  state: State;
  faults: Faults;
  requests: FakeRequestRecord[];
  /** Reply scripts (fake.script), asked in order for generate calls without a fault-rule script. */
  replies: ReplyScript[];
}

export interface Ctx {
  env: Env;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  record: FakeRequestRecord;
  rawBody: string;
  /** True when the body looked like JSON but did not parse. */
  badJson: boolean;
  /** Aborted as soon as the client goes away (or the fake shuts down). */
  signal: AbortSignal;
  /** Shape of the successful response, from a matched fault rule. */
  script?: StreamScript;
  /** Called before the fake deliberately destroys the socket (so it is not recorded as a client abort). */
  selfClose(): void;
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function parseBody(raw: string, contentType: string | undefined): { body: unknown; badJson: boolean } {
  if (raw === "") return { body: undefined, badJson: false };
  if (contentType?.includes("application/x-www-form-urlencoded")) {
    return { body: Object.fromEntries(new URLSearchParams(raw)), badJson: false };
  }
  try {
    return { body: JSON.parse(raw) as unknown, badJson: false };
  } catch {
    return { body: raw, badJson: true };
  }
}

export function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

export function writeHead(ctx: Ctx, status: number, headers: Record<string, string>): void {
  ctx.record.status = status;
  ctx.res.writeHead(status, headers);
}

export function sendText(
  ctx: Ctx,
  status: number,
  text: string,
  contentType: string,
  extra: Record<string, string> = {},
): void {
  if (ctx.res.headersSent || ctx.res.destroyed) return;
  writeHead(ctx, status, { "content-type": contentType, ...extra });
  ctx.res.end(text);
}

/** Google pretty-prints its JSON bodies with a 2-space indent. */
export function sendJson(ctx: Ctx, status: number, body: unknown, extra: Record<string, string> = {}): void {
  sendText(ctx, status, `${JSON.stringify(body, null, 2)}\n`, "application/json; charset=UTF-8", extra);
}

export function sendHtml(ctx: Ctx, status: number, html: string): void {
  sendText(ctx, status, html, "text/html; charset=utf-8");
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Resolves after `ms`, or early when the request is aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

export function bearerToken(ctx: Ctx): string | undefined {
  const auth = ctx.record.headers.authorization;
  const m = auth ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return m?.[1]?.trim();
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads a field in camelCase or snake_case (Google's JSON parser accepts both). */
export function field(obj: unknown, camel: string): unknown {
  if (!isObject(obj)) return undefined;
  if (camel in obj) return obj[camel];
  return obj[camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
}
