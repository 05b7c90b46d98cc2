// Health checks: only while idle, one cheap checker at random, failure → suspected, success heals;
// half-open recovery of cooldowns whose time has passed (next use, or a probe by the idle loop).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckerName } from "../src/index.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { stateOf, usePoolAccounts } from "./pool-setup.ts";

const PRO = "gemini-2.5-pro";
const FLASH = "gemini-2.5-flash";
const CHECK_ACTIONS = ["tokeninfo", "loadCodeAssist", "countTokens", "retrieveUserQuota"];

let fake: FakeGoogle;
beforeAll(async () => {
  fake = await createFakeGoogle();
});
afterAll(() => fake.close());

const accounts = usePoolAccounts(() => fake, "h");

const checksOf = (email: string) => CHECK_ACTIONS.reduce((sum, action) => sum + fake.count({ action, email }), 0);

describe("idle health-check loop", () => {
  it("checks only while no request is in flight", async () => {
    const { h, a } = await accounts(1, { pool: { healthCheck: { enabled: true, idleMs: 0, intervalMs: 20 } } });
    await fake.waitFor(() => checksOf(a) > 0); // idle: the loop is checking
    fake.inject({
      match: { email: a, action: "streamGenerateContent" },
      stream: { text: "y".repeat(120), deltaChars: 10, chunkDelayMs: 40 },
    });
    const res = await h.generate(FLASH, { stream: true });
    const reader = res.body!.getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 60)); // a check that started before the request may still land
    const during = checksOf(a);
    let chunks = 1;
    while (!(await reader.read()).done) chunks++;
    expect(chunks).toBeGreaterThan(5); // the stream ran for a while (~500 ms at a 20 ms check interval)
    expect(checksOf(a)).toBe(during);
    await fake.waitFor(() => checksOf(a) > during); // idle again: checks resume
  });

  it("probes a credential whose cooldown ran out and confirms its recovery", async () => {
    const { h, a } = await accounts(1, {
      pool: { waitForCooldownMs: 0, healthCheck: { enabled: true, idleMs: 3_600_000, intervalMs: 20 } },
    });
    fake.inject({ match: { email: a, model: PRO }, error: "rate_limit", errorOptions: { retryDelaySec: 0.05 } });
    expect((await h.generate(PRO)).status).toBe(429);
    expect(stateOf(h, a).cooldowns[PRO]).toBeDefined();
    await fake.waitFor(() => fake.count({ action: "retrieveUserQuota", email: a }) > 0);
    await fake.waitFor(() => stateOf(h, a).cooldowns[PRO] === undefined);
    expect(stateOf(h, a).quota?.[PRO]?.remainingFraction).toBeGreaterThan(0);
  });

  it("a probe that finds the quota still empty extends the cooldown to Google's reset time", async () => {
    const { h, a } = await accounts(1, {
      pool: { waitForCooldownMs: 0, healthCheck: { enabled: true, idleMs: 3_600_000, intervalMs: 20 } },
    });
    fake.setQuota(a, PRO, 0);
    fake.inject({ match: { email: a, model: PRO }, error: "rate_limit", errorOptions: { retryDelaySec: 0.05 } });
    await h.generate(PRO);
    await fake.waitFor(() => (stateOf(h, a).cooldowns[PRO]?.until ?? 0) > Date.now() + 3_600_000);
    expect(stateOf(h, a).cooldowns[PRO]!.reason).toMatch(/retrieveUserQuota/);
  });
});

describe("pool.check(id)", () => {
  it("failure marks suspected, success heals, with the result the admin API shows", async () => {
    const { h, a } = await accounts(1);
    const id = h.idOf(a);
    fake.inject({ match: { email: a, action: "countTokens" }, error: "internal" });
    const failed = await h.proxy.pool.check(id, { checker: "countTokens" });
    expect(failed).toMatchObject({
      id,
      checker: "countTokens",
      healthy: false,
      previousStatus: "active",
      newStatus: "suspected",
    });
    expect(failed!.reason).toMatch(/Internal error/);
    expect(stateOf(h, a)).toMatchObject({ status: "suspected", lastCheck: { checker: "countTokens", healthy: false } });
    const healed = await h.proxy.pool.check(id, { checker: "tokeninfo" });
    expect(healed).toMatchObject({ healthy: true, previousStatus: "suspected", newStatus: "active" });
    expect(await h.proxy.pool.check("nope")).toBeUndefined();
  });

  it("a suspected credential is healed by its next successful request too", async () => {
    const { h, a, b } = await accounts(2);
    fake.inject({ match: { email: a }, error: "internal", times: 3 });
    for (let i = 0; i < 3; i++) await h.generate(FLASH);
    expect(stateOf(h, a).status).toBe("suspected");
    await h.proxy.pool.disable(h.idOf(b));
    expect((await h.generate(FLASH)).status).toBe(200);
    expect(stateOf(h, a)).toMatchObject({ status: "active", failures: 0 });
  });

  it("picks one cheap checker at random among token info, loadCodeAssist, countTokens and retrieveUserQuota", async () => {
    const { h, a } = await accounts(1);
    const used = new Set<CheckerName>();
    for (let i = 0; i < 16; i++) {
      const result = await h.proxy.pool.check(h.idOf(a));
      expect(result?.healthy).toBe(true);
      used.add(result!.checker);
    }
    expect(used.size).toBeGreaterThan(1);
    for (const checker of used) expect(CHECK_ACTIONS).toContain(checker);
    expect(fake.count({ action: "generateContent", email: a })).toBe(0);
  });

  it("an API key is checked with a models list", async () => {
    const { h } = await accounts(0);
    const key = fake.addApiKey();
    const { id } = await h.proxy.pool.add({ apiKey: key });
    expect(await h.proxy.pool.check(id)).toMatchObject({ checker: "models", healthy: true, newStatus: "active" });
    expect(fake.last({ action: "listModels" })?.apiKey).toBe(key);
    const bad = await h.proxy.pool.add({ apiKey: "AIzaNotARealKey000000000000000000000" });
    const result = await h.proxy.pool.check(bad.id);
    expect(result).toMatchObject({ healthy: false, newStatus: "error" });
    expect(result!.reason).toMatch(/refused this API key/);
    expect(JSON.stringify(h.proxy.pool.get(bad.id))).not.toContain("AIzaNotARealKey");
  });

  it("an account verified after the fact is re-set-up by a check and becomes active", async () => {
    const { h } = await accounts(0);
    fake.addAccount({ email: "later@example.com", scenario: "validation-required" });
    const { id, credential } = await h.proxy.pool.add(fake.simpleCredential("later@example.com"));
    expect(credential.state.status).toBe("needs_verification");
    expect((await h.proxy.pool.check(id))!).toMatchObject({
      checker: "setup",
      healthy: false,
      newStatus: "needs_verification",
    });
    fake.markVerified("later@example.com");
    expect(await h.proxy.pool.check(id)).toMatchObject({
      checker: "setup",
      healthy: true,
      previousStatus: "needs_verification",
      newStatus: "active",
    });
    expect(h.proxy.pool.get(id)).toMatchObject({
      project: expect.any(String),
      state: { link: undefined, reason: undefined },
    });
  });
});

describe("half-open recovery", () => {
  it("the next use after a cooldown ran out is the probe: its success clears the cooldown", async () => {
    const { h, a } = await accounts(1, { pool: { waitForCooldownMs: 0 } });
    fake.inject({ match: { email: a, model: PRO }, error: "rate_limit", errorOptions: { retryDelaySec: 0.05 } });
    expect((await h.generate(PRO)).status).toBe(429);
    expect(stateOf(h, a).status).toBe("rate_limited");
    await new Promise((r) => setTimeout(r, 80));
    expect(stateOf(h, a).status).toBe("active"); // the view settles at once
    expect(stateOf(h, a).cooldowns[PRO]).toBeDefined(); // not yet confirmed
    expect((await h.generate(PRO)).status).toBe(200);
    expect(stateOf(h, a).cooldowns).toEqual({});
  });
});
