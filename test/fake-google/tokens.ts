// OAuth token bookkeeping: minting, checking and revoking access / refresh tokens.
import { randomId } from "./ids.ts";
import type { AccessToken, RefreshToken, State } from "./state.ts";

export function issueRefreshToken(state: State, email: string, clientId: string, scopes: string[]): RefreshToken {
  const rt: RefreshToken = { token: `1//fake-${randomId(24)}`, email, clientId, scopes, revoked: false };
  state.refreshTokens.set(rt.token, rt);
  const account = state.accounts.get(email);
  if (account) account.refreshToken = rt.token;
  return rt;
}

export function issueAccessToken(
  state: State,
  email: string,
  clientId: string,
  scopes: string[],
  refreshToken?: string,
): AccessToken {
  const at: AccessToken = {
    token: `ya29.fake-${randomId(32)}`,
    email,
    clientId,
    scopes,
    expiresAt: Date.now() + state.options.accessTokenTtlSec * 1000,
    refreshToken,
    revoked: false,
  };
  state.accessTokens.set(at.token, at);
  const account = state.accounts.get(email);
  if (account) {
    account.accessToken = at.token;
    account.accessTokenExpiresAt = at.expiresAt;
  }
  return at;
}

export type TokenCheck =
  | { ok: true; token: AccessToken }
  | { ok: false; problem: "missing" | "unknown" | "expired" | "revoked"; token?: AccessToken };

export function checkAccessToken(state: State, token: string | undefined): TokenCheck {
  if (!token) return { ok: false, problem: "missing" };
  const at = state.accessTokens.get(token);
  if (!at) return { ok: false, problem: "unknown" };
  if (at.revoked) return { ok: false, problem: "revoked", token: at };
  if (at.expiresAt <= Date.now()) return { ok: false, problem: "expired", token: at };
  return { ok: true, token: at };
}

/** Revoking a refresh token kills every access token minted from it (Google semantics). */
export function revokeGrant(state: State, rt: RefreshToken, keepAccessTokens = false): void {
  rt.revoked = true;
  if (keepAccessTokens) return;
  for (const at of state.accessTokens.values()) if (at.refreshToken === rt.token) at.revoked = true;
}
