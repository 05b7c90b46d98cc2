// Three proxy instances on one real redis-server and the fake Google, behaving as one pool:
// a refresh across instances happens once, a cooldown or a disable set on one steers the others
// within a second, usage totals add up, a login begun on one finishes on another, a crashed
// refresh holder's lock expires.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy, type StorageLike } from "../src/index.ts";
import { redisMountOf } from "../src/storage/coordination/index.ts";
import { createCredentialStore } from "../src/pool/store.ts";
import { ADMIN, complete, consent, startJson } from "./_login.ts";
import { checkRedis, redisStorage, startRedis, type RedisServer } from "./_redis.ts";
import { proxyOptionsFor, waitFor, type Harness } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { nativeRequest } from "./pool-setup.ts";

const FLASH = "gemini-2.5-flash";
const enabled = checkRedis("redis cluster");

describe.skipIf(!enabled)("several instances, one pool (redis)", () => {
  let redis: RedisServer;
  let fake: FakeGoogle;
  const storages: StorageLike[] = [];
  const proxies: GeminiProxy[] = [];
  const emails = ["first@example.com", "second@example.com"];

  /** A proxy as another process would run it: its own redis connection. */
  async function instance(extra: Parameters<typeof proxyOptionsFor>[1] = {}): Promise<GeminiProxy> {
    const storage = redisStorage(redis);
    storages.push(storage);
    const proxy = createGeminiProxy(
      proxyOptionsFor(fake, { storage, admin: ADMIN, pool: { healthCheck: { enabled: false } }, ...extra }),
    );
    proxies.push(proxy);
    await proxy.ready();
    return proxy;
  }
  let a: GeminiProxy;
  let b: GeminiProxy;
  let c: GeminiProxy;
  const idOf = (email: string) => a.pool.list().find((v) => v.email === email)!.id;

  beforeAll(async () => {
    redis = await startRedis();
    fake = await createFakeGoogle();
    for (const email of emails) fake.addAccount({ email });
    // A imports the accounts (the first is preferred); B and C find them in redis.
    a = await instance({
      credentials: emails.map((email, i) => ({ ...fake.simpleCredential(email), priority: emails.length - i })),
    });
    const store = createCredentialStore(storages[0]!);
    await waitFor(() => a.pool.list().length === 2);
    for (;;) if ((await store.list()).length === 2) break;
    b = await instance();
    c = await instance();
    await waitFor(() => b.pool.list().length === 2 && c.pool.list().length === 2);
  });
  afterAll(async () => {
    for (const proxy of proxies) await proxy.close();
    for (const storage of storages) await storage.dispose?.();
    await fake?.close();
    await redis?.close();
  });

  it("100 concurrent requests over three instances on a token Google expired: exactly one refresh", async () => {
    const before = fake.count({ action: "token" });
    fake.expireAccessToken("first@example.com");
    const all = [a, b, c];
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => nativeRequest(all[i % 3]!, FLASH)));
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(fake.count({ action: "token" }) - before).toBe(1);
    // Every instance ends up with the one new token.
    const id = idOf("first@example.com");
    const tokens = new Set(
      await Promise.all(
        all.map(
          async (p) => (await createCredentialStore(storages[all.indexOf(p)]!).get(id)) as { accessToken?: string },
        ),
      ).then((r) => r.map((x) => x.accessToken)),
    );
    expect(tokens.size).toBe(1);
  });

  it("a 429 cooldown set through A steers B's next request to the other credential within a second", async () => {
    const model = "gemini-2.5-pro";
    fake.inject({
      match: { email: "first@example.com", model },
      error: "rate_limit",
      times: 1,
      errorOptions: { retryDelaySec: 120 },
    });
    const res = await nativeRequest(a, model);
    expect(res.status).toBe(200);
    const first = idOf("first@example.com");
    expect(a.pool.get(first)!.state.cooldowns[model]).toBeDefined();
    // Pub/sub, not polling: well under a second on an idle machine; the bound leaves room for a
    // loaded CI box running the whole suite in parallel.
    const started = Date.now();
    await waitFor(() => b.pool.get(first)!.state.cooldowns[model] !== undefined, 3000);
    expect(Date.now() - started).toBeLessThan(3000);
    const triedFirst = fake.count({ action: "generateContent", email: "first@example.com", model });
    const onSecond = fake.count({ action: "generateContent", email: "second@example.com", model });
    expect((await nativeRequest(b, model)).status).toBe(200);
    expect(fake.count({ action: "generateContent", email: "first@example.com", model })).toBe(triedFirst);
    expect(fake.count({ action: "generateContent", email: "second@example.com", model })).toBe(onSecond + 1);
    // Cleared through C: everyone may use it again.
    await c.pool.clearCooldown(first, model);
    await waitFor(
      () =>
        a.pool.get(first)!.state.cooldowns[model] === undefined &&
        b.pool.get(first)!.state.cooldowns[model] === undefined,
      3000,
    );
  });

  it("usage totals equal the sum of requests across instances", async () => {
    const all = [a, b, c];
    // Counts still pending in B and C (earlier tests) would land after a reset made on A.
    await Promise.all(all.map((p) => p.usage.flush()));
    await a.usage.reset();
    const counts = [7, 11, 13];
    await Promise.all(
      all.flatMap((p, i) => Array.from({ length: counts[i]! }, () => nativeRequest(p, FLASH).then((r) => r.text()))),
    );
    await Promise.all(all.map((p) => p.usage.flush()));
    for (const p of all) {
      const rows = await p.usage.rows("day");
      expect(rows.reduce((sum, r) => sum + (r.fields.requests ?? 0), 0)).toBe(31);
    }
  });

  it("a login begun on A completes on B, and A then has the account", async () => {
    fake.setConsent({ email: "login@example.com" });
    const on = (proxy: GeminiProxy) => ({ kind: "fetch", proxy, url: "http://proxy.test" }) as Harness;
    const started = await startJson(on(a), "http://proxy.test", "authcode");
    const google = await consent(started.authorizeUrl);
    const done = await complete(on(b), "http://proxy.test", { state: started.state, input: google.code });
    expect(done.body).toMatchObject({ ok: true, result: "added", credential: { email: "login@example.com" } });
    await waitFor(
      () =>
        a.pool.list().some((v) => v.email === "login@example.com") &&
        c.pool.list().some((v) => v.email === "login@example.com"),
      3000,
    );
    // The state was consumed: completing again on C is refused.
    expect((await complete(on(c), "http://proxy.test", { state: started.state, input: google.code })).body.ok).toBe(
      false,
    );
  });

  it("a credential disabled on A and one removed on B stop being used everywhere", async () => {
    const first = idOf("first@example.com");
    await a.pool.disable(first);
    await waitFor(() => [b, c].every((p) => p.pool.get(first)?.state.status === "disabled"), 3000);
    const before = fake.count({ action: "generateContent", email: "first@example.com" });
    for (const p of [b, c]) expect((await nativeRequest(p, FLASH)).status).toBe(200);
    expect(fake.count({ action: "generateContent", email: "first@example.com" })).toBe(before);
    await a.pool.enable(first);
    const login = a.pool.list().find((v) => v.email === "login@example.com")!.id;
    await b.pool.remove(login);
    await waitFor(() => a.pool.get(login) === undefined && c.pool.get(login) === undefined, 3000);
    expect(await createCredentialStore(storages[0]!).get(login)).toBeNull();
  });

  it("a refresh lock left by a crashed instance expires, and then one instance refreshes", async () => {
    const second = idOf("second@example.com");
    await a.pool.disable(idOf("first@example.com"));
    await waitFor(() => b.pool.get(idOf("first@example.com"))?.state.status === "disabled", 3000);
    // A "dead" instance took the refresh lock and will never release it.
    const { client } = redisMountOf(storages[0]!)!;
    expect(await client.set(`gcp:lock:refresh:${second}`, randomUUID(), "PX", 1500, "NX")).toBe("OK");
    const before = fake.count({ action: "token" });
    fake.expireAccessToken("second@example.com");
    const started = Date.now();
    const responses = await Promise.all(Array.from({ length: 9 }, (_, i) => nativeRequest([a, b, c][i % 3]!, FLASH)));
    expect(responses.map((r) => r.status)).toEqual(Array(9).fill(200));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.count({ action: "token" }) - before).toBe(1);
  });
});
