// Request pipeline: read + record every request, classify surface/action/model, track client aborts,
// dispatch to the surface handlers.
import type { IncomingMessage, ServerResponse } from "node:http";
import { applyFault } from "./apply-fault.ts";
import { handleCodeAssist } from "./code-assist.ts";
import { googleError, sendGoogleError } from "./errors.ts";
import { handleGeminiApi } from "./gemini-api.ts";
import { field, isObject, lowerHeaders, parseBody, readBody, sendJson, type Ctx, type Env } from "./http-util.ts";
import { authorize, token } from "./oauth.ts";
import { revoke, tokeninfo, userinfo } from "./oauth-info.ts";
import { checkAccessToken } from "./tokens.ts";
import type { FakeRequestRecord } from "./types.ts";

export interface ServerEnv extends Env {
  /** Set while the fake shuts down, so dropped connections are not recorded as client aborts. */
  closing: boolean;
}

const OAUTH_ROUTES: Record<string, string> = {
  "/o/oauth2/v2/auth": "authorize",
  "/o/oauth2/auth": "authorize",
  "/token": "token",
  "/oauth2/v4/token": "token",
  "/tokeninfo": "tokeninfo",
  "/oauth2/v3/tokeninfo": "tokeninfo",
  "/oauth2/v2/userinfo": "userinfo",
  "/oauth2/v1/userinfo": "userinfo",
  "/oauth2/v3/userinfo": "userinfo",
  "/v1/userinfo": "userinfo",
  "/revoke": "revoke",
  "/o/oauth2/revoke": "revoke",
};

const GEMINI_ROUTE = /^\/(?:v1beta|v1|v1alpha)\/models(?:\/([^/:]+)(?::([A-Za-z]+))?)?$/;

function bareModel(id: unknown): string | undefined {
  if (typeof id !== "string") return undefined;
  return id.startsWith("models/") ? id.slice("models/".length) : id;
}

/** Fills surface, action, model, apiKey and (when a token is known) email. */
function classify(env: Env, record: FakeRequestRecord, url: URL): void {
  const path = record.path;
  const body = record.body;
  const oauthAction = OAUTH_ROUTES[path];
  if (oauthAction) {
    record.surface = "oauth";
    record.action = oauthAction;
    if (oauthAction === "token" && isObject(body)) {
      const rt = typeof body.refresh_token === "string" ? env.state.refreshTokens.get(body.refresh_token) : undefined;
      const code = typeof body.code === "string" ? env.state.codes.get(body.code) : undefined;
      record.email = rt?.email ?? code?.email;
    }
  } else if (path.startsWith("/v1internal")) {
    record.surface = "code-assist";
    if (path.startsWith("/v1internal:")) record.action = path.slice("/v1internal:".length);
    else if (path.startsWith("/v1internal/operations/")) record.action = "getOperation";
    if (record.action === "generateContent" || record.action === "streamGenerateContent")
      record.model = bareModel(field(body, "model"));
    if (record.action === "countTokens") record.model = bareModel(field(field(body, "request"), "model"));
  } else {
    record.surface = "gemini-api";
    const m = GEMINI_ROUTE.exec(path);
    if (m) {
      record.model = m[1];
      record.action = m[2] ?? (m[1] ? "getModel" : "listModels");
    }
    record.apiKey = url.searchParams.get("key") ?? record.headers["x-goog-api-key"] ?? undefined;
  }
  const auth = /^Bearer\s+(.+)$/i.exec(record.headers.authorization ?? "");
  if (auth?.[1] && !record.email) {
    const check = checkAccessToken(env.state, auth[1].trim());
    record.email = check.ok ? check.token.email : check.token?.email;
  }
}

async function handleOAuth(ctx: Ctx): Promise<void> {
  if (await applyFault(ctx)) return;
  const post = ctx.record.method === "POST";
  switch (ctx.record.action) {
    case "authorize":
      return authorize(ctx);
    case "token":
      if (!post) return sendJson(ctx, 405, { error: "invalid_request", error_description: "Invalid request method" });
      return token(ctx);
    case "tokeninfo":
      return tokeninfo(ctx);
    case "userinfo":
      return userinfo(ctx);
    default:
      return revoke(ctx);
  }
}

export function createHandler(env: ServerEnv): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(env, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
}

async function handle(env: ServerEnv, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const rawBody = await readBody(req);
  const headers = lowerHeaders(req);
  const { body, badJson } = parseBody(rawBody, headers["content-type"]);
  const record: FakeRequestRecord = {
    time: Date.now(),
    method: req.method ?? "GET",
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body,
    surface: "gemini-api",
  };
  classify(env, record, url);
  env.requests.push(record);

  const controller = new AbortController();
  let selfClosed = false;
  res.on("close", () => {
    if (res.headersSent && record.status === undefined) record.status = res.statusCode;
    // 'close' before the response finished = the client went away (or the socket died).
    if (!res.writableFinished && !selfClosed && !env.closing) record.aborted = true;
    controller.abort();
  });
  const ctx: Ctx = {
    env,
    req,
    res,
    url,
    record,
    rawBody,
    badJson,
    signal: controller.signal,
    selfClose: () => {
      selfClosed = true;
    },
  };
  try {
    if (record.surface === "oauth") await handleOAuth(ctx);
    else if (!record.action)
      sendGoogleError(ctx, googleError(404, `The requested URL ${record.path} was not found on this server.`));
    else if (record.surface === "code-assist") await handleCodeAssist(ctx);
    else await handleGeminiApi(ctx);
  } catch (e) {
    if (!res.headersSent)
      sendGoogleError(ctx, googleError(500, `fake-google internal error: ${(e as Error).message}`), { array: false });
    else res.destroy();
  }
}
