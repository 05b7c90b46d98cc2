// OAuth token refresh: single-flight per credential (any number of concurrent callers share one
// call to Google), the `refreshing` status while it runs, and when the background loop should act.
import type { CredentialState, OAuthCredential } from "./credential.ts";
import { ensureFreshToken, stateForError, type AccountServices } from "./accounts.ts";
import type { Entry } from "./entry.ts";
import { refreshShared, type SharedRefreshDeps } from "./shared-refresh.ts";
import { inBackoff, RefreshBackoffError } from "./refresh-backoff.ts";

/** Tokens closer than this to expiry are refreshed before a request uses them. */
export const LEASE_MARGIN_MS = 60_000;

export type Commit = (entry: Entry, next: CredentialState, options?: { record?: boolean }) => void;

export function needsToken(cred: OAuthCredential, now: number, marginMs = LEASE_MARGIN_MS): boolean {
  return !cred.accessToken || !cred.expiresAt || cred.expiresAt - now <= marginMs;
}

/**
 * Due for a background refresh: within `aheadMs` of expiry, scaled by a random 0.5–1 factor so
 * many accounts added together don't all refresh in the same tick.
 */
export function dueForRefresh(cred: OAuthCredential, now: number, aheadMs: number, random: number): boolean {
  return needsToken(cred, now, aheadMs * (0.5 + random / 2));
}

/** The token serves as is: fresh, not marked expired, no refresh running (what `refresh` would resolve at once). */
export function tokenReady(entry: Entry): boolean {
  return (
    !entry.refreshing &&
    entry.state.status !== "expired" &&
    !needsToken(entry.credential as OAuthCredential, Date.now())
  );
}

export interface Refresher {
  /** Refresh now if `force` or the token is close to expiry; joins a refresh already running. */
  refresh(entry: Entry, force: boolean): Promise<OAuthCredential>;
}

export function createRefresher(
  services: AccountServices,
  commit: Commit,
  shared?: Omit<SharedRefreshDeps, "services">,
): Refresher {
  function refresh(entry: Entry, force: boolean): Promise<OAuthCredential> {
    const cred = entry.credential as OAuthCredential;
    if (entry.refreshing) return entry.refreshing;
    if (!force && !needsToken(cred, Date.now())) return Promise.resolve(cred);
    if (inBackoff(entry.backoff, Date.now()))
      return Promise.reject(new RefreshBackoffError(cred.id, entry.backoff!.until));
    const previous = entry.state.status;
    commit(entry, { ...entry.state, status: "refreshing" });
    const run = (async () => {
      try {
        // Shared storage: one refresh across every instance (shared-refresh.ts).
        const fresh = shared
          ? await refreshShared({ ...shared, services }, cred)
          : await ensureFreshToken(services, cred, true);
        entry.credential = fresh;
        entry.unproven = fresh.accessToken;
        // Only the token was the problem: back to work (other problems, e.g. suspected, stay).
        const status = previous === "expired" || previous === "refreshing" ? "active" : previous;
        commit(entry, { ...entry.state, status, lastRefreshedAt: Date.now() }, { record: true });
        return fresh;
      } catch (error) {
        const change = stateForError(error);
        // An operator's `disabled` outranks whatever the refresh found.
        commit(entry, {
          ...entry.state,
          ...change,
          status: previous === "disabled" ? previous : change.status,
          failedAt: Date.now(),
        });
        throw error;
      } finally {
        entry.refreshing = undefined;
      }
    })();
    entry.refreshing = run;
    return run;
  }
  return { refresh };
}
