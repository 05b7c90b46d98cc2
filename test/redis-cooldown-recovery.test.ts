// Two instances lose redis; while it is out of reach, A learns that an account's flash quota is
// exhausted and B, which never saw that, serves another model on the same account. Redis keeps its
// data. A reaches redis again first, B afterwards, so B's queued (older) state lands last. Both
// must then steer clear of the exhausted model: cooldowns merge by the later `until`.
import net from "node:net";
import { createStorage } from "unstorage";
import redisDriver from "unstorage/drivers/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy, type StorageLike } from "../src/index.ts";
import { createCredentialStore } from "../src/pool/store.ts";
import { checkRedis, redisStorage, startRedis, type RedisServer } from "./_redis.ts";
import { proxyOptionsFor, waitFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { nativeRequest } from "./pool-setup.ts";

const FLASH = "gemini-2.5-flash";
const PRO = "gemini-2.5-pro";
const EMAIL = "shared@example.com";
const enabled = checkRedis("redis cooldown recovery");

/** A loopback TCP relay to redis that the test can cut (one instance's network fails) and restore. */
async function relay(target: number) {
  const sockets = new Set<net.Socket>();
  let open = true;
  const server = net.createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = net.connect(target, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `redis://127.0.0.1:${port}`,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      open = true;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!enabled)("a cooldown learnt during a redis outage", () => {
  let redis: RedisServer;
  let fake: FakeGoogle;
  const relays: Awaited<ReturnType<typeof relay>>[] = [];
  const storages: StorageLike[] = [];
  let a: GeminiProxy;
  let b: GeminiProxy;

  const through = async () => {
    const r = await relay(redis.port);
    relays.push(r);
    const storage = createStorage({
      driver: redisDriver({
        url: r.url,
        base: "gcp",
        maxRetriesPerRequest: 1,
        connectTimeout: 1000,
        retryStrategy: () => 100,
      }),
    }) as StorageLike;
    storages.push(storage);
    return { relay: r, storage };
  };
  const degraded = async (p: GeminiProxy) =>
    ((await (await p.fetch(new Request("http://proxy.test/health"))).json()) as { storage?: { degraded: boolean } })
      .storage?.degraded;

  beforeAll(async () => {
    redis = await startRedis();
    fake = await createFakeGoogle();
    fake.addAccount({ email: EMAIL });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const s of storages) await s.dispose?.();
    for (const r of relays) await r.close();
    await fake?.close();
    await redis?.close();
  });

  it("survives B's older state landing last, on both instances", async () => {
    const viaA = await through();
    const viaB = await through();
    const options = { logger: false as const, pool: { healthCheck: { enabled: false } } };
    a = createGeminiProxy(
      proxyOptionsFor(fake, { ...options, storage: viaA.storage, credentials: [fake.simpleCredential(EMAIL)] }),
    );
    await a.ready();
    const reader = createCredentialStore(redisStorage(redis));
    await until(async () => (await reader.list()).length === 1, 5000);
    b = createGeminiProxy(proxyOptionsFor(fake, { ...options, storage: viaB.storage }));
    await b.ready();
    await waitFor(() => b.pool.list().length === 1, 5000);
    const id = a.pool.list()[0]!.id;

    viaA.relay.cut();
    viaB.relay.cut();
    await until(async () => (await degraded(a)) === true && (await degraded(b)) === true, 10_000);

    // A learns the exhausted quota; B serves another model and queues its own view of the state.
    fake.inject({ match: { email: EMAIL, model: FLASH }, error: "quota_exhausted", times: 1 });
    expect((await nativeRequest(a, FLASH)).status).toBe(429);
    expect(a.pool.get(id)!.state.cooldowns[FLASH]).toBeDefined();
    expect((await nativeRequest(b, PRO)).status).toBe(200);
    expect(b.pool.get(id)!.state.cooldowns[FLASH]).toBeUndefined();

    // A is back first and writes its cooldown; then B's queued, older state lands over it.
    viaA.relay.restore();
    await until(async () => (await degraded(a)) === false, 20_000);
    await until(async () => (await reader.getState(id))?.cooldowns[FLASH] !== undefined, 5000);
    viaB.relay.restore();
    await until(async () => (await degraded(b)) === false, 20_000);

    // Both honour A's cooldown, and so does what redis holds.
    await until(async () => (await reader.getState(id))?.cooldowns[FLASH] !== undefined, 5000);
    await waitFor(() => b.pool.get(id)?.state.cooldowns[FLASH] !== undefined, 5000);
    expect(a.pool.get(id)!.state.cooldowns[FLASH]).toBeDefined();
    // Counters alone are written on a timer (every 5 s), so B's count lands a little later.
    await until(async () => ((await reader.getState(id))?.usageCount ?? 0) >= 1, 10_000);

    // B no longer sends flash requests to the exhausted account.
    const sent = () => fake.requests.filter((r) => r.email === EMAIL && r.model === FLASH).length;
    const before = sent();
    expect((await nativeRequest(b, FLASH)).status).toBe(429);
    expect(sent()).toBe(before);
  }, 60_000);
});
