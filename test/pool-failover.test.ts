// Each row of the error → pool action table, and fail-over inside one request, against the fake
// Google with several accounts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { stateOf, usePoolAccounts } from "./pool-setup.ts";

const PRO = "gemini-2.5-pro";
const FLASH = "gemini-2.5-flash";

let fake: FakeGoogle;
beforeAll(async () => {
  fake = await createFakeGoogle();
});
afterAll(() => fake.close());

const accounts = usePoolAccounts(() => fake, "f");

const servedBy = (action = "generateContent") => fake.find({ action }).map((r) => `${r.email}:${r.status}`);

describe("error → pool action", () => {
  it("RATE_LIMIT_EXCEEDED with a short RetryInfo: that model cools for that delay, another credential serves now", async () => {
    const { h, a, b } = await accounts(2);
    fake.inject({ match: { email: a, model: PRO }, error: "rate_limit", errorOptions: { retryDelaySec: 0.3 } });
    const before = Date.now();
    const res = await h.generate(PRO);
    expect(res.status).toBe(200);
    expect(
      servedBy()
        .filter((s) => s.startsWith(a) || s.startsWith(b))
        .slice(-2),
    ).toEqual([`${a}:429`, `${b}:200`]);
    const state = stateOf(h, a);
    expect(state.status).toBe("rate_limited");
    const cd = state.cooldowns[PRO]!;
    expect(cd.until - before).toBeGreaterThanOrEqual(300);
    expect(cd.until - before).toBeLessThan(2000);
    expect(cd.reason).toMatch(/rate limited/);
  });

  it("QUOTA_EXHAUSTED: cools that model until Google's reset time, not a fixed 30 minutes", async () => {
    const { h, a, b } = await accounts(2);
    fake.inject({ match: { email: a, model: PRO }, error: "quota_exhausted", errorOptions: { resetDelaySec: 7200 } });
    const res = await h.generate(PRO);
    expect(res.status).toBe(200);
    expect(fake.last({ action: "generateContent" })?.email).toBe(b);
    const until = stateOf(h, a).cooldowns[PRO]!.until;
    expect(Math.abs(until - (Date.now() + 7200_000))).toBeLessThan(5000);
  });

  it("a daily QuotaFailure cools until its RetryInfo delay", async () => {
    const { h, a } = await accounts(2);
    fake.inject({ match: { email: a, model: PRO }, error: "per_day_quota", errorOptions: { retryDelaySec: 90 } });
    expect((await h.generate(PRO)).status).toBe(200);
    const until = stateOf(h, a).cooldowns[PRO]!.until;
    expect(Math.abs(until - (Date.now() + 90_000))).toBeLessThan(3000);
  });

  it("per-model cooldowns: a quota hit on gemini-2.5-pro does not stop the account serving gemini-2.5-flash", async () => {
    const { h, a } = await accounts(2);
    fake.inject({ match: { email: a, model: PRO }, error: "quota_exhausted" });
    await h.generate(PRO);
    expect(stateOf(h, a).cooldowns[PRO]).toBeDefined();
    const res = await h.generate(FLASH);
    expect(res.status).toBe(200);
    expect(fake.last({ action: "generateContent" })).toMatchObject({ email: a, model: FLASH, status: 200 });
    expect(stateOf(h, a).cooldowns[FLASH]).toBeUndefined();
  });

  for (const preset of ["capacity", "capacity_503"] as const) {
    it(`${preset}: no cooldown on the credential; retried after the hinted delay, here on the same one`, async () => {
      const { h, a } = await accounts(1);
      fake.inject({ match: { email: a }, error: preset, errorOptions: { retryDelaySec: 0.3 } });
      const start = Date.now();
      const res = await h.generate(FLASH);
      expect(res.status).toBe(200);
      expect(Date.now() - start).toBeGreaterThanOrEqual(290);
      expect(servedBy().filter((s) => s.startsWith(a))).toEqual([
        `${a}:${preset === "capacity" ? 429 : 503}`,
        `${a}:200`,
      ]);
      expect(stateOf(h, a)).toMatchObject({ status: "active", cooldowns: {}, failures: 0 });
    });
  }

  it("capacity with a hint beyond the request's budget is answered at once, without a retry", async () => {
    const { h, a } = await accounts(1, { pool: { budgetMs: 200 } });
    fake.inject({ match: { email: a }, error: "capacity", errorOptions: { retryDelaySec: 5 } });
    const res = await h.generate(FLASH);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(fake.count({ action: "generateContent", email: a })).toBe(1);
    expect(stateOf(h, a).cooldowns).toEqual({});
  });

  it("401: the token is refreshed once and the same credential retried", async () => {
    const { h, a, b } = await accounts(2);
    const tokens = fake.count({ action: "token" });
    fake.expireAccessToken(a);
    const res = await h.generate(FLASH);
    expect(res.status).toBe(200);
    expect(fake.count({ action: "token" }) - tokens).toBe(1);
    expect(servedBy().filter((s) => s.startsWith(a) || s.startsWith(b))).toEqual([`${a}:401`, `${a}:200`]);
    expect(stateOf(h, a).status).toBe("active");
  });

  it("invalid_grant on the refresh: `error` with the reason, another credential serves", async () => {
    const { h, a, b } = await accounts(2);
    fake.revokeRefreshToken(a);
    const res = await h.generate(FLASH);
    expect(res.status).toBe(200);
    expect(fake.last({ action: "generateContent" })?.email).toBe(b);
    expect(stateOf(h, a)).toMatchObject({
      status: "error",
      reason: expect.stringMatching(/invalid_grant.*log in again/),
    });
    // Never tried again by later requests.
    const calls = fake.count({ action: "generateContent", email: a });
    await h.generate(FLASH);
    expect(fake.count({ action: "generateContent", email: a })).toBe(calls);
  });

  it("403 VALIDATION_REQUIRED: needs_verification with the verification link", async () => {
    const { h, a, b } = await accounts(2);
    fake.inject({ match: { email: a }, error: "validation_required" });
    expect((await h.generate(FLASH)).status).toBe(200);
    expect(fake.last({ action: "generateContent" })?.email).toBe(b);
    expect(stateOf(h, a)).toMatchObject({
      status: "needs_verification",
      link: expect.stringMatching(/^https:\/\/accounts\.google\.com\/signin\/continue/),
    });
  });

  it("403 SERVICE_DISABLED: ineligible with Google's text and the activation link", async () => {
    const { h, a } = await accounts(2);
    fake.inject({ match: { email: a }, error: "service_disabled" });
    expect((await h.generate(FLASH)).status).toBe(200);
    expect(stateOf(h, a)).toMatchObject({
      status: "ineligible",
      reason: expect.stringMatching(/Gemini for Google Cloud API has not been used/),
      link: expect.stringMatching(/apis\/api\/cloudaicompanion\.googleapis\.com/),
    });
  });

  it("403 SUBSCRIPTION_REQUIRED: ineligible with Google's licence text", async () => {
    const { h, a } = await accounts(2);
    fake.inject({ match: { email: a }, error: "subscription_required" });
    expect((await h.generate(FLASH)).status).toBe(200);
    expect(stateOf(h, a)).toMatchObject({
      status: "ineligible",
      reason: expect.stringMatching(/Code Assist license/),
      link: expect.stringMatching(/^https:/),
    });
  });

  for (const [preset, status] of [
    ["invalid_argument", 400],
    ["not_found", 404],
  ] as const) {
    it(`${status} caused by the request: returned to the client, no other credential, no penalty`, async () => {
      const { h, a, b } = await accounts(2);
      fake.inject({ match: { email: a }, error: preset });
      const res = await h.generate(FLASH);
      expect(res.status).toBe(status);
      expect(fake.count({ action: "generateContent", email: b })).toBe(0);
      expect(stateOf(h, a)).toMatchObject({ status: "active", failures: 0, cooldowns: {} });
    });
  }

  it("5xx: retried on another credential; suspected after repeated failures, then used after healthy ones", async () => {
    const { h, a, b } = await accounts(2);
    fake.inject({ match: { email: a }, error: "internal", times: 3 });
    for (let i = 0; i < 3; i++) expect((await h.generate(FLASH)).status).toBe(200);
    expect(fake.count({ action: "generateContent", email: b })).toBe(3);
    expect(stateOf(h, a)).toMatchObject({ status: "suspected", failures: 3 });
    // a has the higher priority, but suspected credentials come after healthy ones.
    await h.generate(FLASH);
    expect(fake.last({ action: "generateContent" })?.email).toBe(b);
  });

  it("network errors: retried on another credential", async () => {
    const { h, a, b } = await accounts(2);
    fake.inject({ match: { email: a }, handler: (_req, res) => void res.socket?.destroy() });
    expect((await h.generate(FLASH)).status).toBe(200);
    expect(fake.last({ action: "generateContent" })?.email).toBe(b);
    expect(stateOf(h, a).failures).toBe(1);
  });
});

describe("fail-over inside one request", () => {
  it("a stream fails over before its first byte: the client gets one clean stream", async () => {
    const { h, a, b } = await accounts(2);
    fake.inject({ match: { email: a, action: "streamGenerateContent" }, error: "quota_exhausted" });
    fake.inject({
      match: { email: b, action: "streamGenerateContent" },
      stream: { text: "served by the second account" },
    });
    const res = await h.generate(FLASH, { stream: true });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("served by");
    expect(text).not.toMatch(/"error"/);
    expect(servedBy("streamGenerateContent").filter((s) => s.startsWith(a) || s.startsWith(b))).toEqual([
      `${a}:429`,
      `${b}:200`,
    ]);
  });

  it("after the first byte an error is reported in-band, never retried elsewhere", async () => {
    const { h, a, b } = await accounts(2);
    fake.inject({
      match: { email: a, action: "streamGenerateContent" },
      stream: { text: "x".repeat(200), deltaChars: 10, closeAfterEvents: 2 },
    });
    const res = await h.generate(FLASH, { stream: true });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/"error"/);
    expect(fake.count({ action: "streamGenerateContent", email: a })).toBe(1);
    expect(fake.count({ action: "streamGenerateContent", email: b })).toBe(0);
    expect(stateOf(h, a).failures).toBe(1);
  });

  it("never loops on one broken credential", async () => {
    const { h, a } = await accounts(1);
    fake.inject({ match: { email: a }, error: "internal", times: 10 });
    const res = await h.generate(FLASH);
    expect(res.status).toBe(500);
    expect(fake.count({ action: "generateContent", email: a })).toBe(1);
  });

  it("stops after maxAttempts", async () => {
    const { h, emails } = await accounts(4, { pool: { maxAttempts: 2 } });
    for (const email of emails) fake.inject({ match: { email }, error: "internal" });
    expect((await h.generate(FLASH)).status).toBe(500);
    expect(emails.map((email) => fake.count({ action: "generateContent", email }))).toEqual([1, 1, 0, 0]);
  });

  it("an aborted client request never penalizes the credential", async () => {
    const { h, a } = await accounts(2);
    const events: string[] = [];
    h.proxy.pool.on("request:attempt", (e) => events.push(e.outcome));
    fake.inject({ match: { email: a }, delayMs: 2000 });
    const ac = new AbortController();
    const pending = h.generate(FLASH, { signal: ac.signal }).catch((error: unknown) => error);
    await fake.waitFor(() => fake.count({ action: "generateContent", email: a }) === 1);
    ac.abort();
    await pending;
    await fake.waitFor(() => fake.last({ action: "generateContent", email: a })?.aborted === true);
    expect(stateOf(h, a)).toMatchObject({ status: "active", failures: 0, cooldowns: {}, usageCount: 0 });
    expect(events).toEqual(["aborted"]);
  });
});

describe("when every credential is cooling for the model", () => {
  it("waits for the soonest one when it frees up within the budget", async () => {
    const { h, a, b } = await accounts(2);
    for (const email of [a, b])
      fake.inject({ match: { email, model: PRO }, error: "rate_limit", errorOptions: { retryDelaySec: 0.3 } });
    const start = Date.now();
    const res = await h.generate(PRO);
    expect(res.status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(290);
    expect(
      fake.count({ action: "generateContent", model: PRO, email: a }) +
        fake.count({ action: "generateContent", model: PRO, email: b }),
    ).toBe(3);
  });

  it("answers 429 with retry-after set to when the first one frees up, and then leaves Google alone", async () => {
    const { h, a, b } = await accounts(2);
    fake.inject({ match: { email: a, model: PRO }, error: "quota_exhausted", errorOptions: { resetDelaySec: 3600 } });
    fake.inject({ match: { email: b, model: PRO }, error: "quota_exhausted", errorOptions: { resetDelaySec: 1800 } });
    const res = await h.generate(PRO);
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(1790);
    expect(retryAfter).toBeLessThanOrEqual(1801);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/exhausted your capacity/);
    const calls = fake.count({ action: "generateContent" });
    const again = await h.generate(PRO);
    expect(again.status).toBe(429);
    expect(fake.count({ action: "generateContent" })).toBe(calls);
  });

  it("does not wait longer than waitForCooldownMs", async () => {
    const { h, a } = await accounts(1, { pool: { waitForCooldownMs: 100 } });
    fake.inject({ match: { email: a, model: PRO }, error: "rate_limit", errorOptions: { retryDelaySec: 2 } });
    const res = await h.generate(PRO);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(fake.count({ action: "generateContent", email: a })).toBe(1);
  });
});
