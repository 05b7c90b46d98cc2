// Web login routes (admin-protected): the "add account" page, /oauth2/login (the predecessor's entry
// point, now with modes: GET shows a button, POST starts), GET /oauth2/callback and
// POST /oauth2/complete (pasted code or URL).
import { randomBytes } from "node:crypto";
import { getCookie, getQuery, setCookie, type H3, type H3Event } from "h3";
import { readCapped } from "../http/body.ts";
import { LoginError, type LoginOutcome } from "./account.ts";
import { completeLogin, parsePasted, startLogin, type CallbackInput, type LoginServices } from "./flow.ts";
import {
  availableModes,
  defaultMode,
  LOGIN_MODES,
  modeProblem,
  parseMode,
  redirectUriFor,
  type LoginMode,
  type ModeSetup,
} from "./modes.ts";
import { addAccountPage, confirmLoginPage, errorPage, outcomeMessage, pastePage, resultPage } from "./pages.ts";
import { createPendingLogins, hashToken, LOGIN_TTL_MS, type PendingLogin } from "./pending.ts";
import { adminIdentity, requireAdmin } from "../admin/auth.ts";
import { isHttps, sessionOf } from "../admin/session.ts";
import type { AppContext } from "../http/context.ts";

/** Ties a login to the browser that started it, for callbacks that arrive without admin credentials. */
const BROWSER_COOKIE = "gcp_oauth_browser";

const services = new WeakMap<AppContext, LoginServices>();
function servicesOf(ctx: AppContext): LoginServices {
  let s = services.get(ctx);
  if (!s) services.set(ctx, (s = { oauth: ctx.oauth, pool: ctx.pool, pending: createPendingLogins(ctx.storage) }));
  return s;
}

const setupOf = (ctx: AppContext): ModeSetup => ({
  basePath: ctx.options.basePath,
  clientId: ctx.oauth.client.clientId,
  publicUrl: ctx.options.publicUrl,
});

const wantsJson = (event: H3Event) => {
  const accept = event.req.headers.get("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
};

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });

function failure(event: H3Event, ctx: AppContext, error: unknown, asJson = wantsJson(event)): Response {
  let e: LoginError;
  if (error instanceof LoginError) e = error;
  else if ((error as { status?: number }).status === 400 || (error as { status?: number }).status === 413) {
    e = new LoginError(
      "missing_code",
      `The request body could not be read (${(error as Error).message}).`,
      (error as { status: number }).status,
    );
  } else {
    ctx.logger.error("login failed unexpectedly:", error instanceof Error ? error.message : String(error));
    e = new LoginError("exchange_failed", "The login failed unexpectedly; see the proxy log.", 500);
  }
  ctx.logger.warn(`login refused (${e.code}): ${e.message}`);
  return asJson
    ? json(e.status, { ok: false, error: { code: e.code, message: e.message } })
    : errorPage(ctx.options.basePath, e);
}

function success(event: H3Event, ctx: AppContext, outcome: LoginOutcome, asJson: boolean): Response {
  ctx.logger.info(
    `login: ${outcome.credential.email ?? outcome.credential.id} ${outcome.result} (${outcome.credential.state.status})`,
  );
  if (!asJson) return resultPage(ctx.options.basePath, outcome);
  return json(outcome.result === "dropped" ? 422 : 200, {
    ok: true,
    result: outcome.result,
    message: outcomeMessage(outcome),
    credential: outcome.credential,
  });
}

/** The browser's binding id; a new one is set on the response (kept only by a successful answer). */
function browserCookie(event: H3Event, ctx: AppContext): string {
  const existing = getCookie(event, BROWSER_COOKIE);
  if (existing && /^[\w-]{20,64}$/.test(existing)) return existing;
  const id = randomBytes(24).toString("base64url");
  setCookie(event, BROWSER_COOKIE, id, {
    path: `${ctx.options.basePath}/oauth2`,
    httpOnly: true,
    // Lax, not Strict: it must come back on the top-level redirect from Google to the callback.
    sameSite: "lax",
    maxAge: Math.ceil(LOGIN_TTL_MS / 1000) * 6,
    secure: isHttps(event),
  });
  return id;
}

/** Who may finish `login`: the browser that started it, or the admin who did. */
async function completer(event: H3Event, ctx: AppContext): Promise<(login: PendingLogin) => boolean> {
  const cookie = getCookie(event, BROWSER_COOKIE);
  const browser = cookie ? hashToken(cookie) : undefined;
  const identity = await adminIdentity(event, ctx);
  return (login) => Boolean((browser && login.browser === browser) || (identity && identity.user === login.owner));
}

const text = (v: unknown): string | undefined =>
  typeof v === "string" ? v : Array.isArray(v) && typeof v[0] === "string" ? v[0] : undefined;

/** The paste form's body (JSON or form-encoded), capped: it is a code or a URL, never large. */
async function readPasteBody(event: H3Event): Promise<Record<string, unknown>> {
  const raw = await readCapped(event.req, 64 * 1024).catch(() => {
    throw new LoginError(
      "missing_code",
      "The pasted text is too large: paste only the code or the address Google showed.",
    );
  });
  if ((event.req.headers.get("content-type") ?? "").includes("json")) {
    try {
      const value = JSON.parse(raw) as unknown;
      return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

export function registerOAuthRoutes(app: H3, ctx: AppContext): void {
  const base = () => ctx.options.basePath;

  app.get("/oauth2/add", async (event) => {
    const denied = await requireAdmin(event, ctx, { html: true });
    if (denied) return denied;
    const setup = setupOf(ctx);
    const problems: Partial<Record<LoginMode, string>> = {};
    for (const mode of LOGIN_MODES) problems[mode] = modeProblem(mode, setup, event.url);
    const identity = await adminIdentity(event, ctx);
    const csrf = identity?.via === "session" ? (await sessionOf(event, ctx))?.csrf : undefined;
    return addAccountPage({
      base: base(),
      available: availableModes(setup, event.url),
      preferred: defaultMode(setup, event.url),
      problems,
      accounts: ctx.pool.list(),
      csrf,
    });
  });

  /** The login mode the request asks for (or the one that fits), refused when unknown or unusable here. */
  const modeOf = (event: H3Event): LoginMode => {
    const setup = setupOf(ctx);
    const asked = text(getQuery(event).mode);
    const mode = asked ? parseMode(asked) : defaultMode(setup, event.url);
    if (!mode)
      throw new LoginError(
        "mode_unavailable",
        `Unknown login mode "${asked!.slice(0, 20)}": use one of ${LOGIN_MODES.join(", ")}.`,
      );
    const problem = modeProblem(mode, setup, event.url);
    if (problem) throw new LoginError("mode_unavailable", problem);
    return mode;
  };

  // Starting a login changes state (a pending login, a cookie): a GET only shows a button that POSTs,
  // so a link or an image on a foreign page cannot start one.
  app.get("/oauth2/login", async (event) => {
    const asJson = wantsJson(event);
    const denied = await requireAdmin(event, ctx, { html: !asJson });
    if (denied) return denied;
    if (asJson)
      return json(
        405,
        { ok: false, error: { code: "method_not_allowed", message: "Use POST /oauth2/login to start a login." } },
        { allow: "POST" },
      );
    try {
      const mode = modeOf(event);
      const identity = (await adminIdentity(event, ctx))!;
      const csrf = identity.via === "session" ? (await sessionOf(event, ctx))?.csrf : undefined;
      return confirmLoginPage({
        base: base(),
        mode,
        csrf,
        authorizeOrigin: new URL(ctx.oauth.endpoints.oauthAuthorize).origin,
      });
    } catch (error) {
      return failure(event, ctx, error);
    }
  });

  app.post("/oauth2/login", async (event) => {
    const asJson = wantsJson(event);
    const denied = await requireAdmin(event, ctx, { html: !asJson });
    if (denied) return denied;
    try {
      const identity = (await adminIdentity(event, ctx))!;
      const setup = setupOf(ctx);
      const mode = modeOf(event);
      const browser = browserCookie(event, ctx);
      const redirectUri = redirectUriFor(mode, setup, event.url);
      const started = await startLogin(servicesOf(ctx), {
        mode,
        redirectUri,
        owner: identity.user,
        browser: hashToken(browser),
      });
      if (asJson) {
        return json(200, {
          mode,
          state: started.state,
          authorizeUrl: started.authorizeUrl,
          redirectUri,
          expiresAt: started.login.expiresAt,
        });
      }
      if (mode === "loopback" || mode === "own") {
        return new Response(null, {
          status: 302,
          headers: { location: started.authorizeUrl, "cache-control": "no-store" },
        });
      }
      const csrf = identity.via === "session" ? (await sessionOf(event, ctx))?.csrf : undefined;
      return pastePage({ base: base(), mode, state: started.state, authorizeUrl: started.authorizeUrl, csrf });
    } catch (error) {
      return failure(event, ctx, error);
    }
  });

  app.get("/oauth2/callback", async (event) => {
    const q = getQuery(event);
    const input: CallbackInput = {
      state: text(q.state),
      code: text(q.code),
      error: text(q.error),
      errorDescription: text(q.error_description),
    };
    const svc = servicesOf(ctx);
    const may = await completer(event, ctx);
    // A callback from the browser that started the login needs no further check; anyone else must be the admin.
    const pending = input.state ? await svc.pending.peek(input.state) : undefined;
    if (!pending || !may(pending)) {
      const denied = await requireAdmin(event, ctx, { html: true });
      if (denied) return denied;
    }
    try {
      return success(event, ctx, await completeLogin(svc, input, may), wantsJson(event));
    } catch (error) {
      return failure(event, ctx, error);
    }
  });

  app.post("/oauth2/complete", async (event) => {
    const denied = await requireAdmin(event, ctx);
    if (denied) return denied;
    const asJson = wantsJson(event) || (event.req.headers.get("content-type") ?? "").includes("json");
    try {
      const body = await readPasteBody(event);
      const pasted = text(body.input) ?? text(body.url) ?? text(body.code) ?? "";
      const parsed = parsePasted(pasted);
      const pageState = text(body.state);
      if (parsed.state && pageState && parsed.state !== pageState) {
        throw new LoginError(
          "unknown_state",
          "The pasted URL belongs to another login than this page (mismatched state). Paste the URL from this login, or start again.",
        );
      }
      const input = { ...parsed, state: parsed.state ?? pageState };
      return success(event, ctx, await completeLogin(servicesOf(ctx), input, await completer(event, ctx)), asJson);
    } catch (error) {
      return failure(event, ctx, error, asJson);
    }
  });
}
