// Token refresh, single-flight across instances: the instance that takes the credential's lock
// (SET NX PX, so a crashed holder's lock expires) calls Google and stores the new token before
// releasing it; the others wait for the release and take the stored token instead of refreshing.
import { isUnavailable, type Coordinator } from "../storage/coordination/index.ts";
import type { CredentialStore } from "./store.ts";
import { ensureFreshToken, type AccountServices } from "./accounts.ts";
import type { Credential, OAuthCredential } from "./credential.ts";

/** A refresh lock outlives a slow token call, and frees itself this long after a holder died. */
export const REFRESH_LOCK_MS = 15_000;

export interface SharedRefreshDeps {
  coordinator: Coordinator;
  store: CredentialStore;
  services: AccountServices;
  lockMs?: number;
}

const tokensOf = (cred: OAuthCredential) => ({
  accessToken: cred.accessToken,
  expiresAt: cred.expiresAt,
  refreshToken: cred.refreshToken,
});

/** A stored token another instance obtained after ours went stale, still good for a while. */
function newerToken(stored: Credential | null, stale: string | undefined, now: number): boolean {
  return (
    stored?.kind === "oauth" &&
    !!stored.accessToken &&
    stored.accessToken !== stale &&
    !!stored.expiresAt &&
    stored.expiresAt - now > 60_000
  );
}

export async function refreshShared(deps: SharedRefreshDeps, cred: OAuthCredential): Promise<OAuthCredential> {
  const { coordinator, store, services } = deps;
  const ttl = deps.lockMs ?? REFRESH_LOCK_MS;
  const name = `refresh:${cred.id}`;
  const stale = cred.accessToken;
  const giveUp = Date.now() + 2 * ttl;
  const read = (): Promise<Credential | null> => store.get(cred.id).catch(() => null);
  for (;;) {
    let lock;
    try {
      lock = await coordinator.lock(name, ttl);
    } catch (error) {
      if (isUnavailable(error)) return ensureFreshToken(services, cred, true); // no shared backend: serve anyway
      throw error;
    }
    if (lock) {
      try {
        const stored = await read();
        if (newerToken(stored, stale, Date.now())) return { ...cred, ...tokensOf(stored as OAuthCredential) };
        // A refresh token rotated by another instance is the one Google still accepts.
        const base = stored?.kind === "oauth" ? { ...cred, refreshToken: stored.refreshToken } : cred;
        const fresh = await ensureFreshToken(services, base, true);
        // The waiting instances read the record the moment the lock frees: it must hold the token by then.
        await coordinator
          .withLock(`cred:${cred.id}`, 5000, async () => {
            const latest = await store.get(cred.id);
            if (latest?.kind === "oauth") await store.put({ ...latest, ...tokensOf(fresh) });
          })
          .catch(() => {}); // the pool's own write follows anyway
        return fresh;
      } finally {
        await coordinator.unlock(lock).catch(() => false);
      }
    }
    await coordinator.waitUnlocked(name, ttl).catch(() => {});
    const stored = await read();
    if (newerToken(stored, stale, Date.now())) return { ...cred, ...tokensOf(stored as OAuthCredential) };
    if (Date.now() > giveUp) throw new Error(`the refresh of credential ${cred.id} by another instance did not finish`);
    // The holder failed or died without a new token: try to take the lock ourselves.
  }
}
