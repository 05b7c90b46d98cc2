// What a request costs in storage: counters alone (uses, last use) wait for the timer or close,
// a change other instances steer by (a cooldown) is written at once. Read back through a second
// storage over the same directory, as another process would.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStorage } from "unstorage";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createGeminiProxy, type StorageLike } from "../src/index.ts";
import { atomicFsDriver } from "../src/storage/atomic-fs.ts";
import { initialState, type Credential, type CredentialState } from "../src/pool/credential.ts";
import type { Entry } from "../src/pool/entry.ts";
import { createPoolEvents } from "../src/pool/events.ts";
import { COUNTER_FLUSH_MS, COUNTER_WRITES_PER_TICK, createStateKeeper } from "../src/pool/persistence.ts";
import type { CredentialStore } from "../src/pool/store.ts";
import { proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { nativeRequest } from "./pool-setup.ts";

const PRO = "gemini-2.5-pro";
const FLASH = "gemini-2.5-flash";
const A = "writes-a@example.com";

describe("credential state writes", () => {
  let fake: FakeGoogle;
  let dir: string;
  const storageAt = () => createStorage({ driver: atomicFsDriver({ base: dir }) }) as unknown as StorageLike;
  const stored = async (id: string) => (await storageAt().getItem<CredentialState>(`state:${id}`))!;

  beforeAll(async () => {
    fake = await createFakeGoogle();
    fake.addAccount({ email: A });
    dir = await mkdtemp(join(tmpdir(), "gcp-pool-writes-"));
  });
  afterAll(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("writes counters on close, cooldowns at once", async () => {
    const proxy = createGeminiProxy(
      proxyOptionsFor(fake, {
        storage: storageAt(),
        credentials: [fake.simpleCredential(A)],
        pool: { healthCheck: { enabled: false } },
      }),
    );
    await proxy.ready();
    const id = proxy.pool.list()[0]!.id;
    await expect.poll(async () => (await stored(id))?.status).toBe("active");
    const usesBefore = (await stored(id)).usageCount;

    for (let i = 0; i < 3; i++) expect((await nativeRequest(proxy, FLASH)).status).toBe(200);
    expect(proxy.pool.get(id)!.state.usageCount).toBe(usesBefore + 3);
    await new Promise((r) => setTimeout(r, 200));
    expect((await stored(id)).usageCount).toBe(usesBefore); // not one write per request

    fake.inject({ match: { email: A, model: PRO }, error: "quota_exhausted", errorOptions: { resetDelaySec: 3600 } });
    expect((await nativeRequest(proxy, PRO)).status).toBe(429);
    await expect
      .poll(async () => (await stored(id)).cooldowns[PRO]?.until, { timeout: 2000 })
      .toBeGreaterThan(Date.now());

    await proxy.close();
    expect((await stored(id)).usageCount).toBe(proxy.pool.get(id)!.state.usageCount);
    expect((await stored(id)).usageCount).toBeGreaterThanOrEqual(usesBefore + 3);
  });
});

describe("atomic-fs keys", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gcp-atomic-keys-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("lists and clears only the folder asked for", async () => {
    const driver = atomicFsDriver({ base: dir });
    await driver.setItem!("credentials:a", "{}", {});
    await driver.setItem!("credentials:b", "{}", {});
    await driver.setItem!("state:a", "{}", {});
    expect((await driver.getKeys("credentials:", {})).sort()).toEqual(["credentials/a", "credentials/b"]);
    expect(await driver.getKeys("state:", {})).toEqual(["state/a"]);
    expect(await driver.getKeys("nothing:", {})).toEqual([]);
    expect(await driver.getKeys("", {})).toHaveLength(3);
    await driver.clear!("state:", {});
    expect(await driver.getKeys("", {})).toHaveLength(2);
    const storage = createStorage({ driver: atomicFsDriver({ base: dir }) });
    expect(await storage.getKeys("credentials")).toEqual(expect.arrayContaining(["credentials:a", "credentials:b"]));
  });
});

describe("counter-only writes of many credentials", () => {
  afterEach(() => void vi.useRealTimers());

  it("are capped per tick, longest waiting first, the rest on the next ticks", async () => {
    vi.useFakeTimers();
    const written: string[] = [];
    const store = {
      put: async () => {},
      putState: async (id: string) => void written.push(id),
      remove: async () => {},
    } as unknown as CredentialStore;
    const keeper = createStateKeeper(
      store,
      createPoolEvents(() => {}),
      () => {},
    );
    const total = COUNTER_WRITES_PER_TICK + 10;
    const entries: Entry[] = Array.from({ length: total }, (_, i) => {
      const credential = { id: `c${i}`, kind: "api_key", apiKey: `key-${i}`, createdAt: i } as Credential;
      const state = initialState();
      return { credential, state, pending: 0, stored: { credential, state } };
    });
    // One request on each: uses and last use change, nothing another instance steers by.
    for (const entry of entries) keeper.commit(entry, { ...entry.state, usageCount: 1, lastUsedAt: Date.now() });
    expect(written).toEqual([]); // no write per request

    await vi.advanceTimersByTimeAsync(COUNTER_FLUSH_MS);
    expect(written).toEqual(entries.slice(0, COUNTER_WRITES_PER_TICK).map((e) => e.credential.id));
    await vi.advanceTimersByTimeAsync(COUNTER_FLUSH_MS);
    expect(written.slice(COUNTER_WRITES_PER_TICK)).toEqual(
      entries.slice(COUNTER_WRITES_PER_TICK).map((e) => e.credential.id),
    );
    await vi.advanceTimersByTimeAsync(COUNTER_FLUSH_MS);
    expect(written).toHaveLength(total); // nothing written twice
  });
});
