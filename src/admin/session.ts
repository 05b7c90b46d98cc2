// Page logins: an opaque random session id in an HttpOnly, SameSite=Strict cookie. Storage keeps
// only a hash of the id (a storage dump yields no usable cookie), so sessions work across instances
// sharing the storage. Each session binds to the admin credentials: changing the password ends it.
import { createHash, randomBytes } from "node:crypto";
import { deleteCookie, getCookie, setCookie, type H3Event } from "h3";
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

export function isHttps(event: H3Event): boolean {
  return event.url.protocol === "https:" || event.req.headers.get("x-forwarded-proto") === "https";
}

const attributes = (event: H3Event, ctx: AppContext) =>
  ({ path: cookiePath(ctx), httpOnly: true, sameSite: "strict", secure: isHttps(event) }) as const;

/** The session cookie's value, if the request has one. */
export const sessionCookie = (event: H3Event): string | undefined => getCookie(event, SESSION_COOKIE) || undefined;

/** Opens a session: sets its cookie on the response and returns its CSRF token. */
export async function openSession(event: H3Event, ctx: AppContext, user: string): Promise<{ csrf: string }> {
  const id = randomBytes(32).toString("base64url");
  const ttl = ctx.options.admin.sessionTtlSec;
  const session: AdminSession = {
    user,
    csrf: randomBytes(24).toString("base64url"),
    expiresAt: Date.now() + ttl * 1000,
    fp: fingerprint(id, ctx),
  };
  await ctx.storage.setItem(storageKey(id), session, { ttl });
  setCookie(event, SESSION_COOKIE, id, { ...attributes(event, ctx), maxAge: ttl });
  return { csrf: session.csrf };
}

/** The valid session behind the request's cookie, if any. */
export async function sessionOf(event: H3Event, ctx: AppContext): Promise<AdminSession | undefined> {
  const id = sessionCookie(event);
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

/** Ends the request's session and clears its cookie on the response. */
export async function closeSession(event: H3Event, ctx: AppContext): Promise<void> {
  const id = sessionCookie(event);
  if (id && id.length <= 100) await ctx.storage.removeItem(storageKey(id));
  deleteCookie(event, SESSION_COOKIE, attributes(event, ctx));
}
