// Who may use the admin API and page.
//
// - With `admin.username` + `admin.password`: HTTP Basic (scripts) or a login session (the page).
// - Without them: only local clients, i.e. the socket peer is loopback, the request carries no
//   forwarding header (a reverse proxy on the same host would otherwise make every remote client
//   look local) and the Host is a loopback name (a DNS-rebound page reaching 127.0.0.1 carries
//   its own host name). `proxy.fetch` has no socket: such requests count as remote unless the host
//   sets the peer itself as `request.ip` (the srvx convention, which srvx's `serve()` follows).
//
// CSRF, on every state-changing request whatever the auth: a browser-sent Origin or Sec-Fetch-Site
// must say same-origin. Scripts (curl, SDKs) send neither and put credentials in an explicit header
// that a foreign page cannot add without a CORS preflight we never grant, so they are not exposed;
// the check covers browsers that replay cached Basic credentials or reach loopback on their own.
// Session (cookie) requests must also echo the session's token in `x-csrf-token` (or `?_csrf=`).
import { joinURL, withQuery } from "ufo";
import { getRequestIP, type H3Event } from "h3";
import type { AppContext } from "../http/context.ts";
import { createLoginLimiter, type LoginLimiter } from "./rate-limit.ts";
import { sessionCookie, sessionOf } from "./session.ts";
import { safeEqual } from "../http/client-auth.ts";

export interface AdminIdentity {
  user: string;
  via: "basic" | "session" | "loopback";
}

export const ADMIN_CONFIG_HINT =
  "Admin access is limited to loopback clients until admin credentials are set: `admin_username` and `admin_password` in the config file, GEMINI_PROXY_ADMIN_PASSWORD in the environment, or the `admin: { username, password }` option.";

/** The host handed the request over without the client's address (library mode): nothing can look local. */
export const NO_PEER_HINT =
  "Admin access is limited to local clients, but this host did not expose the client's address (for example `proxy.fetch(request)` from a server that does not set `request.ip`, such as srvx without `runtime.node`), so no request can be recognised as local. Set `admin: { username, password }` in the createGeminiProxy() options to sign in with a password instead.";

const FORWARDING_HEADERS = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip", "via"];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const limiters = new WeakMap<AppContext, LoginLimiter>();
/** Failed admin logins (Basic and the login form) per client address, per proxy instance. */
export function loginLimiter(ctx: AppContext): LoginLimiter {
  let limiter = limiters.get(ctx);
  if (!limiter) limiters.set(ctx, (limiter = createLoginLimiter()));
  return limiter;
}

/** The client address for rate limiting (the socket peer; "unknown" through bare `fetch`). */
export function clientAddress(event: H3Event): string {
  return getRequestIP(event) ?? "unknown";
}

export function adminConfigured(ctx: AppContext): boolean {
  return Boolean(ctx.options.admin.username && ctx.options.admin.password);
}

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return address === "::1" || /^127(\.\d{1,3}){3}$/.test(v4);
}

function isLoopbackHost(hostname: string): boolean {
  const name = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return name === "localhost" || name.endsWith(".localhost") || isLoopbackAddress(name);
}

/** A request from this machine, straight to us (see the rules at the top). */
export function isLocalRequest(event: H3Event): boolean {
  if (FORWARDING_HEADERS.some((name) => event.req.headers.has(name))) return false;
  if (!isLoopbackAddress(getRequestIP(event)) || !isLoopbackHost(event.url.hostname)) return false;
  // An absolute URL in the request line wins over Host when the URL is built: check Host as well.
  const host = event.req.headers.get("host");
  return host === null || isLoopbackHost(hostnameOf(host));
}

function hostnameOf(host: string): string {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return "";
  }
}

/** Checks admin credentials in constant time (both fields always compared). */
export function checkAdminPassword(ctx: AppContext, user: string, password: string): boolean {
  const { username = "", password: expected = "" } = ctx.options.admin;
  if (!adminConfigured(ctx)) return false;
  const okUser = safeEqual(user, username);
  const okPassword = safeEqual(password, expected);
  return okUser && okPassword;
}

function basicCredentials(request: Request): { user: string; password: string } | undefined {
  const header = request.headers.get("authorization");
  const match = header?.match(/^basic\s+(\S+)$/i);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0
    ? { user: decoded, password: "" }
    : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

type Resolution = { identity?: AdminIdentity; badBasic?: boolean };

async function resolve(event: H3Event, ctx: AppContext): Promise<Resolution> {
  if (!adminConfigured(ctx)) return isLocalRequest(event) ? { identity: { user: "local", via: "loopback" } } : {};
  const basic = basicCredentials(event.req);
  if (basic)
    return checkAdminPassword(ctx, basic.user, basic.password)
      ? { identity: { user: basic.user, via: "basic" } }
      : { badBasic: true };
  const session = await sessionOf(event, ctx);
  return session ? { identity: { user: session.user, via: "session" } } : {};
}

/** undefined when the request is not an authenticated admin */
export async function adminIdentity(event: H3Event, ctx: AppContext): Promise<AdminIdentity | undefined> {
  return (await resolve(event, ctx)).identity;
}

/** Why a state-changing request looks cross-site, or undefined when it is fine. */
export function csrfProblem(
  event: H3Event,
  identity: AdminIdentity | undefined,
  csrfToken?: string,
): string | undefined {
  if (SAFE_METHODS.has(event.req.method)) return undefined;
  const headers = event.req.headers;
  const site = headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return `cross-site request refused (Sec-Fetch-Site: ${site})`;
  const origin = headers.get("origin");
  if (!site && origin) {
    let host: string | undefined;
    try {
      host = origin === "null" ? undefined : new URL(origin).host;
    } catch {}
    const allowed = [event.url.host, headers.get("host"), headers.get("x-forwarded-host")].filter(Boolean);
    if (!host || !allowed.includes(host)) return `cross-origin request refused (Origin: ${origin})`;
  }
  if (identity?.via === "session") {
    // Plain HTML forms cannot set headers: they may put the token in `?_csrf=` of their action URL.
    const sent = headers.get("x-csrf-token") ?? event.url.searchParams.get("_csrf") ?? "";
    if (!csrfToken || !sent || !safeEqual(sent, csrfToken)) return "missing or invalid x-csrf-token header";
  }
  return undefined;
}

/** The CSRF token of the request's login session (to embed in a page or form), if any. */
export async function csrfTokenOf(event: H3Event, ctx: AppContext): Promise<string | undefined> {
  return adminConfigured(ctx) ? (await sessionOf(event, ctx))?.csrf : undefined;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });

function forbiddenPage(message: string): Response {
  const safe = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return new Response(
    `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Admin access</title><body style="font:16px system-ui;max-width:40em;margin:3em auto;padding:0 1em"><h1>Admin access is local only</h1><p>${safe}</p></body>`,
    { status: 403, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } },
  );
}

/** Returns a Response (401 with WWW-Authenticate for Basic / redirect to the login page for HTML / 403 explaining how to configure admin_username+admin_password when remote and unconfigured) or undefined when allowed. Also enforces CSRF on state-changing methods for session (cookie) auth. */
export async function requireAdmin(
  event: H3Event,
  ctx: AppContext,
  opts: { html?: boolean } = {},
): Promise<Response | undefined> {
  const limiter = loginLimiter(ctx);
  const address = clientAddress(event);
  const { identity, badBasic } = await resolve(event, ctx);
  if (basicCredentials(event.req) && adminConfigured(ctx)) {
    const wait = limiter.blockedFor(address);
    if (wait > 0)
      return json(429, { detail: "Too many failed admin logins; try again later." }, { "retry-after": String(wait) });
    if (badBasic) limiter.fail(address);
    else if (identity) limiter.succeed(address);
  }
  if (identity) {
    const session = identity.via === "session" ? await sessionOf(event, ctx) : undefined;
    const problem = csrfProblem(event, identity, session?.csrf);
    return problem ? json(403, { detail: `CSRF check failed: ${problem}` }) : undefined;
  }
  if (!adminConfigured(ctx)) {
    const hint = getRequestIP(event) === undefined ? NO_PEER_HINT : ADMIN_CONFIG_HINT;
    return opts.html ? forbiddenPage(hint) : json(403, { detail: hint });
  }
  if (opts.html && !badBasic) {
    const base = ctx.options.basePath;
    const next = event.url.pathname + event.url.search;
    return new Response(null, {
      status: 303,
      headers: { location: withQuery(joinURL(base || "/", "login"), { next }), "cache-control": "no-store" },
    });
  }
  // The page's own fetches carry the cookie: no Basic prompt for them, the page goes to /login.
  const challenge: Record<string, string> = sessionCookie(event)
    ? {}
    : { "www-authenticate": 'Basic realm="gemini-cli-proxy admin", charset="UTF-8"' };
  return json(401, { detail: "Admin authentication required" }, challenge);
}
