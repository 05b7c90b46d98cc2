// OAuth authorization endpoint and token endpoint (docs/upstream.md#oauth, docs/upstream.md#faithful-fake-google).
import { createHash } from "node:crypto";
import { AUTHCODE_REDIRECT_URI } from "./constants.ts";
import { escapeHtml, isObject, sendHtml, sendJson, type Ctx } from "./http-util.ts";
import { idToken } from "./oauth-info.ts";
import { addAccount, type OAuthClient, type State } from "./state.ts";
import { issueAccessToken, issueRefreshToken } from "./tokens.ts";
import { randomId } from "./ids.ts";

function errorPage(ctx: Ctx, status: number, error: string, detail: string): void {
  sendHtml(
    ctx,
    status,
    `<!doctype html><html><head><title>Error ${status} (OAuth)</title></head><body><h1>Access blocked: Authorization Error</h1>` +
      `<p id="error">Error ${status}: ${escapeHtml(error)}</p><p id="detail">${escapeHtml(detail)}</p></body></html>`,
  );
}

function isLoopback(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);
  } catch {
    return false;
  }
}

/** Installed-app clients accept any loopback redirect; otherwise only registered URIs match exactly. */
function redirectAllowed(client: OAuthClient, uri: string): boolean {
  return client.redirectUris.includes(uri) || isLoopback(uri);
}

/** Google adds `openid` to what it grants when userinfo scopes are requested. */
export function grantedScopes(requested: string): string[] {
  const scopes = requested.split(/\s+/).filter(Boolean);
  if (!scopes.includes("openid") && scopes.some((s) => s.includes("userinfo") || s === "email" || s === "profile")) {
    scopes.push("openid");
  }
  return scopes;
}

function consentEmail(state: State): string {
  const email = state.consent.email ?? state.lastAddedEmail ?? "tester@example.com";
  if (!state.accounts.has(email)) addAccount(state, { email });
  return email;
}

export function authorize(ctx: Ctx): void {
  const { state } = ctx.env;
  const q = ctx.url.searchParams;
  const client = state.clients.get(q.get("client_id") ?? "");
  if (!client) return errorPage(ctx, 401, "invalid_client", "The OAuth client was not found.");
  const redirectUri = q.get("redirect_uri") ?? "";
  if (!redirectAllowed(client, redirectUri)) {
    return errorPage(
      ctx,
      400,
      "redirect_uri_mismatch",
      `You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. redirect_uri=${redirectUri}`,
    );
  }
  if (q.get("response_type") !== "code") {
    return errorPage(ctx, 400, "invalid_request", `Invalid response_type: ${q.get("response_type") ?? "(missing)"}`);
  }
  const scope = q.get("scope") ?? "";
  if (scope.trim() === "") return errorPage(ctx, 400, "invalid_request", "Missing required parameter: scope");
  const challenge = q.get("code_challenge") ?? undefined;
  const method = q.get("code_challenge_method") ?? (challenge ? "plain" : undefined);
  if (challenge && method !== "S256" && method !== "plain") {
    return errorPage(ctx, 400, "invalid_request", `Invalid code_challenge_method: ${method}`);
  }

  const email = consentEmail(state);
  ctx.record.email = email;
  const { deny, wrongState } = state.consent;
  state.consent = { email: state.consent.email }; // deny / wrongState apply to one authorization only
  const stateParam = wrongState ? `wrong-${randomId(8)}` : (q.get("state") ?? "");
  const manual = redirectUri === AUTHCODE_REDIRECT_URI;

  if (deny) {
    if (manual) return errorPage(ctx, 403, "access_denied", "The user denied access.");
    return redirect(ctx, redirectUri, {
      error: "access_denied",
      error_description: "The user denied access.",
      state: stateParam,
    });
  }
  const scopes = grantedScopes(scope);
  const code = `4/0Ab${randomId(40)}`;
  state.codes.set(code, {
    code,
    email,
    clientId: client.id,
    redirectUri,
    scopes,
    offline: q.get("access_type") === "offline",
    challenge,
    challengeMethod: method,
    used: false,
  });
  if (manual) {
    return sendHtml(
      ctx,
      200,
      `<!doctype html><html><head><title>Gemini Code Assist</title></head><body><p>Sign in to Gemini Code Assist. Copy this code and paste it into the application:</p>` +
        `<code id="authcode">${escapeHtml(code)}</code></body></html>`,
    );
  }
  redirect(ctx, redirectUri, { code, state: stateParam, scope: scopes.join(" "), authuser: "0", prompt: "consent" });
}

function redirect(ctx: Ctx, uri: string, params: Record<string, string>): void {
  const target = new URL(uri);
  for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
  ctx.record.status = 302;
  ctx.res.writeHead(302, { location: target.toString(), "content-type": "text/html; charset=UTF-8" });
  ctx.res.end(`<a href="${escapeHtml(target.toString())}">Moved</a>`);
}

function oauthError(ctx: Ctx, status: number, error: string, description: string): void {
  sendJson(ctx, status, { error, error_description: description });
}

function clientCredentials(ctx: Ctx, body: Record<string, unknown>): { id?: string; secret?: string } {
  const basic = /^Basic\s+(.+)$/i.exec(ctx.record.headers.authorization ?? "");
  if (basic?.[1]) {
    const [id, secret] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
    return { id: id ? decodeURIComponent(id) : undefined, secret: secret ? decodeURIComponent(secret) : undefined };
  }
  return {
    id: typeof body.client_id === "string" ? body.client_id : undefined,
    secret: typeof body.client_secret === "string" ? body.client_secret : undefined,
  };
}

function verifierMatches(verifier: string, challenge: string, method: string | undefined): boolean {
  if (method === "plain") return verifier === challenge;
  return createHash("sha256").update(verifier).digest("base64url") === challenge;
}

export function token(ctx: Ctx): void {
  const { state } = ctx.env;
  const body = isObject(ctx.record.body) ? ctx.record.body : {};
  const str = (k: string): string | undefined => (typeof body[k] === "string" ? (body[k] as string) : undefined);
  const grant = str("grant_type");
  if (grant !== "authorization_code" && grant !== "refresh_token") {
    return oauthError(ctx, 400, "unsupported_grant_type", `Invalid grant_type: ${grant ?? ""}`);
  }
  const creds = clientCredentials(ctx, body);
  const client = state.clients.get(creds.id ?? "");
  if (!client) return oauthError(ctx, 401, "invalid_client", "The OAuth client was not found.");
  if (creds.secret !== client.secret) return oauthError(ctx, 401, "invalid_client", "Unauthorized");
  const ttl = state.options.accessTokenTtlSec;

  if (grant === "authorization_code") {
    const codeValue = str("code");
    if (!codeValue) return oauthError(ctx, 400, "invalid_request", "Missing required parameter: code");
    const code = state.codes.get(codeValue);
    if (!code || code.used || code.clientId !== client.id) return oauthError(ctx, 400, "invalid_grant", "Bad Request");
    if (str("redirect_uri") !== code.redirectUri) return oauthError(ctx, 400, "redirect_uri_mismatch", "Bad Request");
    if (code.challenge) {
      const verifier = str("code_verifier");
      if (!verifier) return oauthError(ctx, 400, "invalid_grant", "Missing code verifier.");
      if (!verifierMatches(verifier, code.challenge, code.challengeMethod))
        return oauthError(ctx, 400, "invalid_grant", "Invalid code verifier.");
    }
    code.used = true;
    const rt = code.offline ? issueRefreshToken(state, code.email, client.id, code.scopes) : undefined;
    const at = issueAccessToken(state, code.email, client.id, code.scopes, rt?.token);
    const out: Record<string, unknown> = { access_token: at.token, expires_in: ttl };
    if (rt) out.refresh_token = rt.token;
    out.scope = code.scopes.join(" ");
    out.token_type = "Bearer";
    if (code.scopes.includes("openid")) out.id_token = idToken(code.email, client.id);
    return sendJson(ctx, 200, out);
  }

  const rt = state.refreshTokens.get(str("refresh_token") ?? "");
  if (!rt || rt.revoked) return oauthError(ctx, 400, "invalid_grant", "Token has been expired or revoked.");
  if (rt.clientId !== client.id) return oauthError(ctx, 401, "unauthorized_client", "Unauthorized");
  const asked = str("scope");
  const scopes = asked ? asked.split(/\s+/).filter(Boolean) : rt.scopes;
  if (scopes.some((s) => !rt.scopes.includes(s))) {
    return oauthError(
      ctx,
      400,
      "invalid_scope",
      "Some requested scopes were invalid. {invalid=[" + scopes.filter((s) => !rt.scopes.includes(s)).join(", ") + "]}",
    );
  }
  const at = issueAccessToken(state, rt.email, client.id, scopes, rt.token);
  const out: Record<string, unknown> = {
    access_token: at.token,
    expires_in: ttl,
    scope: scopes.join(" "),
    token_type: "Bearer",
  };
  if (scopes.includes("openid")) out.id_token = idToken(rt.email, client.id);
  sendJson(ctx, 200, out);
}
