// Redis dies in the middle of traffic and comes back on the same port: every request that could be
// served is served (from the pool's memory, each in bounded time), /health says "degraded", the
// outage is logged once per instance, and what was written meanwhile (a new credential, a disable,
// usage counts) lands once redis is back and reaches the other instance.
import { createStorage } from "unstorage";
import redisDriver from "unstorage/drivers/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy, type Logger, type StorageLike } from "../src/index.ts";
import { createCredentialStore } from "../src/pool/store.ts";
import { checkRedis, redisStorage, startRedis, type RedisServer } from "./_redis.ts";
import { proxyOptionsFor, waitFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { nativeRequest } from "./pool-setup.ts";

const FLASH = "gemini-2.5-flash";
const enabled = checkRedis("redis outage");

function capture(lines: string[]): Logger {
  const log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  return { warn: log, error: log, info: () => {}, debug: () => {} };
}

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!enabled)("redis outage mid-run", () => {
  let redis: RedisServer;
  let fake: FakeGoogle;
  const storages: StorageLike[] = [];
  let a: GeminiProxy;
  let b: GeminiProxy;
  const logsA: string[] = [];
  const logsB: string[] = [];

  beforeAll(async () => {
    redis = await startRedis({ persistent: true });
    fake = await createFakeGoogle();
    for (const email of ["up@example.com", "down@example.com"]) fake.addAccount({ email });
    storages.push(redisStorage(redis));
    // B keeps ioredis's defaults (20 retries, ~10 s per call while down): the proxy must bound it anyway.
    storages.push(createStorage({ driver: redisDriver({ url: redis.url, base: "gcp" }) }) as unknown as StorageLike);
    const credentials = ["up@example.com", "down@example.com"].map((email, i) => ({
      ...fake.simpleCredential(email),
      priority: 2 - i,
    }));
    a = createGeminiProxy(
      proxyOptionsFor(fake, {
        storage: storages[0],
        credentials,
        logger: capture(logsA),
        pool: { healthCheck: { enabled: false } },
      }),
    );
    await a.ready();
    await until(async () => (await createCredentialStore(storages[0]!).list()).length === 2, 3000);
    b = createGeminiProxy(
      proxyOptionsFor(fake, {
        storage: storages[1],
        logger: capture(logsB),
        pool: { healthCheck: { enabled: false } },
      }),
    );
    await b.ready();
    await waitFor(() => b.pool.list().length === 2);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const s of storages) await s.dispose?.();
    await fake?.close();
    await redis?.close();
  });

  it("serves every request through the outage, reports it, and lands the queued writes when redis is back", async () => {
    await Promise.all([a.usage.flush(), b.usage.flush()]);
    await a.usage.reset();
    const health = async (p: GeminiProxy) =>
      (await (await p.fetch(new Request("http://proxy.test/health"))).json()) as {
        status: string;
        storage?: { degraded: boolean; queued_writes: number };
      };
    expect((await health(a)).storage).toMatchObject({ degraded: false });

    const results: { status: number; ms: number }[] = [];
    const send = async (i: number) => {
      const started = Date.now();
      const res = await nativeRequest(i % 2 ? b : a, FLASH);
      await res.text();
      results.push({ status: res.status, ms: Date.now() - started });
    };
    const inflight: Promise<void>[] = [];
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    for (let i = 0; i < 20; i++) {
      inflight.push(send(i));
      await pause(15);
    }

    await redis.stop("SIGKILL");
    for (let i = 20; i < 40; i++) {
      inflight.push(send(i));
      await pause(40);
    }
    // While down: health says so; a new credential is added on A and an account disabled on B.
    const during = await health(a);
    expect(during.status).toBe("degraded");
    expect(during.storage?.degraded).toBe(true);
    // The admin overview names the cause beside its "degraded".
    const local = Object.defineProperty(new Request("http://localhost/admin/summary"), "ip", { value: "127.0.0.1" });
    expect(await (await a.fetch(local)).json()).toMatchObject({ status: "degraded", storage: { degraded: true } });
    const apiKey = fake.addApiKey();
    const added = await a.pool.add({ apiKey, label: "added during the outage" });
    const downId = b.pool.list().find((v) => v.email === "down@example.com")!.id;
    await b.pool.disable(downId);
    for (let i = 40; i < 60; i++) {
      inflight.push(send(i));
      await pause(40);
    }
    expect((await health(b)).storage?.queued_writes).toBeGreaterThan(0);

    await redis.start();
    for (let i = 60; i < 80; i++) {
      inflight.push(send(i));
      await pause(15);
    }
    await Promise.all(inflight);

    // Nothing lost, nothing hung.
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results).toHaveLength(80);
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(3000);

    // Back: the queued writes landed and the other instance caught up.
    // ioredis reconnects with backoff: on a loaded CI box that alone can take several seconds.
    await until(async () => !(await health(a)).storage!.degraded && !(await health(b)).storage!.degraded, 20_000);
    const readerStorage = redisStorage(redis);
    storages.push(readerStorage);
    const reader = createCredentialStore(readerStorage);
    await until(
      async () => (await reader.get(added.id)) !== null && (await reader.getState(downId))?.status === "disabled",
      5000,
    );
    await waitFor(() => b.pool.get(added.id) !== undefined && a.pool.get(downId)?.state.status === "disabled", 5000);
    expect((await reader.list()).map((c) => c.id).sort()).toEqual([...a.pool.list().map((v) => v.id)].sort());

    // Usage: every served request counted once, across both instances.
    await Promise.all([a.usage.flush(), b.usage.flush()]);
    const rows = await a.usage.rows("day");
    expect(rows.reduce((sum, r) => sum + (r.fields.requests ?? 0), 0)).toBe(80);

    // Logged once per instance, not per request.
    for (const logs of [logsA, logsB]) {
      expect(logs.filter((l) => l.includes("unreachable"))).toHaveLength(1);
      expect(logs.length).toBeLessThan(5);
    }
  }, 60_000);
});

describe.skipIf(!enabled)("redis restarted empty (no persistence)", () => {
  it("the instances put back every credential they hold, so nothing is lost", async () => {
    const redis = await startRedis();
    const fake = await createFakeGoogle();
    fake.addAccount({ email: "kept@example.com" });
    const storages = [redisStorage(redis), redisStorage(redis)];
    const logs: string[] = [];
    const a = createGeminiProxy(
      proxyOptionsFor(fake, {
        storage: storages[0],
        credentials: [fake.simpleCredential("kept@example.com")],
        logger: capture(logs),
        pool: { healthCheck: { enabled: false } },
      }),
    );
    const b = createGeminiProxy(
      proxyOptionsFor(fake, {
        storage: storages[1],
        geminiApiKeys: [fake.addApiKey()],
        logger: capture(logs),
        pool: { healthCheck: { enabled: false } },
      }),
    );
    try {
      await Promise.all([a.ready(), b.ready()]);
      await waitFor(() => a.pool.list().length === 2 && b.pool.list().length === 2, 10_000);
      const ids = a.pool
        .list()
        .map((v) => v.id)
        .sort();
      await redis.stop("SIGKILL");
      expect((await nativeRequest(b, FLASH)).status).toBe(200);
      await redis.start(); // empty: no AOF, no RDB
      storages.push(redisStorage(redis));
      const reader = createCredentialStore(storages[2]!);
      await until(
        async () =>
          (await reader.list())
            .map((c) => c.id)
            .sort()
            .join() === ids.join(),
        8000,
      );
      expect((await nativeRequest(a, FLASH)).status).toBe(200);
      expect(
        b.pool
          .list()
          .map((v) => v.id)
          .sort(),
      ).toEqual(ids);
    } finally {
      await a.close();
      await b.close();
      for (const s of storages) await s.dispose?.();
      await fake.close();
      await redis.close();
    }
  }, 30_000);
});
