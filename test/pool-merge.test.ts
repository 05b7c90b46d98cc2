// Three-way merges of credential state between instances: equality ignores key order (storage and
// memory need not agree on it), and per-model cooldowns merge by the later `until`, not by the
// later write.
import { createStorage } from "unstorage";
import { describe, expect, it } from "vitest";
import type { StorageLike } from "../src/index.ts";
import { createClusterSync } from "../src/pool/cluster.ts";
import { initialState, type Credential, type CredentialState } from "../src/pool/credential.ts";
import type { Entry } from "../src/pool/entry.ts";
import { mergeState, withOwnCooldowns } from "../src/pool/merge.ts";
import { createCredentialStore } from "../src/pool/store.ts";
import { createMemoryCoordinator } from "../src/storage/coordination/index.ts";

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;
const state = (extra: Partial<CredentialState> = {}): CredentialState => ({ ...initialState(), ...extra });

describe("mergeState: equality regardless of key order", () => {
  it("an untouched quota read back with its keys in another order does not overwrite a newer one", () => {
    const base = state({ quota: { flash: { remainingFraction: 0.5, resetTime: "2027-01-01T00:00:00Z" } } });
    const mine = state({ quota: { flash: { resetTime: "2027-01-01T00:00:00Z", remainingFraction: 0.5 } } });
    const stored = state({ quota: { flash: { remainingFraction: 0.1, resetTime: "2027-01-01T00:00:00Z" } } });
    expect(mergeState(base, mine, stored, NOW).quota).toEqual(stored.quota);
  });

  it("an untouched cooldown in another key order does not bring back one cleared elsewhere", () => {
    const base = state({ cooldowns: { flash: { until: NOW + HOUR, reason: "quota" } } });
    const mine = state({ cooldowns: { flash: { reason: "quota", until: NOW + HOUR } } });
    const merged = mergeState(base, mine, state(), NOW);
    expect(merged.cooldowns).toEqual({});
    expect(merged.status).toBe("active");
  });

  it("a real change is still applied", () => {
    const base = state({ quota: { flash: { remainingFraction: 0.5 } } });
    const mine = state({ quota: { flash: { remainingFraction: 0 } } });
    expect(mergeState(base, mine, base, NOW).quota).toEqual(mine.quota);
  });
});

describe("mergeState: cooldowns by the later until", () => {
  const cd = (until: number, reason = "quota") => ({ until, reason });

  it("a shorter cooldown written later does not cut short a longer one learnt elsewhere", () => {
    const merged = mergeState(
      state(),
      state({ cooldowns: { flash: cd(NOW + 60_000, "rate") } }),
      state({ cooldowns: { flash: cd(NOW + HOUR) } }),
      NOW,
    );
    expect(merged.cooldowns.flash).toEqual(cd(NOW + HOUR));
    expect(merged.status).toBe("rate_limited");
  });

  it("a later cooldown replaces an earlier one", () => {
    const merged = mergeState(
      state(),
      state({ cooldowns: { flash: cd(NOW + HOUR) } }),
      state({ cooldowns: { flash: cd(NOW + 60_000, "rate") } }),
      NOW,
    );
    expect(merged.cooldowns.flash).toEqual(cd(NOW + HOUR));
  });

  it("clearing keeps a cooldown another instance learnt since, and clears the one it saw", () => {
    const base = state({ cooldowns: { flash: cd(NOW + 60_000), pro: cd(NOW + 60_000) } });
    const stored = state({ cooldowns: { flash: cd(NOW + HOUR), pro: cd(NOW + 60_000) } });
    const merged = mergeState(base, state(), stored, NOW);
    expect(merged.cooldowns).toEqual({ flash: cd(NOW + HOUR) });
  });

  it("after an outage, our running cooldowns survive an older view in storage", () => {
    const stored = state({ usageCount: 3, cooldowns: { pro: cd(NOW + 60_000) } });
    const own = { flash: cd(NOW + HOUR), old: cd(NOW - 1), pro: cd(NOW + 1000) };
    const kept = withOwnCooldowns(stored, own, NOW);
    expect(kept.cooldowns).toEqual({ flash: cd(NOW + HOUR), pro: cd(NOW + 60_000) });
    expect(kept.usageCount).toBe(3);
    expect(kept.status).toBe("rate_limited");
    expect(withOwnCooldowns(kept, own, NOW)).toBe(kept);
  });
});

describe("cluster notices", () => {
  it("a write that only reorders cooldowns announces nothing", async () => {
    const storage = createStorage() as StorageLike;
    const store = createCredentialStore(storage);
    const coordinator = createMemoryCoordinator();
    const notices: unknown[] = [];
    coordinator.subscribe("pool:changes", (m) => notices.push(m));
    const credential: Credential = { id: "key-1", kind: "api_key", apiKey: "AIza-test", createdAt: NOW };
    const cooldowns = {
      flash: { until: Date.now() + HOUR, reason: "quota" },
      pro: { until: Date.now() + HOUR, reason: "quota" },
    };
    const reordered = { pro: cooldowns.pro, flash: cooldowns.flash };
    await store.put(credential);
    await store.putState(credential.id, state({ status: "rate_limited", cooldowns: reordered }));
    const seen = state({ status: "rate_limited", cooldowns });
    const entry: Entry = {
      credential,
      state: { ...seen, usageCount: 1 },
      pending: 0,
      stored: { credential, state: seen },
    };
    const sync = createClusterSync({
      coordinator,
      store,
      entries: new Map([[credential.id, entry]]),
      instanceId: "me",
      warn: () => {},
      busy: () => false,
      adopt: (e, next) => void (e.state = next),
      dropped: () => {},
      persist: () => {},
    });
    await sync.write(entry, { record: false, state: true });
    await new Promise((r) => setImmediate(r)); // notices are delivered asynchronously
    expect((await store.getState(credential.id))?.usageCount).toBe(1);
    expect(notices).toEqual([]);
    // A real change is still announced.
    entry.state = { ...entry.state, cooldowns: {} };
    await sync.write(entry, { record: false, state: true });
    await new Promise((r) => setImmediate(r));
    expect(notices).toEqual([{ id: credential.id, kind: "state", from: "me" }]);
    await coordinator.dispose();
  });
});
