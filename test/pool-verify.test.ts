// Truthful credential states: API keys are unverified until Google accepts them once, `add` with
// `verify` keeps nothing Google refuses, and `enable` asks Google again instead of trusting the operator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy } from "../src/index.ts";
import { proxyOptionsFor } from "./_setup.ts";
import { ADMIN, adminHeaders } from "./_admin.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { createPoolHarness, nativeRequest } from "./pool-setup.ts";

let fake: FakeGoogle;
beforeAll(async () => {
  fake = await createFakeGoogle();
});
afterAll(() => fake.close());

describe("unverified API keys", () => {
  it("config keys start unverified; a successful request or check verifies, a refused one never does", async () => {
    const good = fake.addApiKey();
    const bad = "AIzaNotKnownToGoogle0000000000000000000";
    const proxy = createGeminiProxy(
      proxyOptionsFor(fake, { geminiApiKeys: [good, bad], admin: ADMIN, pool: { healthCheck: { enabled: false } } }),
    );
    try {
      await proxy.ready();
      const byKey = (key: string) => proxy.pool.list().find((v) => v.keyHint === `…${key.slice(-4)}`)!;
      expect(proxy.pool.list().map((v) => v.state.verified)).toEqual([false, false]);
      expect(byKey(good).state.status).toBe("active");
      const listed = (await (
        await proxy.fetch(new Request("http://proxy.test/admin/credentials", { headers: adminHeaders() }))
      ).json()) as { status: string; verified: boolean; key_label: string }[];
      expect(listed.map((c) => [c.status, c.verified])).toEqual([
        ["active", false],
        ["active", false],
      ]);
      expect(listed.map((c) => c.key_label).sort()).toEqual([`AIza…${bad.slice(-4)}`, `AIza…${good.slice(-4)}`].sort());

      const res = await nativeRequest(proxy, "gemini-2.5-flash");
      expect(res.status).toBe(200);
      expect(byKey(good).state.verified).toBe(true);

      const check = await proxy.pool.check(byKey(bad).id);
      expect(check).toMatchObject({ healthy: false, newStatus: "error" });
      expect(byKey(bad).state).toMatchObject({ status: "error", verified: false });
    } finally {
      await proxy.close();
    }
  });

  it("a health check verifies a key", async () => {
    const key = fake.addApiKey();
    const proxy = createGeminiProxy(proxyOptionsFor(fake, { geminiApiKeys: [key] }));
    try {
      await proxy.ready();
      const [view] = proxy.pool.list();
      expect(view!.state.verified).toBe(false);
      await proxy.pool.check(view!.id);
      expect(proxy.pool.get(view!.id)!.state.verified).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it("add({verify}) checks a key first and keeps nothing Google refuses", async () => {
    const proxy = createGeminiProxy(proxyOptionsFor(fake));
    try {
      const refused = await proxy.pool.add({ apiKey: "AIzaRefusedRefusedRefused00000000000" }, { verify: true });
      expect(refused.refused).toBe("key refused by Google (API_KEY_INVALID)");
      expect(proxy.pool.list()).toEqual([]);
      const ok = await proxy.pool.add({ apiKey: fake.addApiKey() }, { verify: true });
      expect(ok.refused).toBeUndefined();
      expect(ok.credential.state).toMatchObject({ status: "active", verified: true });
      const token = await proxy.pool.add({ refresh_token: "1//not-a-token-google-knows" }, { verify: true });
      expect(token.refused).toMatch(/^refresh token refused by Google \(invalid_grant\)/);
      expect(proxy.pool.list()).toHaveLength(1);
      // Without verify (the programmatic default), a key is kept but shown unverified.
      const plain = await proxy.pool.add({ apiKey: "AIzaPlainPlainPlainPlain000000000000" });
      expect(plain.credential.state).toMatchObject({ status: "active", verified: false });
    } finally {
      await proxy.close();
    }
  });
});

describe("enable re-checks with Google", () => {
  it("a disabled account that still needs verification is not marked active; once verified it is", async () => {
    const email = "verify-me@example.com";
    fake.addAccount({ email, scenario: "validation-required" });
    const h = await createPoolHarness(fake, [email]);
    try {
      const id = h.idOf(email);
      expect(h.proxy.pool.get(id)!.state.status).toBe("needs_verification");
      await h.proxy.pool.disable(id);
      expect(await h.proxy.pool.enable(id)).toBe(true);
      expect(h.proxy.pool.get(id)!.state).toMatchObject({ status: "needs_verification", link: expect.any(String) });
      fake.markVerified(email);
      await h.proxy.pool.enable(id);
      expect(h.proxy.pool.get(id)!.state).toMatchObject({ status: "active", lastCheck: { checker: "setup" } });
    } finally {
      await h.close();
    }
  });

  it("a refused API key stays in error after enable", async () => {
    const proxy = createGeminiProxy(proxyOptionsFor(fake));
    try {
      const { id } = await proxy.pool.add({ apiKey: "AIzaGoneGoneGoneGoneGone000000000000" });
      await proxy.pool.disable(id);
      await proxy.pool.enable(id);
      expect(proxy.pool.get(id)!.state).toMatchObject({ status: "error", reason: expect.stringMatching(/refused/) });
    } finally {
      await proxy.close();
    }
  });
});
