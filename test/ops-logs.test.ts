// What an operator reads: request lines with fields and a request id, pool events (a quota cooldown),
// refused client keys (rate-limited lines, counted in /metrics), per-credential metrics, probes, and
// the warnings createGeminiProxy() gives about its options. Real HTTP against the fake Google.
import { createConsola, LogLevels } from "consola";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy, type Logger } from "../src/index.ts";
import { createAuthFailureLog } from "../src/http/auth-failures.ts";
import { unknownOptionKeys } from "../src/config/option-keys.ts";
import { CLIENT_KEY, authHeaders, listen, proxyOptionsFor, waitFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

interface Line {
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

/** A consola logger whose reporter keeps every line with its fields (what a host's reporter sees). */
function capture(lines: Line[]): Logger {
  return createConsola({
    level: LogLevels.debug,
    reporters: [
      {
        log: (obj) =>
          void lines.push({
            level: obj.type === "log" ? "info" : obj.type,
            message: obj.args.map(String).join(" "),
            fields: (obj as { fields?: Record<string, unknown> }).fields,
          }),
      },
    ],
  }) as unknown as Logger;
}

const FLASH = "gemini-2.5-flash";
const EMAIL = "operator@example.com";
const generate = (url: string, headers: Record<string, string> = authHeaders()) =>
  fetch(`${url}/v1beta/models/${FLASH}:generateContent`, {
    method: "POST",
    headers,
    body: JSON.stringify({ contents: [{ parts: [{ text: "hello" }] }] }),
  });

describe("operations: logs, metrics and probes", () => {
  let fake: FakeGoogle;
  let proxy: GeminiProxy;
  let url: string;
  let close: () => Promise<void>;
  const lines: Line[] = [];
  const events = (name: string) => lines.filter((l) => l.fields?.event === name);

  beforeAll(async () => {
    fake = await createFakeGoogle();
    fake.addAccount({ email: EMAIL });
    proxy = createGeminiProxy(
      proxyOptionsFor(fake, {
        credentials: [fake.simpleCredential(EMAIL)],
        logger: capture(lines),
        pool: { healthCheck: { enabled: false } },
      }),
    );
    await proxy.ready();
    ({ url, close } = await listen(proxy.node));
  });
  afterAll(async () => {
    await close?.();
    await proxy?.close();
    await fake?.close();
  });

  it("writes a request line with fields, and echoes a sane x-request-id", async () => {
    const res = await generate(url, authHeaders({ "x-request-id": "trace-42.a:b_c" }));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("trace-42.a:b_c");
    await waitFor(() => events("request").some((l) => l.fields?.request_id === "trace-42.a:b_c"));
    const line = events("request").find((l) => l.fields?.request_id === "trace-42.a:b_c")!;
    const id = proxy.pool.list()[0]!.id;
    expect(line.level).toBe("info");
    expect(line.fields).toMatchObject({
      method: "POST",
      path: `/v1beta/models/${FLASH}:generateContent`,
      status: 200,
      model: FLASH,
      surface: "gemini",
      credential: id,
      credential_email: "o*e*a*o*****@example.com",
      attempts: 1,
      outcome: "success",
    });
    expect(line.fields!.duration_ms).toBeTypeOf("number");
    expect(line.fields!.client_key).toMatch(/^key-[0-9a-f]{8}$/);
    expect(line.fields!.error_class).toBeUndefined();
    expect(JSON.stringify(line)).not.toContain(CLIENT_KEY);
    expect(JSON.stringify(line)).not.toContain(EMAIL);
  });

  it("names a managed client key by its name in the request line, never the key", async () => {
    const { key } = await proxy.keys.create({ name: "ops-team" });
    const res = await generate(url, {
      "content-type": "application/json",
      "x-goog-api-key": key,
      "x-request-id": "named-1",
    });
    expect(res.status).toBe(200);
    await waitFor(() => events("request").some((l) => l.fields?.request_id === "named-1"));
    const line = events("request").find((l) => l.fields?.request_id === "named-1")!;
    expect(line.fields!.client_key).toBe("ops-team");
    expect(JSON.stringify(lines)).not.toContain(key);
  });

  it("replaces an insane x-request-id with its own, on success and on a refusal", async () => {
    for (const sent of ["has spaces in it", "x".repeat(129), "semi;colon"]) {
      const res = await generate(url, authHeaders({ "x-request-id": sent }));
      expect(res.headers.get("x-request-id")).toMatch(/^req-[0-9a-f]{12}-[0-9a-z]+$/);
    }
    const refused = await generate(url, { "content-type": "application/json", "x-request-id": "ok-id" });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("x-request-id")).toBe("ok-id");
  });

  it("logs a quota cooldown as an event with the masked account, model, reason and until, and the failed request's class", async () => {
    fake.inject({ match: { email: EMAIL, model: FLASH }, error: "quota_exhausted", times: 1 });
    const res = await generate(url, authHeaders({ "x-request-id": "quota-1" }));
    expect(res.status).toBe(429);
    await waitFor(() => events("credential.cooldown").length > 0);
    const cooldown = events("credential.cooldown")[0]!;
    expect(cooldown.level).toBe("warn");
    expect(cooldown.fields).toMatchObject({ model: FLASH, credential_email: "o*e*a*o*****@example.com" });
    expect(Date.parse(String(cooldown.fields!.until))).toBeGreaterThan(Date.now() + 60_000);
    expect(cooldown.fields!.reason).toBeTruthy();
    expect(cooldown.message).toMatch(/cools down until/);
    await waitFor(() => events("request").some((l) => l.fields?.request_id === "quota-1"));
    const line = events("request").find((l) => l.fields?.request_id === "quota-1")!;
    expect(line.fields).toMatchObject({ status: 429, outcome: "error" });
    expect(line.fields!.error_class).toBeTruthy();
    // The state change that came with it is an event too, with from/to.
    const state = events("credential.state").find((l) => l.fields?.to === "rate_limited");
    expect(state?.fields).toMatchObject({
      from: "active",
      to: "rate_limited",
      reason: expect.stringMatching(/quota/i),
    });
    // While it cools, /metrics shows the cooldown per credential and model, in seconds left.
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const cooling = new RegExp(
      `gemini_proxy_credential_cooldown_seconds\\{credential="[^"]+",email="o\\*e\\*a\\*o\\*{5}@example\\.com",model="${FLASH}"\\} (\\d+)`,
    ).exec(metrics);
    expect(Number(cooling?.[1])).toBeGreaterThan(60);
    await proxy.pool.clearCooldown(proxy.pool.list()[0]!.id);
    await waitFor(() => events("credential.cooldown_cleared").length > 0);
    await waitFor(() => events("credential.state").some((l) => l.fields?.from === "rate_limited"));
    expect(events("credential.state").find((l) => l.fields?.from === "rate_limited")?.fields).toMatchObject({
      to: "active",
      reason: "cooldown over",
    });
  });

  it("counts refused client keys in /metrics, and has per-credential series with the masked email", async () => {
    for (let i = 0; i < 3; i++)
      expect((await generate(url, authHeaders({ authorization: "Bearer wrong" }))).status).toBe(401);
    expect((await generate(url, { "content-type": "application/json" })).status).toBe(401);
    // One line for this source within the window (the first refusal, a test earlier), however many followed.
    const refused = events("auth.refused");
    expect(refused).toHaveLength(1);
    expect(refused[0]!.level).toBe("warn");
    expect(refused[0]!.fields).toMatchObject({ status: 401, reason: "missing", source: "127.0.0.1" });
    expect(JSON.stringify(lines)).not.toContain("Bearer wrong");
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/gemini_proxy_auth_failures_total\{reason="invalid"\} [3-9]/);
    expect(metrics).toMatch(/gemini_proxy_auth_failures_total\{reason="missing"\} [1-9]/);
    const id = proxy.pool.list()[0]!.id;
    const who = `credential="${id}",email="o*e*a*o*****@example.com"`;
    expect(metrics).toMatch(new RegExp(`gemini_proxy_credential_requests_total\\{${escape(who)}\\} [1-9]`));
    expect(metrics).toMatch(
      new RegExp(`gemini_proxy_credential_errors_total\\{${escape(who)},class="quota_exhausted"\\} 1`),
    );
    expect(metrics).toContain(`gemini_proxy_credential_status{${who},status="active"} 1`);
    expect(metrics).toContain("# TYPE gemini_proxy_credential_cooldown_seconds gauge");
    expect(metrics).not.toContain(EMAIL);
  });

  it("/livez and /readyz: public, counts only", async () => {
    const live = await fetch(`${url}/livez`);
    expect([live.status, await live.json()]).toEqual([200, { live: true }]);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, usable_credentials: 1, storage: "ok" });
    await proxy.pool.disable(proxy.pool.list()[0]!.id);
    try {
      const notReady = await fetch(`${url}/readyz`);
      expect(notReady.status).toBe(503);
      const body = (await notReady.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ ready: false, usable_credentials: 0, storage: "ok" });
      expect(body.reason).toMatch(/no credential can serve/);
      expect(JSON.stringify(body)).not.toMatch(/example\.com|oauth-/);
    } finally {
      await proxy.pool.enable(proxy.pool.list()[0]!.id);
    }
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("operations: onboarding and refresh events", () => {
  let fake: FakeGoogle;
  let proxy: GeminiProxy;
  const lines: Line[] = [];
  const events = (name: string) => lines.filter((l) => l.fields?.event === name);
  const REVOKED = "revoked.later@example.com";

  beforeAll(async () => {
    fake = await createFakeGoogle();
    for (const email of [EMAIL, REVOKED]) fake.addAccount({ email });
    proxy = createGeminiProxy(
      proxyOptionsFor(fake, {
        credentials: [EMAIL, REVOKED].map((e) => fake.simpleCredential(e)),
        logger: capture(lines),
        pool: { healthCheck: { enabled: false } },
      }),
    );
    await proxy.ready();
  });
  afterAll(async () => {
    await proxy?.close();
    await fake?.close();
  });

  it("logs each start-up account's onboarding result as an event: masked account, kind, tier, status", () => {
    const onboarded = events("credential.onboarded");
    expect(onboarded).toHaveLength(2);
    for (const line of onboarded) {
      expect(line.level).toBe("info");
      expect(line.fields).toMatchObject({ kind: "oauth", status: "active" });
      expect(String(line.fields!.credential_email)).toMatch(/^[a-z*]{12}@example\.com$/);
      expect(line.fields!.tier).toBeTruthy();
    }
    expect(JSON.stringify(onboarded)).not.toContain(EMAIL);
  });

  it("logs a refused token refresh as credential.refresh_failed (warn), next to the state change", async () => {
    const id = proxy.pool.list().find((c) => c.email === REVOKED)!.id;
    fake.revokeRefreshToken(REVOKED);
    expect(await proxy.pool.refresh(id)).toBe(false);
    await waitFor(() => events("credential.refresh_failed").length > 0);
    const failed = events("credential.refresh_failed")[0]!;
    expect(failed.level).toBe("warn");
    expect(failed.fields).toMatchObject({ credential: id, status: "error" });
    expect(String(failed.fields!.reason)).toMatch(/invalid_grant|revoked/i);
    expect(String(failed.fields!.credential_email)).not.toContain(REVOKED);
    const state = events("credential.state").find((l) => l.fields?.credential === id && l.fields?.to === "error");
    expect(state?.fields).toMatchObject({
      from: "refreshing",
      reason: expect.stringMatching(/invalid_grant|revoked/i),
    });
  });
});

describe("operations: library-mode messages", () => {
  let fake: FakeGoogle;
  beforeAll(async () => {
    fake = await createFakeGoogle();
  });
  afterAll(async () => fake?.close());

  it("warns once at construction about a misspelled option and about missing client keys", async () => {
    const lines: Line[] = [];
    const proxy = createGeminiProxy({
      endpoints: fake.endpoints,
      logger: capture(lines),
      authkeys: ["a-key-of-sufficient-length"],
      geminiApiKey: ["AIza"],
    } as never);
    const warnings = lines.filter((l) => l.level === "warn").map((l) => l.message);
    expect(warnings).toContain('unknown option "authkeys" (did you mean "authKeys"?): it is ignored');
    expect(warnings).toContain('unknown option "geminiApiKey" (did you mean "geminiApiKeys"?): it is ignored');
    expect(warnings.some((w) => /no client keys: authKeys is not set/.test(w))).toBe(true);
    expect(warnings).toHaveLength(3);
    await proxy.close();
    const quiet: Line[] = [];
    const fine = createGeminiProxy({ endpoints: fake.endpoints, logger: capture(quiet), authKeys: false });
    expect(quiet.filter((l) => l.level === "warn")).toEqual([]);
    await fine.close();
    expect(unknownOptionKeys({ auth_keys: [], somethingElse: 1, pool: {} })).toEqual([
      { key: "auth_keys", suggestion: "authKeys" },
      { key: "somethingElse" },
    ]);
  });

  it("the loopback-only 403 names the missing peer address and the library options that fix it", async () => {
    const proxy = createGeminiProxy(proxyOptionsFor(fake));
    const res = await proxy.fetch(new Request("http://localhost/admin/credentials"));
    expect(res.status).toBe(403);
    const { detail } = (await res.json()) as { detail: string };
    expect(detail).toMatch(/did not expose the client's address/);
    expect(detail).toMatch(/admin: \{ username, password \}/);
    expect(detail).not.toMatch(/GEMINI_PROXY_ADMIN_PASSWORD/);
    // Through node:http the peer is known: loopback is let in.
    const server = await listen(proxy.node);
    expect((await fetch(`${server.url}/admin/credentials`)).status).toBe(200);
    await server.close();
    // /readyz answers without waiting for start-up and without auth, through bare fetch too.
    const ready = await proxy.fetch(new Request("http://localhost/readyz"));
    expect([200, 503]).toContain(ready.status);
    await proxy.close();
  });

  it("auth refusals: one line per source per window, then the count of those refused meanwhile", async () => {
    const lines: Line[] = [];
    const counted: string[] = [];
    const log = createAuthFailureLog(capture(lines), (reason) => counted.push(reason), 50);
    for (let i = 0; i < 5; i++) log.refused("10.0.0.1", "invalid", "/v1/models", `r${i}`);
    log.refused("10.0.0.2", "missing", "/v1/models", "other");
    expect(lines.map((l) => l.fields?.source)).toEqual(["10.0.0.1", "10.0.0.2"]);
    await new Promise((r) => setTimeout(r, 60));
    log.refused("10.0.0.1", "invalid", "/v1/models", "r5");
    expect(lines).toHaveLength(3);
    expect(lines[2]!.fields).toMatchObject({ source: "10.0.0.1", refused_since_last_line: 4 });
    expect(lines[2]!.message).toMatch(/4 more refused from there/);
    expect(counted).toHaveLength(7);
  });
});
