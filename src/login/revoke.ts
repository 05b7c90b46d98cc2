// Removing an account, optionally revoking its refresh token at Google first (while we still have
// it). Revoking ends the grant: other sessions of the same account on the same OAuth client (the
// Gemini CLI on a laptop, when it is the Gemini CLI's client) are signed out too.
import { isUpstreamError } from "../gemini/errors.ts";
import type { CredentialPool } from "../pool/pool.ts";
import type { CredentialStore } from "../pool/store.ts";
import { revokeToken, type OAuthContext } from "../upstream/oauth.ts";

export interface RevokeResult {
  removed: boolean;
  /** True when Google confirmed, or said the token was already invalid. */
  revoked: boolean;
  /** Why revocation did not happen (API keys, network errors); the account is removed anyway. */
  revokeError?: string;
}

export async function revokeCredential(
  /** `store` must be the proxy's own (it opens sealed secrets with the encryption key). */
  deps: { pool: CredentialPool; store: Pick<CredentialStore, "get">; oauth: OAuthContext },
  id: string,
  options: { revoke?: boolean } = {},
): Promise<RevokeResult> {
  if (!deps.pool.get(id)) return { removed: false, revoked: false };
  let revoked = false;
  let revokeError: string | undefined;
  if (options.revoke) {
    const record = await deps.store.get(id);
    if (record?.kind !== "oauth") {
      revokeError = "API keys cannot be revoked from here; delete them in Google AI Studio.";
    } else {
      try {
        await revokeToken(deps.oauth, record.refreshToken);
        revoked = true;
      } catch (error) {
        // invalid_token: Google no longer knows the token, which is what revoking wants.
        if (isUpstreamError(error) && error.reason === "invalid_token") revoked = true;
        else revokeError = `Google did not confirm the revocation: ${(error as Error).message}`;
      }
    }
  }
  const removed = await deps.pool.remove(id);
  return revokeError ? { removed, revoked, revokeError } : { removed, revoked };
}
