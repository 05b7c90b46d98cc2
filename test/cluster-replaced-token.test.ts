// A 401 is about one access token. Between instances, the report of a 401 on the old token can
// reach storage after another instance refreshed: landing as `expired` next to the new token, it
// made every instance's next lease refresh that new token again (two token calls instead of one,
// seen under load in redis-cluster.test.ts). These tests replay that interleaving step by step.
import { createStorage } from "unstorage";
import { afterEach, describe, expect, it } from "vitest";
import type { StorageLike } from "../src/index.ts";
import { createClusterSync } from "../src/pool/cluster.ts";
import { initialState, type CredentialState, type OAuthCredential } from "../src/pool/credential.ts";
import type { Entry } from "../src/pool/entry.ts";
import { createCredentialStore } from "../src/pool/store.ts";
import { createMemoryCoordinator, type Coordinator } from "../src/storage/coordination/index.ts";

const HOUR = 3_600_000;
const state = (extra: Partial<CredentialState> = {}): CredentialState => ({ ...initialState(), ...extra });
const oauth = (accessToken: string): OAuthCredential => ({
  id: "oauth-1",
  kind: "oauth",
  email: "first@example.com",
  accessToken,
  refreshToken: "refresh-1",
  expiresAt: Date.now() + HOUR,
  createdAt: 1,
});

describe("an expiry reported on a token another instance already replaced", () => {
  let coordinator: Coordinator;
  afterEach(async () => {
    await coordinator?.dispose();
  });

  /** One instance's view of the credential, over a storage that holds `stored` now. */
  async function setup(stored: { credential: OAuthCredential; state: CredentialState }, entry: Entry) {
    const store = createCredentialStore(createStorage() as StorageLike);
    coordinator = createMemoryCoordinator();
    await store.put(stored.credential);
    await store.putState(stored.credential.id, stored.state);
    const sync = createClusterSync({
      coordinator,
      store,
      entries: new Map([[entry.credential.id, entry]]),
      instanceId: "late",
      warn: () => {},
      busy: () => false,
      adopt: (e, next) => void (e.state = next),
      dropped: () => {},
      persist: () => {},
    });
    return { store, sync };
  }

  it("a late write of `expired` for the old token leaves the refreshed credential active", async () => {
    const old = oauth("token-old");
    const fresh = oauth("token-new");
    // This instance saw the 401 on the old token; meanwhile another refreshed and stored its result.
    const entry: Entry = {
      credential: old,
      state: state({ status: "expired", failedAt: Date.now() }),
      pending: 0,
      stored: { credential: old, state: state() },
    };
    const { store, sync } = await setup({ credential: fresh, state: state({ lastRefreshedAt: Date.now() }) }, entry);
    await sync.write(entry, { record: false, state: true });
    expect((await store.getState(old.id))?.status).toBe("active");
    expect((await store.get(old.id)) as OAuthCredential).toMatchObject({ accessToken: "token-new" });
    // The late instance takes the new token, ready to serve: no reason to refresh it again.
    expect(entry.credential).toMatchObject({ accessToken: "token-new" });
    expect(entry.state.status).toBe("active");
    // Other findings of that write still land.
    expect((await store.getState(old.id))?.failedAt).toBe(entry.state.failedAt);
  });

  it("a 401 on the token storage holds is still written as `expired`", async () => {
    const current = oauth("token-new");
    const entry: Entry = {
      credential: current,
      state: state({ status: "expired" }),
      pending: 0,
      stored: { credential: current, state: state() },
    };
    const { store, sync } = await setup({ credential: current, state: state() }, entry);
    await sync.write(entry, { record: false, state: true });
    expect((await store.getState(current.id))?.status).toBe("expired");
    expect(entry.state.status).toBe("expired");
  });

  it("a reload that brings the new token ends an expiry this instance saw on the old one", async () => {
    const old = oauth("token-old");
    const entry: Entry = {
      credential: old,
      state: state({ status: "expired" }),
      pending: 0,
      stored: { credential: old, state: state() },
    };
    const { sync } = await setup({ credential: oauth("token-new"), state: state() }, entry);
    await sync.reload(old.id);
    expect(entry.credential).toMatchObject({ accessToken: "token-new" });
    expect(entry.state.status).toBe("active");
  });

  it("the new token read before its refresher's state write is not taken as expired", async () => {
    // Storage between the refresh holder's token write and its `active` write: the expiry is the old token's.
    const old = oauth("token-old");
    const entry: Entry = { credential: old, state: state(), pending: 0, stored: { credential: old, state: state() } };
    const { sync } = await setup(
      { credential: oauth("token-new"), state: state({ status: "expired", reason: "token refused" }) },
      entry,
    );
    await sync.reload(old.id);
    expect(entry.credential).toMatchObject({ accessToken: "token-new" });
    expect(entry.state).toMatchObject({ status: "active" });
    expect(entry.state.reason).toBeUndefined();
  });

  it("an expiry stored with the token this instance already holds is taken as it is", async () => {
    const current = oauth("token-new");
    const entry: Entry = {
      credential: current,
      state: state(),
      pending: 0,
      stored: { credential: current, state: state() },
    };
    const { sync } = await setup({ credential: current, state: state({ status: "expired" }) }, entry);
    await sync.reload(current.id);
    expect(entry.state.status).toBe("expired");
  });
});
