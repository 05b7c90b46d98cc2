// The programmatic API on `proxy.pool`: list/get/add/remove/disable/enable/check/clearCooldown,
// typed events a host subscribes to, and the min_credentials warning at start-up.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGeminiProxy,
  type CredentialCooldownEvent,
  type CredentialStateEvent,
  type RequestAttemptEvent,
} from "../src/index.ts";
import { proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { stateOf, usePoolAccounts } from "./pool-setup.ts";

const PRO = "gemini-2.5-pro";
const FLASH = "gemini-2.5-flash";

let fake: FakeGoogle;
beforeAll(async () => {
  fake = await createFakeGoogle();
});
afterAll(() => fake.close());

const accounts = usePoolAccounts(() => fake, "p");

describe("managing credentials", () => {
  it("list() and get() describe each credential without any secret", async () => {
    const { h, a } = await accounts(2);
    await h.proxy.pool.add({ apiKey: fake.addApiKey("AIzaListKey1234567890123456789012345"), label: "ci key" });
    const list = h.proxy.pool.list();
    expect(list).toHaveLength(3);
    expect(h.proxy.pool.get(h.idOf(a))).toMatchObject({
      kind: "oauth",
      email: a,
      project: expect.any(String),
      tier: "free-tier",
      weight: 1,
      priority: 2,
      state: { status: "active", cooldowns: {} },
    });
    expect(list.find((c) => c.kind === "api_key")).toMatchObject({ label: "ci key", keyHint: "…2345" });
    expect(JSON.stringify(list)).not.toMatch(/ya29|1\/\/|AIzaListKey/);
    expect(h.proxy.pool.get("missing")).toBeUndefined();
    expect(h.proxy.pool.hasKind("api_key")).toBe(true);
  });

  it("disable() takes a credential out of rotation until enable()", async () => {
    const { h, a, b } = await accounts(2);
    const changes: CredentialStateEvent[] = [];
    h.proxy.pool.on("credential:state", (e) => changes.push(e));
    expect(await h.proxy.pool.disable(h.idOf(a))).toBe(true);
    await h.generate(FLASH);
    expect(fake.last({ action: "generateContent" })?.email).toBe(b);
    expect(changes).toEqual([expect.objectContaining({ id: h.idOf(a), previous: "active", status: "disabled" })]);
    expect(await h.proxy.pool.enable(h.idOf(a))).toBe(true);
    await h.generate(FLASH);
    expect(fake.last({ action: "generateContent" })?.email).toBe(a);
    expect(await h.proxy.pool.disable("missing")).toBe(false);
  });

  it("remove() forgets a credential, in storage too", async () => {
    const { h, a } = await accounts(2);
    const id = h.idOf(a);
    expect(await h.proxy.pool.remove(id)).toBe(true);
    expect(h.proxy.pool.get(id)).toBeUndefined();
    expect(await h.proxy.pool.remove(id)).toBe(false);
    const again = await h.proxy.pool.add(fake.simpleCredential(a));
    expect(again).toMatchObject({ id, created: true, credential: { state: { usageCount: 0 } } });
  });

  it("clearCooldown() by hand: one model, or all", async () => {
    const { h, a } = await accounts(2);
    const cooldowns: CredentialCooldownEvent[] = [];
    h.proxy.pool.on("credential:cooldown", (e) => cooldowns.push(e));
    fake.inject({ match: { email: a, model: PRO }, error: "quota_exhausted" });
    fake.inject({ match: { email: a, model: FLASH }, error: "quota_exhausted" });
    await h.generate(PRO);
    await h.generate(FLASH);
    expect(Object.keys(stateOf(h, a).cooldowns).sort()).toEqual([FLASH, PRO]);
    expect(cooldowns.map((e) => [e.model, typeof e.until])).toEqual([
      [PRO, "number"],
      [FLASH, "number"],
    ]);
    await h.proxy.pool.clearCooldown(h.idOf(a), PRO);
    expect(Object.keys(stateOf(h, a).cooldowns)).toEqual([FLASH]);
    expect(cooldowns.at(-1)).toMatchObject({ model: PRO, until: undefined });
    await h.proxy.pool.clearCooldown(h.idOf(a));
    expect(stateOf(h, a)).toMatchObject({ status: "active", cooldowns: {} });
    await h.generate(PRO);
    expect(fake.last({ action: "generateContent" })).toMatchObject({ email: a, model: PRO, status: 200 });
  });

  it("check() returns the checker, the verdict and the status before and after", async () => {
    const { h, a } = await accounts(1);
    const result = await h.proxy.pool.check(h.idOf(a), { checker: "retrieveUserQuota" });
    expect(result).toEqual({
      id: h.idOf(a),
      checker: "retrieveUserQuota",
      healthy: true,
      reason: undefined,
      previousStatus: "active",
      newStatus: "active",
    });
    expect(stateOf(h, a).quota?.[FLASH]).toBeDefined();
  });

  it("weight and priority are validated", async () => {
    const { h, a } = await accounts(1);
    await expect(h.proxy.pool.add({ ...fake.simpleCredential(a), weight: 0 })).rejects.toMatchObject({
      code: "invalid_weight",
    });
    await expect(h.proxy.pool.add({ apiKey: "AIzaX", priority: "high" as never })).rejects.toMatchObject({
      code: "invalid_priority",
    });
  });
});

describe("events", () => {
  it("request:attempt for every attempt of a request, with its outcome; unsubscribe stops them", async () => {
    const { h, a, b } = await accounts(2);
    const attempts: RequestAttemptEvent[] = [];
    const off = h.proxy.pool.on("request:attempt", (e) => attempts.push(e));
    fake.inject({ match: { email: a }, error: "internal" });
    await h.generate(FLASH);
    expect(attempts).toEqual([
      expect.objectContaining({
        credentialId: h.idOf(a),
        kind: "oauth",
        model: FLASH,
        attempt: 1,
        outcome: "error",
        errorKind: "upstream_unavailable",
        status: 500,
        surface: "gemini",
      }),
      expect.objectContaining({ credentialId: h.idOf(b), attempt: 2, outcome: "success" }),
    ]);
    expect(attempts[0]!.requestId).toBeDefined();
    expect(attempts[0]!.requestId).toBe(attempts[1]!.requestId);
    off();
    await h.generate(FLASH);
    expect(attempts).toHaveLength(2);
  });

  it("credential:state and credential:cooldown follow what the pool decides", async () => {
    const { h, a } = await accounts(2);
    const seen: string[] = [];
    h.proxy.pool.on("credential:state", (e) => seen.push(`${e.previous}→${e.status}`));
    h.proxy.pool.on("credential:cooldown", (e) => seen.push(`cooldown ${e.model}`));
    fake.inject({ match: { email: a, model: PRO }, error: "rate_limit" });
    fake.inject({ match: { email: a, model: FLASH }, error: "validation_required" });
    await h.generate(PRO);
    await h.generate(FLASH);
    expect(seen).toEqual(["active→rate_limited", `cooldown ${PRO}`, "rate_limited→needs_verification"]);
  });

  it("a listener that throws never breaks a request", async () => {
    const { h } = await accounts(1);
    h.proxy.pool.on("request:attempt", () => {
      throw new Error("host bug");
    });
    expect((await h.generate(FLASH)).status).toBe(200);
  });
});

describe("min_credentials", () => {
  it("warns at start-up with the login URL when fewer usable credentials exist", async () => {
    fake.addAccount({ email: "min@example.com" });
    const warnings: string[] = [];
    const logger = {
      error() {},
      info() {},
      debug() {},
      warn: (...args: unknown[]) => void warnings.push(args.join(" ")),
    };
    const proxy = createGeminiProxy(
      proxyOptionsFor(fake, {
        logger,
        basePath: "/gw",
        credentials: [fake.simpleCredential("min@example.com")],
        pool: { minCredentials: 2, healthCheck: { enabled: false } },
      }),
    );
    await proxy.ready();
    expect(warnings.find((w) => /min_credentials/.test(w))).toMatch(/1 usable credential.*\(2\).*\/gw\/oauth2\/login/);
    await proxy.close();

    const quiet: string[] = [];
    const ok = createGeminiProxy(
      proxyOptionsFor(fake, {
        logger: { ...logger, warn: (...args: unknown[]) => void quiet.push(args.join(" ")) },
        credentials: [fake.simpleCredential("min@example.com")],
      }),
    );
    await ok.ready();
    expect(quiet.filter((w) => /min_credentials/.test(w))).toEqual([]);
    await ok.close();
  });

  it("rejects a bad pool option with a message naming it", () => {
    expect(() => createGeminiProxy({ pool: { strategy: "random" as never } })).toThrow(/pool\.strategy/);
    expect(() => createGeminiProxy({ pool: { maxAttempts: 0 } })).toThrow(/pool\.maxAttempts/);
  });
});
