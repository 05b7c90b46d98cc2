// Token refresh: single-flight under load, refresh of stored expired tokens (never skipped), the
// background loop ahead of expiry, and its life cycle (starts after ready, stops on close).
import { createStorage } from "unstorage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type CredentialStateEvent, type StorageLike } from "../src/index.ts";
import { createCredentialStore } from "../src/pool/store.ts";
import { proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { createPoolHarness, nativeRequest } from "./pool-setup.ts";

const FLASH = "gemini-2.5-flash";

describe("single-flight refresh", () => {
  let fake: FakeGoogle;
  beforeAll(async () => {
    fake = await createFakeGoogle();
  });
  afterAll(() => fake.close());

  it("50 concurrent requests on a token Google expired: exactly one refresh call reaches Google", async () => {
    const h = await createPoolHarness(fake, ["burst@example.com"]);
    const before = fake.count({ action: "token" });
    fake.expireAccessToken("burst@example.com");
    const responses = await Promise.all(Array.from({ length: 50 }, () => h.generate(FLASH)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(fake.count({ action: "token" }) - before).toBe(1);
    expect(h.proxy.pool.get(h.idOf("burst@example.com"))!.state.status).toBe("active");
    await h.close();
  });

  it("50 concurrent requests on a stored token past its expiry: one refresh, and the credential is used, not skipped", async () => {
    fake.addAccount({ email: "stored@example.com" });
    const storage = createStorage() as unknown as StorageLike;
    const first = createGeminiProxy(
      proxyOptionsFor(fake, {
        storage,
        credentials: [fake.simpleCredential("stored@example.com")],
        pool: { healthCheck: { enabled: false } },
      }),
    );
    await first.ready();
    await first.close();
    // The process was down for hours: the stored access token is long expired (and marked so).
    const store = createCredentialStore(storage);
    const [record] = await store.list();
    await store.put({ ...record!, expiresAt: Date.now() - 3_600_000 } as typeof record & object);
    await store.putState(record!.id, { ...(await store.getState(record!.id))!, status: "expired" });

    const proxy = createGeminiProxy(proxyOptionsFor(fake, { storage, pool: { healthCheck: { enabled: false } } }));
    await proxy.ready();
    const before = fake.count({ action: "token" });
    const responses = await Promise.all(Array.from({ length: 50 }, () => nativeRequest(proxy, FLASH)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(fake.count({ action: "token" }) - before).toBe(1);
    expect(fake.find({ action: "generateContent", email: "stored@example.com" }).every((r) => r.status === 200)).toBe(
      true,
    );
    expect(proxy.pool.get(record!.id)!.state).toMatchObject({ status: "active", usageCount: 50 });
    await proxy.close();
  });

  it("a credential whose stored token is past its expiry keeps its round-robin turn: refreshed, then used", async () => {
    fake.addAccount({ email: "turn-a@example.com" });
    fake.addAccount({ email: "turn-b@example.com" });
    const storage = createStorage() as unknown as StorageLike;
    const options = { storage, pool: { healthCheck: { enabled: false }, selection: "round-robin" as const } };
    const first = createGeminiProxy(
      proxyOptionsFor(fake, {
        ...options,
        credentials: ["turn-a@example.com", "turn-b@example.com"].map((e) => fake.simpleCredential(e)),
      }),
    );
    await first.ready();
    await first.close();
    const store = createCredentialStore(storage);
    const records = await store.list();
    const stale = records.find((r) => (r as { email?: string }).email === "turn-a@example.com")!;
    await store.put({ ...stale, expiresAt: Date.now() - 3_600_000 } as typeof stale);

    const proxy = createGeminiProxy(proxyOptionsFor(fake, options));
    await proxy.ready();
    const served = (email: string) => fake.find({ action: "generateContent", email }).length;
    const before = { a: served("turn-a@example.com"), b: served("turn-b@example.com") };
    for (let i = 0; i < 4; i++) expect((await nativeRequest(proxy, FLASH)).status).toBe(200);
    // One after the other: each takes its turn, the one that needed a refresh included.
    expect(served("turn-a@example.com") - before.a).toBe(2);
    expect(served("turn-b@example.com") - before.b).toBe(2);
    await proxy.close();
  });
});

describe("background refresh loop", () => {
  let fake: FakeGoogle;
  beforeAll(async () => {
    // Short-lived tokens so "shortly before expiry" is now.
    fake = await createFakeGoogle({ accessTokenTtlSec: 2 });
    fake.addAccount({ email: "loop@example.com" });
    fake.addAccount({ email: "dead@example.com" });
  });
  afterAll(() => fake.close());

  const options = () =>
    proxyOptionsFor(fake, {
      credentials: [fake.simpleCredential("loop@example.com")],
      pool: { refreshAheadMs: 1500, healthCheck: { enabled: false } },
    });

  it("starts only after ready(), never at construction", async () => {
    const before = fake.count({ action: "token" });
    const proxy = createGeminiProxy(options());
    await new Promise((r) => setTimeout(r, 700));
    expect(fake.count({ action: "token" })).toBe(before);
    await proxy.close();
  });

  it("refreshes tokens ahead of expiry without any request, and stops on close()", async () => {
    const proxy = createGeminiProxy(options());
    const changes: CredentialStateEvent[] = [];
    proxy.pool.on("credential:state", (e) => changes.push(e));
    await proxy.ready();
    const id = proxy.pool.list()[0]!.id;
    const refreshedAt = proxy.pool.get(id)!.state.lastRefreshedAt ?? 0;
    const before = fake.count({ action: "token" });
    await fake.waitFor(() => fake.count({ action: "token" }) > before, 4000);
    await fake.waitFor(() => (proxy.pool.get(id)!.state.lastRefreshedAt ?? 0) > refreshedAt);
    expect(fake.count({ action: "generateContent" })).toBe(0);
    expect(changes.some((e) => e.id === id && e.status === "refreshing")).toBe(true);
    expect(proxy.pool.get(id)!.state.status).toBe("active");
    expect(proxy.pool.get(id)!.expiresAt! > Date.now()).toBe(true);
    await proxy.close();
    const after = fake.count({ action: "token" });
    await new Promise((r) => setTimeout(r, 800));
    expect(fake.count({ action: "token" })).toBe(after);
  });

  it("a refresh token Google refused in the loop: `error` with the reason, announced as an event", async () => {
    const proxy = createGeminiProxy(
      proxyOptionsFor(fake, {
        credentials: [fake.simpleCredential("dead@example.com")],
        pool: { refreshAheadMs: 1500, healthCheck: { enabled: false } },
      }),
    );
    const changes: CredentialStateEvent[] = [];
    proxy.pool.on("credential:state", (e) => changes.push(e));
    await proxy.ready();
    fake.revokeRefreshToken("dead@example.com");
    const id = proxy.pool.list()[0]!.id;
    await fake.waitFor(() => proxy.pool.get(id)!.state.status === "error", 4000);
    expect(proxy.pool.get(id)!.state.reason).toMatch(/invalid_grant/);
    expect(changes.at(-1)).toMatchObject({ id, status: "error", reason: expect.stringMatching(/log in again/) });
    expect(JSON.stringify(changes)).not.toMatch(/ya29|1\/\/|refresh_token/);
    await proxy.close();
  });
});
