// The storage contract every backend the proxy supports must pass (memory, fs, redis), in the manner
// of unstorage's driver tests. Each test opens two "instances" on the backend (two connections on
// redis, the same storage object in one process) and checks what one writes the other sees, and
// that concurrent updates lose nothing.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { UpstreamError } from "../src/gemini/errors.ts";
import { createPendingLogins } from "../src/login/pending.ts";
import type { AccountServices } from "../src/pool/accounts.ts";
import type { ApiKeyCredential, CredentialState, OAuthCredential } from "../src/pool/credential.ts";
import { CHANGES_CHANNEL } from "../src/pool/cluster.ts";
import { createCredentialPool, type CredentialPool } from "../src/pool/pool.ts";
import { DEFAULT_POOL_SETTINGS } from "../src/pool/settings.ts";
import { createCoordinator, type Coordinator } from "../src/storage/coordination/index.ts";
import { createCredentialStore } from "../src/pool/store.ts";
import { createSignatureStore } from "../src/surfaces/_signature-store.ts";
import type { StorageLike } from "../src/storage/types.ts";
import { defaultUsageStore } from "../src/usage/redis-store.ts";

export interface ContractBackend {
  /** Opens the storage the way one proxy instance would. */
  open(): StorageLike;
  /** Empties it between tests. */
  clear(storage: StorageLike): Promise<void>;
  close?(): Promise<void>;
}

interface Instance {
  storage: StorageLike;
  coordinator: Coordinator;
}

const quiet = { warn() {}, error() {}, info() {}, debug() {} };
const oauth = (id: string, extra: Partial<OAuthCredential> = {}): OAuthCredential => ({
  id,
  kind: "oauth",
  email: `${id}@example.com`,
  refreshToken: `r-${id}`,
  accessToken: `a-${id}`,
  expiresAt: Date.now() + 3_600_000,
  createdAt: Date.now(),
  ...extra,
});
const state = (extra: Partial<CredentialState> = {}): CredentialState => ({
  status: "active",
  cooldowns: {},
  usageCount: 0,
  failures: 0,
  ...extra,
});
const until = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually(check: () => boolean | Promise<boolean>, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await until(10);
  }
}

export function storageContract(name: string, backend: ContractBackend, enabled = true): void {
  describe.skipIf(!enabled)(`storage contract: ${name}`, () => {
    const opened: Instance[] = [];
    const open = (): Instance => {
      const storage = backend.open();
      const instance = { storage, coordinator: createCoordinator(storage) };
      opened.push(instance);
      return instance;
    };
    let a: Instance;
    let b: Instance;
    beforeEach(async () => {
      a ??= open();
      b ??= open();
      await backend.clear(a.storage);
    });
    afterAll(async () => {
      for (const i of opened) await i.coordinator.dispose();
      for (const i of opened) await i.storage.dispose?.();
      await backend.close?.();
    });

    it("credential records: written by one instance, listed, read and removed by another (plain and sealed)", async () => {
      for (const encryptionKey of [undefined, "contract-passphrase"]) {
        await backend.clear(a.storage);
        const writer = createCredentialStore(a.storage, { encryptionKey });
        const reader = createCredentialStore(b.storage, { encryptionKey });
        const key: ApiKeyCredential = {
          id: "key-abc.def",
          kind: "api_key",
          apiKey: "AIza-contract-1234",
          createdAt: 2,
        };
        await writer.put(oauth("oauth-alice@x.y", { createdAt: 1 }));
        await writer.put(key);
        expect((await reader.list()).map((c) => c.id)).toEqual(["oauth-alice@x.y", "key-abc.def"]);
        expect(await reader.get("key-abc.def")).toEqual(key);
        expect(await reader.get("oauth-alice@x.y")).toMatchObject({
          refreshToken: "r-oauth-alice@x.y",
          accessToken: "a-oauth-alice@x.y",
        });
        if (encryptionKey)
          expect(JSON.stringify(await a.storage.getItem("credentials:key-abc.def"))).not.toContain(
            "AIza-contract-1234",
          );
        await reader.remove("key-abc.def");
        expect(await writer.get("key-abc.def")).toBeNull();
        expect((await writer.list()).map((c) => c.id)).toEqual(["oauth-alice@x.y"]);
      }
    });

    it("state and per-model cooldowns round-trip between instances", async () => {
      const cooldowns = { "gemini-2.5-pro": { until: Date.now() + 60_000, reason: "rate limited: slow down" } };
      await createCredentialStore(a.storage).putState(
        "oauth-1",
        state({
          status: "rate_limited",
          cooldowns,
          usageCount: 7,
          quota: { "gemini-2.5-pro": { remainingFraction: 0.25 } },
        }),
      );
      expect(await createCredentialStore(b.storage).getState("oauth-1")).toEqual(
        state({
          status: "rate_limited",
          cooldowns,
          usageCount: 7,
          quota: { "gemini-2.5-pro": { remainingFraction: 0.25 } },
        }),
      );
    });

    it("usage counters: 200 concurrent increments from two instances add up exactly", async () => {
      const stores = [defaultUsageStore(a.storage, a.coordinator), defaultUsageStore(b.storage, b.coordinator)];
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          stores[i % 2]!.increment("hour:2026-01-01T10", "k|c|m", { requests: 1, inputTokens: 3 }),
        ),
      );
      await stores[0]!.incrementMany!("day:2026-01-01", { "k|c|m": { requests: 2 }, "k2|c|m": { errors: 1 } });
      expect(await stores[1]!.read("hour:2026-01-01T10")).toEqual({ "k|c|m": { requests: 200, inputTokens: 600 } });
      expect((await stores[1]!.buckets()).sort()).toEqual(["day:2026-01-01", "hour:2026-01-01T10"]);
      await stores[1]!.remove("hour:2026-01-01T10");
      expect(await stores[0]!.buckets()).toEqual(["day:2026-01-01"]);
      expect(await stores[0]!.read("day:2026-01-01")).toEqual({ "k|c|m": { requests: 2 }, "k2|c|m": { errors: 1 } });
    });

    it("pending logins: begun on one instance, peeked and taken on another, exactly once", async () => {
      const { state: loginState } = await createPendingLogins(a.storage).create({
        mode: "authcode",
        redirectUri: "https://codeassist.google.com/authcode",
        verifier: "v".repeat(43),
        owner: "admin",
      });
      const other = createPendingLogins(b.storage);
      expect(await other.peek(loginState)).toMatchObject({ mode: "authcode", owner: "admin" });
      const takes = await Promise.all([other.take(loginState), createPendingLogins(a.storage).take(loginState)]);
      expect(takes.filter(Boolean).length).toBeGreaterThanOrEqual(1);
      expect(await other.take(loginState)).toBeUndefined();
    });

    it("thought signatures: saved by one instance, loaded by another; expired ones are gone", async () => {
      await createSignatureStore(a.storage).save([
        ["call_1", "sig-one"],
        ["call/2:..", "sig-two"],
      ]);
      const loaded = await createSignatureStore(b.storage).load(["call_1", "call/2:..", "unknown"]);
      expect(Object.fromEntries(loaded)).toEqual({ call_1: "sig-one", "call/2:..": "sig-two" });
      const later = createSignatureStore(b.storage, { now: () => Date.now() + 2 * 86_400_000 });
      expect((await later.load(["call_1"])).size).toBe(0);
    });

    it("locks: exclusive across instances, released only by their owner, expire when the holder dies", async () => {
      const held = await a.coordinator.lock("contract", 300);
      expect(held).toBeDefined();
      expect(await b.coordinator.lock("contract", 300)).toBeUndefined();
      expect(await b.coordinator.unlock({ name: "contract", token: "not-the-owner" })).toBe(false);
      expect(await b.coordinator.lock("contract", 300)).toBeUndefined();
      // The holder "dies" (never unlocks): the lock frees itself and a waiter wakes.
      const started = Date.now();
      await b.coordinator.waitUnlocked("contract", 2000);
      expect(Date.now() - started).toBeLessThan(1500);
      const next = await b.coordinator.lock("contract", 5000);
      expect(next).toBeDefined();
      expect(await a.coordinator.unlock(held!)).toBe(false); // expired: no longer a's
      const woke = b.coordinator.waitUnlocked("contract", 3000).then(() => Date.now());
      const releasedAt = Date.now();
      await b.coordinator.unlock(next!);
      expect((await woke) - releasedAt).toBeLessThan(500);
    });

    it("atomic counters and compare-and-set across instances", async () => {
      await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).coordinator.incr("contract:counter")));
      expect(await a.coordinator.incr("contract:counter", 0)).toBe(100);
      expect(await a.coordinator.cas("contract:cas", null, "v1")).toBe(true);
      expect(await b.coordinator.cas("contract:cas", null, "v2")).toBe(false);
      expect(await b.coordinator.cas("contract:cas", "v1", "v2")).toBe(true);
      expect(await a.coordinator.get("contract:cas")).toBe("v2");
    });

    it("concurrent read-modify-write of one record under the lock: 60 updates from two instances, none lost", async () => {
      const key = "contract:record";
      await a.storage.setItem(key, { seen: [] as number[] });
      await Promise.all(
        Array.from({ length: 60 }, (_, i) => {
          const me = i % 2 ? a : b;
          return me.coordinator.withLock("record", 5000, async () => {
            const current = (await me.storage.getItem<{ seen: number[] }>(key))!;
            await until(Math.random() * 3);
            await me.storage.setItem(key, { seen: [...current.seen, i] });
          });
        }),
      );
      expect((await b.storage.getItem<{ seen: number[] }>(key))!.seen.sort((x, y) => x - y)).toEqual(
        Array.from({ length: 60 }, (_, i) => i),
      );
    });

    it("notices published by one instance reach the others", async () => {
      const got: unknown[] = [];
      const off = b.coordinator.subscribe("contract:channel", (m) => got.push(m));
      await until(100); // a redis SUBSCRIBE is acknowledged asynchronously
      await a.coordinator.publish("contract:channel", { id: "x", kind: "state" });
      await eventually(() => got.length === 1);
      expect(got).toEqual([{ id: "x", kind: "state" }]);
      off();
    });

    describe("two pools on this storage", () => {
      const pools: CredentialPool[] = [];
      // API keys need no Google services here: nothing below makes the pool check one with Google.
      const poolOn = (i: Instance) => {
        const pool = createCredentialPool(
          createCredentialStore(i.storage),
          {} as AccountServices,
          quiet,
          DEFAULT_POOL_SETTINGS,
          { coordinator: i.coordinator },
        );
        pools.push(pool);
        return pool;
      };
      afterAll(async () => {
        for (const pool of pools) await pool.stop();
      });

      it("concurrent changes of one credential keep each other: a cooldown from A, a disable from B, requests counted by both", async () => {
        const poolA = poolOn(a);
        const { id } = await poolA.add({ apiKey: "AIza-contract-shared-key" });
        await poolA.stop();
        const [p1, p2] = [poolOn(a), poolOn(b)];
        await Promise.all([p1.ready(), p2.ready()]);
        const leases = await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 ? p1 : p2).lease("gemini-2.5-flash")),
        );
        const rate = new UpstreamError({
          kind: "rate_limited",
          status: 429,
          message: "slow down",
          retryAfterMs: 60_000,
        });
        const cooled = await p1.lease("gemini-2.5-pro");
        // All at once: 20 successes split over both pools, a cooldown on A, a disable on B.
        leases.forEach((lease, i) => (i % 2 ? p1 : p2).report(lease, { ok: true }));
        p1.report(cooled, { error: rate });
        await p2.disable(id);
        await Promise.all([p1.stop(), p2.stop()]);
        const saved = (await createCredentialStore(a.storage).getState(id))!;
        expect(saved.status).toBe("disabled");
        expect(saved.cooldowns["gemini-2.5-pro"]?.reason).toContain("slow down");
        expect(saved.usageCount).toBe(20);
      });

      it("a success that only moves counters is written but not announced; a status change is", async () => {
        const [p1, p2] = [poolOn(a), poolOn(b)];
        await Promise.all([p1.ready(), p2.ready()]);
        const { id } = await p1.add({ apiKey: "AIza-contract-quiet-key" });
        await eventually(() => p2.get(id) !== undefined, 3000);
        const notices: unknown[] = [];
        const stop = b.coordinator.subscribe(CHANGES_CHANNEL, (m) => notices.push(m));
        await b.coordinator.subscribed(CHANGES_CHANNEL);
        for (let i = 0; i < 3; i++) p1.report(await p1.lease("gemini-2.5-flash", undefined, ["api_key"]), { ok: true });
        await p1.stop();
        expect((await createCredentialStore(a.storage).getState(id))!.usageCount).toBe(3);
        await new Promise((r) => setTimeout(r, 200));
        expect(notices).toEqual([]);
        await p2.disable(id);
        await eventually(() => notices.length > 0, 3000);
        stop();
        await p2.stop();
      });

      it("a change made through one pool reaches the other by notice (no polling); a removal stops it being used there", async () => {
        const [p1, p2] = [poolOn(a), poolOn(b)];
        await Promise.all([p1.ready(), p2.ready()]);
        const { id } = await p1.add({ apiKey: "AIza-contract-second-key" });
        await eventually(() => p2.get(id) !== undefined, 3000);
        await p1.disable(id);
        await eventually(() => p2.get(id)?.state.status === "disabled", 3000);
        // (enable asks Google, which this pool has no services for: a record change instead.)
        await p1.setLabel(id, "renamed");
        await eventually(() => p2.get(id)?.label === "renamed", 3000);
        await p2.remove(id);
        await eventually(() => p1.get(id) === undefined, 3000);
        await expect(p1.lease("gemini-2.5-flash", undefined, ["api_key"])).rejects.toThrow();
      });
    });
  });
}
