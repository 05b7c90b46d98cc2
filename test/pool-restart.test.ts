// State (status, per-model cooldowns, counters) survives a process restart with the fs driver: a
// second proxy on the same directory keeps cooldowns and does not hammer an exhausted account.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStorage } from "unstorage";
import fsLiteDriver from "unstorage/drivers/fs-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy, type StorageLike } from "../src/index.ts";
import { proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { nativeRequest } from "./pool-setup.ts";

const PRO = "gemini-2.5-pro";
const FLASH = "gemini-2.5-flash";
const A = "restart-a@example.com";
const B = "restart-b@example.com";

describe("restart with the fs driver", () => {
  let fake: FakeGoogle;
  let dir: string;
  const storageAt = () => createStorage({ driver: fsLiteDriver({ base: dir }) }) as unknown as StorageLike;
  const configured = () => [
    { ...fake.simpleCredential(A), priority: 2 },
    { ...fake.simpleCredential(B), priority: 1 },
  ];
  const open = async (withConfig: boolean): Promise<GeminiProxy> => {
    const proxy = createGeminiProxy(
      proxyOptionsFor(fake, {
        storage: storageAt(),
        credentials: withConfig ? configured() : [],
        pool: { healthCheck: { enabled: false } },
      }),
    );
    await proxy.ready();
    return proxy;
  };
  const byEmail = (proxy: GeminiProxy, email: string) => proxy.pool.list().find((c) => c.email === email)!;
  let before: { cooldownUntil: number; usage: number };

  beforeAll(async () => {
    fake = await createFakeGoogle();
    fake.addAccount({ email: A });
    fake.addAccount({ email: B });
    dir = await mkdtemp(join(tmpdir(), "gcp-pool-restart-"));
    const first = await open(true);
    for (let i = 0; i < 2; i++) expect((await nativeRequest(first, FLASH)).status).toBe(200);
    fake.inject({ match: { email: A, model: PRO }, error: "quota_exhausted", errorOptions: { resetDelaySec: 7200 } });
    expect((await nativeRequest(first, PRO)).status).toBe(200); // B served it
    await first.pool.disable(byEmail(first, B).id);
    const a = byEmail(first, A);
    before = { cooldownUntil: a.state.cooldowns[PRO]!.until, usage: a.state.usageCount };
    expect(before.usage).toBe(2);
    await first.close();
  });
  afterAll(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("a new process on the same directory keeps statuses, per-model cooldowns and counters", async () => {
    const proxy = await open(false);
    expect(proxy.pool.list()).toHaveLength(2);
    expect(byEmail(proxy, A).state).toMatchObject({
      status: "rate_limited",
      usageCount: 2,
      cooldowns: { [PRO]: { until: before.cooldownUntil, reason: expect.stringMatching(/quota/) } },
    });
    expect(byEmail(proxy, B).state).toMatchObject({ status: "disabled", reason: "disabled by an operator" });
    await proxy.close();
  });

  it("does not send the exhausted model to Google again, and still serves the other model", async () => {
    const proxy = await open(false);
    const calls = fake.count({ action: "generateContent", model: PRO });
    const res = await nativeRequest(proxy, PRO);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(7000);
    expect(fake.count({ action: "generateContent", model: PRO })).toBe(calls);
    expect((await nativeRequest(proxy, FLASH)).status).toBe(200);
    expect(fake.last({ action: "generateContent" })?.email).toBe(A);
    await proxy.close();
  });

  it("re-importing the same credentials from the config keeps what the pool learned", async () => {
    const proxy = await open(true);
    expect(byEmail(proxy, B).state.status).toBe("disabled");
    expect(byEmail(proxy, A).state.cooldowns[PRO]?.until).toBe(before.cooldownUntil);
    expect(byEmail(proxy, A).state.usageCount).toBeGreaterThanOrEqual(3);
    await proxy.close();
  });
});
