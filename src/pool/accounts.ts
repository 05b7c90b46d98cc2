// Turning an OAuth credential into a working account: fresh token, email from userinfo, project
// from project_id_map / loadCodeAssist / onboarding. Account problems become a state with Google's
// reason and link, not an exception.
import { isUpstreamError } from "../gemini/errors.ts";
import { fetchUserInfo, refreshAccessToken, type OAuthContext } from "../upstream/oauth.ts";
import { AccountSetupError, setupCodeAssistAccount } from "../upstream/onboarding.ts";
import type { CodeAssistClient } from "../upstream/code-assist.ts";
import type { CredentialState, OAuthCredential } from "./credential.ts";
import { RefreshBackoffError } from "./refresh-backoff.ts";

export interface AccountServices {
  oauth: OAuthContext;
  codeAssist: CodeAssistClient;
  projectIdMap: Record<string, string>;
  onboardingPollMs?: number;
}

/** Refresh margin: tokens expiring sooner than this are refreshed before use. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export type StateChange = Pick<CredentialState, "status" | "reason" | "link">;

export function stateForError(error: unknown): StateChange {
  // A refresh pause is not a new finding: the token is still the problem.
  if (error instanceof RefreshBackoffError) return { status: "expired", reason: error.message };
  if (error instanceof AccountSetupError) {
    const status =
      error.code === "validation_required"
        ? "needs_verification"
        : error.code === "onboarding_failed"
          ? "error"
          : "ineligible";
    return { status, reason: error.message, link: error.link };
  }
  if (isUpstreamError(error)) {
    switch (error.kind) {
      case "auth_revoked":
        return { status: "error", reason: `Google refused the refresh token (${error.message}); log in again.` };
      case "validation_required":
        return { status: "needs_verification", reason: error.message, link: error.link };
      case "service_disabled":
        return { status: "ineligible", reason: error.message, link: error.link };
      case "permission_denied":
        return { status: "permission_denied", reason: error.message };
      default:
        return { status: "suspected", reason: error.message };
    }
  }
  return { status: "error", reason: error instanceof Error ? error.message : String(error) };
}

export async function ensureFreshToken(
  services: AccountServices,
  cred: OAuthCredential,
  force = false,
): Promise<OAuthCredential> {
  if (!force && cred.accessToken && cred.expiresAt && cred.expiresAt - Date.now() > REFRESH_MARGIN_MS) return cred;
  const tokens = await refreshAccessToken(services.oauth, cred.refreshToken);
  return {
    ...cred,
    accessToken: tokens.accessToken,
    expiresAt: tokens.expiresAt,
    refreshToken: tokens.refreshToken ?? cred.refreshToken,
  };
}

/**
 * Email and project discovery. Never throws: an account problem comes back as `error`, together
 * with whatever was completed before it (a refreshed token must not be lost).
 */
export async function completeAccount(
  services: AccountServices,
  cred: OAuthCredential,
): Promise<{ credential: OAuthCredential; error?: unknown }> {
  let out = cred;
  try {
    out = await ensureFreshToken(services, out);
    if (!out.email) {
      const info = await fetchUserInfo(services.oauth, out.accessToken!);
      if (typeof info.email === "string") out = { ...out, email: info.email };
    }
    const mapped = out.email ? services.projectIdMap[out.email] : undefined;
    const setup = await setupCodeAssistAccount(services.codeAssist, out.accessToken!, {
      project: mapped ?? out.project,
      pollIntervalMs: services.onboardingPollMs,
    });
    return { credential: { ...out, project: setup.project, tier: setup.tier } };
  } catch (error) {
    return { credential: out, error };
  }
}
