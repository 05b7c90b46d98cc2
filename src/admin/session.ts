// Page logins: an opaque random session id in an HttpOnly, SameSite=Strict cookie. Storage keeps
// only a hash of the id (a storage dump yields no usable cookie), so sessions work across instances
// sharing the storage. Each session binds to the admin credentials: changing the password ends it.
import { createHash, randomBytes } from "node:crypto";
import type { H3Event } from "h3";
import type { AppContext } from "../http/context.ts";
import { safeEqual } from "../http/client-auth.ts";

export const SESSION_COOKIE = "gcp_admin_session";

export interface AdminSession {
  user: string;
  /** Double-submit CSRF token: the page sends it back in `x-csrf-token`. */
  csrf: string;
  expiresAt: number;
  /** Binds the session to the admin credentials it was opened with. */
  fp: string;
}

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
const storageKey = (id: string) => `admin:session:${sha256(id)}`;
const fingerprint = (id: string, ctx: AppContext) =>
  sha256(`gcp-admin\0${id}\0${ctx.options.admin.username}\0${ctx.options.admin.password}`);

export function cookiePath(ctx: AppContext): string {
  return ctx.options.basePath || "/";
}

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

function isHttps(event: H3Event): boolean {
  return event.url.protocol === "https:" || event.req.headers.get("x-forwarded-proto") === "https";
}

function cookie(event: H3Event, ctx: AppContext, value: string, maxAge: number): string {
  const secure = isHttps(event) ? "; Secure" : "";
  return `${SESSION_COOKIE}=${value}; Path=${cookiePath(ctx)}; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`;
}

/** Opens a session; returns the Set-Cookie header value and the CSRF token. */
export async function openSession(
  event: H3Event,
  ctx: AppContext,
  user: string,
): Promise<{ setCookie: string; csrf: string }> {
  const id = randomBytes(32).toString("base64url");
  const ttl = ctx.options.admin.sessionTtlSec;
  const session: AdminSession = {
    user,
    csrf: randomBytes(24).toString("base64url"),
    expiresAt: Date.now() + ttl * 1000,
    fp: fingerprint(id, ctx),
  };
  await ctx.storage.setItem(storageKey(id), session, { ttl });
  return { setCookie: cookie(event, ctx, id, ttl), csrf: session.csrf };
}

/** The valid session behind the request's cookie, if any. */
export async function sessionOf(event: H3Event, ctx: AppContext): Promise<AdminSession | undefined> {
  const id = readCookie(event.req, SESSION_COOKIE);
  if (!id || id.length > 100) return undefined;
  // Cache per event: requireAdmin and the route may both ask.
  const cached = event.context.adminSession as AdminSession | null | undefined;
  if (cached !== undefined) return cached ?? undefined;
  let session = (await ctx.storage.getItem<AdminSession>(storageKey(id))) ?? undefined;
  if (
    session &&
    (typeof session.expiresAt !== "number" ||
      session.expiresAt < Date.now() ||
      !safeEqual(session.fp ?? "", fingerprint(id, ctx)))
  ) {
    await ctx.storage.removeItem(storageKey(id));
    session = undefined;
  }
  event.context.adminSession = session ?? null;
  return session;
}

/** Ends the request's session; returns the Set-Cookie header that clears the cookie. */
export async function closeSession(event: H3Event, ctx: AppContext): Promise<string> {
  const id = readCookie(event.req, SESSION_COOKIE);
  if (id && id.length <= 100) await ctx.storage.removeItem(storageKey(id));
  return cookie(event, ctx, "", 0);
}
