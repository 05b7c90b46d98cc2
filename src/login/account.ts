// What happens to a freshly logged-in account: the pool completes it (userinfo, project, onboarding,
// eligibility) and we decide whether it stays.
//
// Policy: an `ineligible` account is dropped. Google has said it cannot use Code Assist (for
// example UNSUPPORTED_CLIENT or UNSUPPORTED_LOCATION), so keeping it would only hold a live refresh
// token that can never serve a request; the result carries Google's reason and link, and a new
// login after fixing the cause adds it. Every other problem keeps the account, with its status:
// `needs_verification` is fixed by the user through Google's link, and errors such as a failed
// onboarding are retried by the pool's checks.
import type { CredentialInput } from "../pool/input.ts";
import type { CredentialPool, CredentialView } from "../pool/pool.ts";
import type { TokenSet } from "../upstream/oauth.ts";

export interface LoginOutcome {
  /** `added` (new), `updated` (same account logged in again), `dropped` (ineligible or refused, not kept). */
  result: "added" | "updated" | "dropped";
  credential: CredentialView;
  /** Set when Google refused the credential itself (invalid API key, revoked refresh token). */
  refused?: string;
}

export class LoginError extends Error {
  override name = "LoginError";
  constructor(
    readonly code:
      | "unknown_state"
      | "expired"
      | "not_owner"
      | "access_denied"
      | "missing_code"
      | "invalid_grant"
      | "no_refresh_token"
      | "exchange_failed"
      | "mode_unavailable"
      | "add_failed",
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
  }
}

export async function addLoggedInAccount(pool: CredentialPool, tokens: TokenSet): Promise<LoginOutcome> {
  if (!tokens.refreshToken) {
    throw new LoginError(
      "no_refresh_token",
      "Google returned no refresh token, so the account could not be kept. Remove this app's access at https://myaccount.google.com/permissions and log in again.",
    );
  }
  return addAccount(pool, {
    refresh_token: tokens.refreshToken,
    access_token: tokens.accessToken,
    expiry_date: tokens.expiresAt,
    scope: tokens.scope,
  });
}

/**
 * pool.add() with the policy above (also for imported files). API keys are checked with Google
 * first; a key or a new refresh token Google refuses is reported and not kept.
 */
export async function addAccount(pool: CredentialPool, input: CredentialInput): Promise<LoginOutcome> {
  let added;
  try {
    added = await pool.add(input, { verify: true });
  } catch (error) {
    throw new LoginError("add_failed", `The account could not be added: ${(error as Error).message}`, 500);
  }
  if (added.refused) return { result: "dropped", credential: added.credential, refused: added.refused };
  if (added.credential.state.status === "ineligible") {
    await pool.remove(added.id);
    return { result: "dropped", credential: added.credential };
  }
  return { result: added.created ? "added" : "updated", credential: added.credential };
}

/** One line for logs and the CLI: who, and in what state (never a token). */
export function describeOutcome(outcome: LoginOutcome): string {
  const c = outcome.credential;
  const who = c.email ?? c.keyLabel ?? c.id;
  if (outcome.refused) return `${who} was not added: ${outcome.refused}`;
  const state =
    c.state.status + (c.state.reason ? `: ${c.state.reason}` : "") + (c.state.link ? ` (${c.state.link})` : "");
  if (outcome.result === "dropped")
    return `${who} was not added: Google says the account is ineligible (${c.state.reason ?? "no reason given"})${c.state.link ? ` — ${c.state.link}` : ""}`;
  return `${who} ${outcome.result}${c.project ? `, project ${c.project}` : ""}; status ${state}`;
}
