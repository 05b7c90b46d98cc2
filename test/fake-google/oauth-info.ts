// Token introspection endpoints: tokeninfo, userinfo (v2 / v1 / OIDC), revoke; plus the test id_token.
import { bearerToken, isObject, sendJson, type Ctx } from "./http-util.ts";
import { subjectFor } from "./state.ts";
import { checkAccessToken, revokeGrant } from "./tokens.ts";

function b64url(obj: unknown): string {
  return Buffer.from(JSON.stringify(obj)).toString("base64url");
}

/** An unverifiable JWT with Google's claim names (tests only decode the payload). */
export function idToken(email: string, clientId: string): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: "https://accounts.google.com",
    azp: clientId,
    aud: clientId,
    sub: subjectFor(email),
    email,
    email_verified: true,
    name: displayName(email),
    iat: now,
    exp: now + 3600,
  };
  return `${b64url({ alg: "RS256", kid: "fake-google", typ: "JWT" })}.${b64url(payload)}.ZmFrZS1zaWduYXR1cmU`;
}

function displayName(email: string): string {
  const local = email.split("@")[0] ?? email;
  return local
    .split(/[._+-]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
}

function tokenParam(ctx: Ctx, name: string): string | undefined {
  const fromQuery = ctx.url.searchParams.get(name);
  if (fromQuery) return fromQuery;
  const body = ctx.record.body;
  return isObject(body) && typeof body[name] === "string" ? (body[name] as string) : undefined;
}

export function tokeninfo(ctx: Ctx): void {
  const token = bearerToken(ctx) ?? tokenParam(ctx, "access_token");
  const check = checkAccessToken(ctx.env.state, token);
  if (!check.ok) return sendJson(ctx, 400, { error: "invalid_token", error_description: "Invalid Value" });
  const t = check.token;
  ctx.record.email = t.email;
  const expiresIn = Math.max(0, Math.floor((t.expiresAt - Date.now()) / 1000));
  const offline = t.refreshToken !== undefined;
  // Google answers tokeninfo with string-typed numbers.
  sendJson(ctx, 200, {
    azp: t.clientId,
    aud: t.clientId,
    sub: subjectFor(t.email),
    scope: t.scopes.join(" "),
    exp: String(Math.floor(t.expiresAt / 1000)),
    expires_in: String(expiresIn),
    email: t.email,
    email_verified: "true",
    access_type: offline ? "offline" : "online",
  });
}

export function userinfo(ctx: Ctx): void {
  const check = checkAccessToken(ctx.env.state, bearerToken(ctx) ?? tokenParam(ctx, "access_token"));
  const oidc = ctx.record.path === "/v1/userinfo" || ctx.record.path === "/oauth2/v3/userinfo";
  if (!check.ok) {
    const headers = { "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"' };
    if (oidc)
      return sendJson(ctx, 401, { error: "invalid_request", error_description: "Invalid Credentials" }, headers);
    return sendJson(
      ctx,
      401,
      {
        error: {
          code: 401,
          message:
            "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
          status: "UNAUTHENTICATED",
        },
      },
      headers,
    );
  }
  const email = check.token.email;
  ctx.record.email = email;
  const name = displayName(email);
  const [given, ...rest] = name.split(" ");
  const common = {
    name,
    given_name: given ?? name,
    family_name: rest.join(" ") || "Tester",
    picture: "https://lh3.googleusercontent.com/a/fake",
  };
  if (oidc) return sendJson(ctx, 200, { sub: subjectFor(email), ...common, email, email_verified: true });
  sendJson(ctx, 200, { id: subjectFor(email), email, verified_email: true, ...common });
}

export function revoke(ctx: Ctx): void {
  const { state } = ctx.env;
  const token = tokenParam(ctx, "token");
  const rt = token ? state.refreshTokens.get(token) : undefined;
  const at = token ? state.accessTokens.get(token) : undefined;
  if (rt && !rt.revoked) {
    ctx.record.email = rt.email;
    revokeGrant(state, rt);
  } else if (at && !at.revoked && at.expiresAt > Date.now()) {
    ctx.record.email = at.email;
    at.revoked = true;
    // Revoking an access token also revokes the grant (refresh token) it came from.
    const parent = at.refreshToken ? state.refreshTokens.get(at.refreshToken) : undefined;
    if (parent) revokeGrant(state, parent);
  } else {
    return sendJson(ctx, 400, { error: "invalid_token", error_description: "Token expired or revoked" });
  }
  sendJson(ctx, 200, {});
}
