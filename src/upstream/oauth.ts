// Google OAuth for the Gemini CLI's installed-app client: authorize URL, code exchange, refresh,
// userinfo, tokeninfo and revoke. Failures become UpstreamErrors (invalid_grant → auth_revoked).
import { createHash, randomBytes } from "node:crypto";
import { classifyOAuthError } from "../gemini/classify.ts";
import { UpstreamError } from "../gemini/errors.ts";
import type { Endpoints } from "./endpoints.ts";
import type { HttpClient } from "./http-client.ts";
import { callJson } from "./json-call.ts";

/** The Gemini CLI's public installed-application client (its secret is not a secret by design). */
export const GEMINI_CLI_OAUTH_CLIENT: Readonly<OAuthClient> = Object.freeze({
  clientId: "681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com",
  clientSecret: "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",
});

export const OAUTH_SCOPES: readonly string[] = [
  "https://www.googleapis.com/auth/cloud-platform",
  "https://www.googleapis.com/auth/userinfo.email",
  "https://www.googleapis.com/auth/userinfo.profile",
];

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface OAuthContext {
  http: HttpClient;
  endpoints: Endpoints;
  client: OAuthClient;
}

export interface TokenSet {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
  refreshToken?: string;
  scope?: string;
  idToken?: string;
}

export interface UserInfo {
  email?: string;
  [key: string]: unknown;
}

export interface AuthorizeUrlInput {
  redirectUri: string;
  state: string;
  codeChallenge?: string;
  prompt?: string;
}

export function buildAuthorizeUrl(ctx: Pick<OAuthContext, "endpoints" | "client">, input: AuthorizeUrlInput): string {
  const url = new URL(ctx.endpoints.oauthAuthorize);
  const q = url.searchParams;
  q.set("client_id", ctx.client.clientId);
  q.set("redirect_uri", input.redirectUri);
  q.set("response_type", "code");
  q.set("scope", OAUTH_SCOPES.join(" "));
  q.set("access_type", "offline");
  q.set("state", input.state);
  if (input.prompt) q.set("prompt", input.prompt);
  if (input.codeChallenge) {
    q.set("code_challenge", input.codeChallenge);
    q.set("code_challenge_method", "S256");
  }
  return url.toString();
}

/** PKCE pair (S256). */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(64).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  return { verifier, challenge };
}

function postForm(ctx: OAuthContext, url: string, form: Record<string, string | undefined>) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v !== undefined) body.set(k, v);
  return callJson<Record<string, unknown>>(ctx.http, url, {
    method: "POST",
    body,
    what: "OAuth token endpoint",
    failure: (status, text) => classifyOAuthError(status, text),
  });
}

function toTokenSet(raw: Record<string, unknown>, now: number): TokenSet {
  if (typeof raw.access_token !== "string") {
    throw new UpstreamError({
      kind: "upstream_unavailable",
      status: 200,
      message: "OAuth response has no access_token",
    });
  }
  const expiresIn = typeof raw.expires_in === "number" ? raw.expires_in : Number(raw.expires_in ?? 3599);
  return {
    accessToken: raw.access_token,
    expiresAt: now + (Number.isFinite(expiresIn) ? expiresIn : 3599) * 1000,
    refreshToken: typeof raw.refresh_token === "string" ? raw.refresh_token : undefined,
    scope: typeof raw.scope === "string" ? raw.scope : undefined,
    idToken: typeof raw.id_token === "string" ? raw.id_token : undefined,
  };
}

export async function exchangeCode(
  ctx: OAuthContext,
  input: { code: string; redirectUri: string; codeVerifier?: string },
): Promise<TokenSet> {
  const raw = await postForm(ctx, ctx.endpoints.oauthToken, {
    grant_type: "authorization_code",
    code: input.code,
    redirect_uri: input.redirectUri,
    client_id: ctx.client.clientId,
    client_secret: ctx.client.clientSecret,
    code_verifier: input.codeVerifier,
  });
  return toTokenSet(raw, Date.now());
}

export async function refreshAccessToken(ctx: OAuthContext, refreshToken: string): Promise<TokenSet> {
  const raw = await postForm(ctx, ctx.endpoints.oauthToken, {
    grant_type: "refresh_token",
    refresh_token: refreshToken,
    client_id: ctx.client.clientId,
    client_secret: ctx.client.clientSecret,
  });
  // Google omits refresh_token on refresh: the caller keeps the old one.
  return toTokenSet(raw, Date.now());
}

function bearerJson(ctx: OAuthContext, url: string, accessToken: string, method: "GET" | "POST") {
  return callJson<Record<string, unknown>>(ctx.http, url, {
    method,
    headers: { authorization: `Bearer ${accessToken}` },
    what: url,
    failure(status, text) {
      const err = classifyOAuthError(status, text);
      // A 401/400 here means the access token is bad, not that the refresh token is dead.
      if (status === 401 || status === 400)
        return new UpstreamError({ kind: "auth_expired", status, message: err.message });
      return err;
    },
  });
}

export function fetchUserInfo(ctx: OAuthContext, accessToken: string): Promise<UserInfo> {
  return bearerJson(ctx, ctx.endpoints.userinfo, accessToken, "GET") as Promise<UserInfo>;
}

export function fetchTokenInfo(ctx: OAuthContext, accessToken: string): Promise<Record<string, unknown>> {
  return bearerJson(ctx, ctx.endpoints.tokeninfo, accessToken, "POST");
}

export async function revokeToken(ctx: OAuthContext, token: string): Promise<void> {
  await postForm(ctx, ctx.endpoints.revoke, { token });
}
