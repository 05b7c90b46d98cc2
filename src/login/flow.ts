// The web login, independent of HTTP: start (state + PKCE + authorize URL) and complete (state
// check, code exchange, account added). Routes and the CLI supply who is asking.
import { isUpstreamError } from "../gemini/errors.ts";
import type { CredentialPool } from "../pool/pool.ts";
import { buildAuthorizeUrl, createPkcePair, exchangeCode, type OAuthContext } from "../upstream/oauth.ts";
import { addLoggedInAccount, LoginError, type LoginOutcome } from "./account.ts";
import type { LoginMode } from "./modes.ts";
import type { PendingLogin, PendingLogins } from "./pending.ts";

export interface LoginServices {
  oauth: OAuthContext;
  pool: CredentialPool;
  pending: PendingLogins;
}

export interface StartedLogin {
  state: string;
  authorizeUrl: string;
  login: PendingLogin;
}

export async function startLogin(
  services: LoginServices,
  input: { mode: LoginMode; redirectUri: string; owner: string; browser?: string },
): Promise<StartedLogin> {
  const pkce = createPkcePair();
  const { state, login } = await services.pending.create({ ...input, verifier: pkce.verifier });
  // prompt=consent: without it Google omits the refresh token for an account that consented before.
  const authorizeUrl = buildAuthorizeUrl(services.oauth, {
    redirectUri: input.redirectUri,
    state,
    codeChallenge: pkce.challenge,
    prompt: "consent",
  });
  return { state, authorizeUrl, login };
}

export interface CallbackInput {
  state?: string;
  code?: string;
  error?: string;
  errorDescription?: string;
}

/** What the user pasted: a whole redirect URL (`...?code=&state=`) or just the code Google showed. */
export function parsePasted(text: string): CallbackInput {
  const value = text.trim();
  if (/^https?:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new LoginError("missing_code", "The pasted text is not a valid URL.");
    }
    const q = url.searchParams;
    return {
      state: q.get("state") ?? undefined,
      code: q.get("code") ?? undefined,
      error: q.get("error") ?? undefined,
      errorDescription: q.get("error_description") ?? undefined,
    };
  }
  return { code: value || undefined };
}

const tooLong = (v: string | undefined) => v !== undefined && v.length > 2048;

/**
 * Completes a pending login. `mayComplete` says whether this caller may finish it (the admin who
 * started it, or the browser it started in); the login is consumed once that check passes.
 */
export async function completeLogin(
  services: LoginServices,
  input: CallbackInput,
  mayComplete: (login: PendingLogin) => boolean | Promise<boolean>,
): Promise<LoginOutcome> {
  if (tooLong(input.code) || tooLong(input.state))
    throw new LoginError("missing_code", "The authorization code or state is malformed.");
  const unknown = () =>
    new LoginError(
      "unknown_state",
      "This login does not match a pending login (mismatched or reused state). Start a new login from the admin page.",
    );
  if (!input.state) throw unknown();
  const peeked = await services.pending.peek(input.state);
  if (!peeked) throw unknown();
  if (!(await mayComplete(peeked))) {
    throw new LoginError("not_owner", "This login was started by another admin session; start a new login here.", 403);
  }
  const login = await services.pending.take(input.state);
  if (!login) throw unknown();
  if (login.expiresAt < Date.now())
    throw new LoginError("expired", "This login expired (they last 10 minutes). Start a new login.");
  if (input.error) {
    const detail = input.errorDescription ? ` (${input.errorDescription.slice(0, 200)})` : "";
    if (input.error === "access_denied")
      throw new LoginError("access_denied", `Access was denied at Google${detail}; the account was not added.`);
    throw new LoginError("exchange_failed", `Google returned an error: ${input.error.slice(0, 100)}${detail}`);
  }
  if (!input.code) throw new LoginError("missing_code", "No authorization code was given.");
  let tokens;
  try {
    tokens = await exchangeCode(services.oauth, {
      code: input.code,
      redirectUri: login.redirectUri,
      codeVerifier: login.verifier,
    });
  } catch (error) {
    if (isUpstreamError(error) && error.reason === "invalid_grant") {
      throw new LoginError(
        "invalid_grant",
        "Google rejected the authorization code (invalid_grant): it expired, was already used, or belongs to another login. Start a new login.",
      );
    }
    throw new LoginError("exchange_failed", `The code exchange with Google failed: ${(error as Error).message}`, 502);
  }
  return addLoggedInAccount(services.pool, tokens);
}
