// The page's login: GET/POST /login opens a session cookie, POST /logout closes it, and
// GET /admin/session tells the page who is signed in and its CSRF token.
import { joinURL } from "ufo";
import { BodyError, readCapped } from "../http/body.ts";
import { HTTPError } from "h3";
import type { H3, H3Event } from "h3";
import {
  adminConfigured,
  adminIdentity,
  checkAdminPassword,
  clientAddress,
  csrfProblem,
  csrfTokenOf,
  isLocalRequest,
  loginLimiter,
  ADMIN_CONFIG_HINT,
} from "./auth.ts";
import { closeSession, openSession } from "./session.ts";
import type { AppContext } from "../http/context.ts";
import { loginPage } from "./page/login-page.ts";
import { adminOnly, setAdminHeaders } from "./guard.ts";

/** Only a path of ours is a valid place to go after login (no `//host`, no scheme). */
function safeNext(ctx: AppContext, next: string | null | undefined): string {
  const base = ctx.options.basePath;
  const home = `${base}/`;
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return home;
  if (base && next !== base && !next.startsWith(`${base}/`)) return home;
  return next;
}

async function readForm(event: H3Event): Promise<Record<string, string>> {
  const type = event.req.headers.get("content-type") ?? "";
  // Public route: refuse a big body before buffering it.
  const text = await readCapped(event.req, 16 * 1024).catch((error: unknown) => {
    if (error instanceof BodyError) throw new HTTPError({ status: error.status, message: error.message });
    throw error;
  });
  if (type.includes("application/json")) {
    try {
      const value = JSON.parse(text) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(value ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : ""]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

export function registerAdminLoginRoutes(app: H3, ctx: AppContext): void {
  const base = ctx.options.basePath;

  app.get("/login", async (event) => {
    setAdminHeaders(event);
    const next = safeNext(ctx, event.url.searchParams.get("next"));
    if (!adminConfigured(ctx)) {
      // Nothing to log into: local clients are already in, others must configure credentials.
      if (isLocalRequest(event)) return new Response(null, { status: 303, headers: { location: next } });
      return loginPage({ base, next, error: ADMIN_CONFIG_HINT, disabled: true, status: 403 });
    }
    if (await adminIdentity(event, ctx)) return new Response(null, { status: 303, headers: { location: next } });
    return loginPage({ base, next });
  });

  app.post("/login", async (event) => {
    setAdminHeaders(event);
    const form = await readForm(event);
    const next = safeNext(ctx, form.next);
    if (!adminConfigured(ctx)) return loginPage({ base, next, error: ADMIN_CONFIG_HINT, disabled: true, status: 403 });
    const problem = csrfProblem(event, undefined);
    if (problem) return loginPage({ base, next, error: `Refused: ${problem}`, status: 403 });
    const limiter = loginLimiter(ctx);
    const address = clientAddress(event);
    const wait = limiter.blockedFor(address);
    if (wait > 0) {
      const page = loginPage({
        base,
        next,
        error: `Too many failed logins. Try again in ${Math.ceil(wait / 60)} minute(s).`,
        status: 429,
      });
      page.headers.set("retry-after", String(wait));
      return page;
    }
    if (!checkAdminPassword(ctx, form.username ?? "", form.password ?? "")) {
      limiter.fail(address);
      ctx.logger.warn(`failed admin login from ${address}`);
      return loginPage({ base, next, error: "Wrong username or password.", status: 401 });
    }
    limiter.succeed(address);
    await openSession(event, ctx, form.username!); // the cookie rides on the redirect
    return new Response(null, { status: 303, headers: { location: next, "cache-control": "no-store" } });
  });

  app.post(
    "/logout",
    async (event) => {
      await closeSession(event, ctx);
      const wantsJson = (event.req.headers.get("accept") ?? "").includes("application/json");
      const headers = { "cache-control": "no-store" };
      if (wantsJson) return Response.json({ status: "success", message: "logged_out" }, { headers });
      return new Response(null, { status: 303, headers: { ...headers, location: joinURL(base || "/", "login") } });
    },
    { middleware: [adminOnly(ctx)] },
  );

  app.get(
    "/admin/session",
    async (event) => {
      const identity = await adminIdentity(event, ctx);
      return {
        user: identity?.user ?? null,
        via: identity?.via ?? null,
        csrf_token: (await csrfTokenOf(event, ctx)) ?? null,
        auth_configured: adminConfigured(ctx),
      };
    },
    { middleware: [adminOnly(ctx)] },
  );
}
