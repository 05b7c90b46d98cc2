// Adding accounts: email, project and tier discovery, onboarding, and account problems explained.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";
import { proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

describe("pool.add() with each account scenario", () => {
  let fake: FakeGoogle;
  let proxy: GeminiProxy;
  beforeAll(async () => {
    fake = await createFakeGoogle();
    proxy = createGeminiProxy(proxyOptionsFor(fake, { projectIdMap: { "std@corp.com": "corp-project" } }));
    await proxy.ready();
  });
  afterAll(async () => {
    await proxy.close();
    await fake.close();
  });

  it("onboarded account: email from userinfo, project from loadCodeAssist", async () => {
    fake.addAccount({ email: "ok@example.com", project: "managed-1" });
    const { credential, created } = await proxy.pool.add(fake.simpleCredential("ok@example.com"));
    expect(created).toBe(true);
    expect(credential).toMatchObject({
      kind: "oauth",
      email: "ok@example.com",
      project: "managed-1",
      state: { status: "active" },
    });
  });

  it("re-adding the same account updates it instead of duplicating it", async () => {
    const before = proxy.pool.list().length;
    const { created } = await proxy.pool.add(fake.simpleCredential("ok@example.com"));
    expect(created).toBe(false);
    expect(proxy.pool.list().length).toBe(before);
  });

  it("a not-yet-onboarded account is onboarded through the long-running operation", async () => {
    fake.addAccount({
      email: "new@example.com",
      scenario: "needs-onboarding",
      onboardingPolls: 3,
      project: "fresh-proj",
    });
    const { credential } = await proxy.pool.add(fake.simpleCredential("new@example.com", { withProject: false }));
    expect(credential.state.status).toBe("active");
    expect(credential.project).toBe("fresh-proj");
    expect(fake.count({ action: "getOperation", email: "new@example.com" })).toBeGreaterThanOrEqual(3);
    const onboard = fake.requests.find((r) => r.action === "onboardUser" && r.email === "new@example.com")!;
    expect(onboard.body).toMatchObject({ tierId: "free-tier" });
    expect((onboard.body as Record<string, unknown>).cloudaicompanionProject).toBeUndefined();
  });

  it("a Standard-tier account uses its project from project_id_map", async () => {
    fake.addAccount({ email: "std@corp.com", scenario: "standard", project: "corp-project" });
    const { credential } = await proxy.pool.add(fake.simpleCredential("std@corp.com", { withProject: false }));
    expect(credential).toMatchObject({ project: "corp-project", state: { status: "active" } });
  });

  it("a post-sunset individual account is ineligible, with Google's reason in plain words", async () => {
    fake.addAccount({ email: "solo@gmail.com", scenario: "ineligible" });
    const { credential } = await proxy.pool.add(fake.simpleCredential("solo@gmail.com", { withProject: false }));
    expect(credential.state.status).toBe("ineligible");
    expect(credential.state.reason).toMatch(/no longer serves Gemini Code Assist to this account/);
    expect(credential.state.reason).toMatch(/Gemini API key/);
    expect(credential.state.reason).toMatch(/antigravity/i);
  });

  it("an account that must be verified keeps the verification link", async () => {
    fake.addAccount({ email: "verify@example.com", scenario: "validation-required" });
    const { credential } = await proxy.pool.add(fake.simpleCredential("verify@example.com", { withProject: false }));
    expect(credential.state.status).toBe("needs_verification");
    expect(credential.state.link).toMatch(/^https:\/\//);
    expect(credential.state.reason).toMatch(/verify/i);
  });

  it("an account outside the free tier's regions is explained with Google's reason", async () => {
    fake.addAccount({ email: "far@example.com", scenario: "unsupported-location" });
    const { credential } = await proxy.pool.add(fake.simpleCredential("far@example.com", { withProject: false }));
    expect(credential.state.status).toBe("ineligible");
    expect(credential.state.reason).toMatch(/UNSUPPORTED_LOCATION/);
    expect(credential.state.reason).toMatch(/Google says: .*location/);
    expect(credential.state.reason).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("a Standard-tier account without a project says what to set", async () => {
    fake.addAccount({ email: "noproj@corp.com", scenario: "standard", project: "corp-2" });
    const { credential } = await proxy.pool.add(fake.simpleCredential("noproj@corp.com", { withProject: false }));
    expect(credential.state.status).toBe("ineligible");
    expect(credential.state.reason).toMatch(/project_id_map/);
  });

  it("re-adding a verified account clears its problem; re-adding keeps an operator's disable", async () => {
    fake.markVerified("verify@example.com");
    const { credential, created } = await proxy.pool.add(
      fake.simpleCredential("verify@example.com", { withProject: false }),
    );
    expect(created).toBe(false);
    expect(credential.state).toMatchObject({ status: "active", reason: undefined, link: undefined });
    await proxy.pool.disable(credential.id);
    const again = await proxy.pool.add(fake.simpleCredential("verify@example.com", { withProject: false }));
    expect(again.credential.state.status).toBe("disabled");
  });

  it("a revoked refresh token is an error state, not an exception", async () => {
    fake.addAccount({ email: "revoked@example.com" });
    const cred = { ...fake.simpleCredential("revoked@example.com"), access_token: null, expiry_date: null };
    fake.revokeRefreshToken("revoked@example.com");
    const { credential } = await proxy.pool.add(cred);
    expect(credential.state.status).toBe("error");
    expect(credential.state.reason).toMatch(/log in again/);
  });

  it("a credential without a refresh token is refused", async () => {
    await expect(proxy.pool.add({ access_token: "x" })).rejects.toMatchObject({ code: "missing_refresh_token" });
  });

  it("an API key is pooled as is, unverified, shown only by its first and last four characters", async () => {
    const key = fake.addApiKey();
    const { credential } = await proxy.pool.add({ apiKey: key });
    expect(credential).toMatchObject({
      kind: "api_key",
      keyLabel: `${key.slice(0, 4)}…${key.slice(-4)}`,
      state: { status: "active", verified: false },
    });
    expect(JSON.stringify(credential)).not.toContain(key.slice(4, -4));
  });
});
