// Managed client keys over two instances on one real redis: a key created on one works on the
// other, rpm and token budgets count across both, and a disable or a revocation on one is honoured
// by the other within a few seconds.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy, type StorageLike } from "../src/index.ts";
import { checkRedis, redisStorage, startRedis, type RedisServer } from "./_redis.ts";
import { proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { awayFromMinuteEdge, call } from "./_keys.ts";

const enabled = checkRedis("redis client keys");

describe.skipIf(!enabled)("client keys over two instances (redis)", () => {
  let redis: RedisServer;
  let fake: FakeGoogle;
  const storages: StorageLike[] = [];
  let a: GeminiProxy;
  let b: GeminiProxy;
  const on = (p: GeminiProxy) => (path: string, init?: RequestInit) =>
    p.fetch(new Request(`http://proxy.test${path}`, init));

  async function instance(): Promise<GeminiProxy> {
    const storage = redisStorage(redis);
    storages.push(storage);
    const proxy = createGeminiProxy(
      proxyOptionsFor(fake, {
        storage,
        geminiApiKeys: [fake.addApiKey("AIza-redis-keys")],
        clientKeys: { syncMs: 50, refreshMs: 1000 },
        pool: { healthCheck: { enabled: false } },
      }),
    );
    await proxy.ready();
    return proxy;
  }

  beforeAll(async () => {
    redis = await startRedis();
    fake = await createFakeGoogle();
    a = await instance();
    b = await instance();
  });
  afterAll(async () => {
    for (const proxy of [a, b]) await proxy?.close();
    for (const storage of storages) await storage.dispose?.();
    await fake?.close();
    await redis?.close();
  });

  /** Polls a request on `p` until it answers `status` (the other instance's change has arrived). */
  async function eventually(p: GeminiProxy, key: string, status: number, ms = 3000): Promise<number> {
    const start = Date.now();
    let last = 0;
    while (Date.now() - start < ms) {
      last = (await call(on(p), "chat", key)).status;
      if (last === status) return Date.now() - start;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`expected ${status}, still ${last} after ${ms} ms`);
  }

  it("a key created on A works on B at once, and its model list holds there", async () => {
    const { key } = await a.keys.create({ name: "shared", models: ["gemini-2.5-flash*"] });
    await eventually(b, key, 200, 1000);
    expect((await call(on(b), "chat", key, "gemini-2.5-pro")).status).toBe(403);
    expect((await b.keys.list()).map((k) => k.name)).toContain("shared");
  });

  it("rpm counts across instances", async () => {
    await awayFromMinuteEdge();
    const { key } = await a.keys.create({ name: "rpm-shared", rpm: 3 });
    await eventually(b, key, 200, 1000); // 1 on B
    expect((await call(on(a), "chat", key)).status).toBe(200); // 2 on A
    expect((await call(on(b), "chat", key)).status).toBe(200); // 3 on B
    await new Promise((r) => setTimeout(r, 200)); // a few syncs
    const res = await call(on(a), "chat", key);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBeTruthy();
    const view = await a.keys.list().then((all) => all.find((k) => k.name === "rpm-shared")!);
    expect(view.usage.today.requests).toBe(3);
  });

  it("a daily budget spent on A is spent on B", async () => {
    const { key } = await b.keys.create({ name: "budget-shared", daily_tokens: 1 });
    await eventually(a, key, 200, 1000);
    await new Promise((r) => setTimeout(r, 200));
    const res = await call(on(b), "gemini", key);
    expect(res.status).toBe(429);
    expect(res.text).toContain("budget");
  });

  it("a disable or a revocation on A is honoured by B within seconds", async () => {
    const { key, client_key } = await a.keys.create({ name: "revoke-me" });
    await eventually(b, key, 200, 1000);
    await a.keys.update(client_key.id, { disabled: true });
    expect(await eventually(b, key, 401)).toBeLessThan(3000);
    await a.keys.update(client_key.id, { disabled: false });
    await eventually(b, key, 200);
    expect(await a.keys.revoke(client_key.id)).toBe(true);
    expect(await eventually(b, key, 401)).toBeLessThan(3000);
    expect(await b.keys.get(client_key.id)).toBeUndefined();
  });
});
