// Admin API routes with the predecessor's shapes: credentials (list, check, add, delete, disable,
// enable, clear-cooldown), usage (summary, series, export, errors, reset), /health — and a scan of
// every admin answer for any secret the fake Google ever issued.
import { afterAll, expect, it } from "vitest";
import { authHeaders, describeMatrix, type Harness } from "./_setup.ts";
import { ADMIN, adminHeaders, createTranscript, generateBody } from "./_admin.ts";

const MODEL = "gemini-2.5-flash";

describeMatrix(
  "admin API",
  (fake) => {
    fake.addAccount({ email: "alice@example.com" });
    fake.addAccount({ email: "bob.builder@example.com" });
    const apiKey = fake.addApiKey("AIzaFakeAdminTestKey0123456789");
    return {
      credentials: [fake.simpleCredential("alice@example.com"), fake.simpleCredential("bob.builder@example.com")],
      geminiApiKeys: [apiKey],
      admin: ADMIN,
    };
  },
  (h: Harness) => {
    const transcript = createTranscript();
    const admin = async (path: string, init: RequestInit = {}) => {
      const res = await h.request(path, { ...init, headers: adminHeaders(init.headers as Record<string, string>) });
      await transcript.keep(res);
      return res;
    };
    const generate = (text: string, model = MODEL) =>
      h.request(`/v1beta/models/${model}:generateContent`, {
        method: "POST",
        headers: authHeaders(),
        body: generateBody(text),
      });
    const credentials = async () => (await (await admin("/admin/credentials")).json()) as Record<string, any>[];
    const idOf = async (email: string) => (await h.proxy.pool.list()).find((c) => c.email === email)!.id;

    it("lists credentials with the predecessor's fields: full emails for the admin, projects masked", async () => {
      expect((await generate("hello")).status).toBe(200);
      const list = await credentials();
      expect(list).toHaveLength(3);
      const alice = list.find((c) => c.email === "alice@example.com")!;
      expect(alice).toBeDefined();
      const project = h.fake.account("alice@example.com").project!;
      expect(alice.project_id).toBe(`***-${project.slice(-4)}`);
      expect(list.map((c) => c.email)).toContain("bob.builder@example.com");
      for (const c of list) {
        expect(Object.keys(c)).toEqual(
          expect.arrayContaining([
            "id",
            "kind",
            "email",
            "project_id",
            "status",
            "is_available",
            "expiry",
            "usage_count",
            "created_at",
            "last_used_at",
            "last_refreshed_at",
            "rate_limited_until",
            "failed_at",
            "failure_reason",
            "cooldowns",
            "quota",
            "verification_link",
          ]),
        );
        expect(c.created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
        expect(c.status).toBe("active");
        expect(c.is_available).toBe(true);
      }
      expect(list.find((c) => c.kind === "api_key")!.email).toBeNull();
      expect(list.reduce((n, c) => n + c.usage_count, 0)).toBe(1);
    });

    it("shows per-model cooldowns with reason and until, and clears them", async () => {
      const id = await idOf("alice@example.com");
      h.fake.inject({ match: { email: "alice@example.com", model: MODEL }, error: "quota_exhausted", times: 1 });
      // Round-robin may pick another credential first: ask until alice was tried.
      for (let i = 0; i < 4 && !h.proxy.pool.get(id)!.state.cooldowns[MODEL]; i++)
        expect((await generate(`q${i}`)).status).toBe(200);
      const alice = (await credentials()).find((c) => c.id === id)!;
      expect(alice.cooldowns[MODEL]).toMatchObject({ reason: expect.any(String) });
      expect(Date.parse(alice.cooldowns[MODEL].until)).toBeGreaterThan(Date.now());
      expect(alice.cooldowns[MODEL].remaining_sec).toBeGreaterThan(0);
      expect(alice.rate_limited_until).not.toBe("N/A");
      const res = await admin(`/admin/credentials/${id}/clear-cooldown?model=${MODEL}`, { method: "POST" });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { message: string }).message).toBe("cooldown_cleared");
      expect((await credentials()).find((c) => c.id === id)!.cooldowns).toEqual({});
    });

    it("disables and enables a credential", async () => {
      const id = await idOf("bob.builder@example.com");
      const res = await admin(`/admin/credentials/${id}/disable`, { method: "POST" });
      expect(await res.json()).toMatchObject({
        status: "success",
        message: "credential_disabled",
        credential: { id, status: "disabled", is_available: false },
      });
      const before = h.fake.count({ email: "bob.builder@example.com", action: "generateContent" });
      for (let i = 0; i < 4; i++) expect((await generate(`d${i}`)).status).toBe(200);
      expect(h.fake.count({ email: "bob.builder@example.com", action: "generateContent" })).toBe(before);
      const back = await admin(`/admin/credentials/${id}/enable`, { method: "POST" });
      expect(await back.json()).toMatchObject({
        message: "credential_enabled",
        credential: { status: "active", is_available: true },
      });
    });

    it("checks a credential, in the predecessor's shape", async () => {
      const id = await idOf("alice@example.com");
      const res = await admin(`/admin/credentials/${id}/check`, { method: "POST" });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, any>;
      expect(body).toMatchObject({
        credential_id: id,
        previous_status: "active",
        new_status: "active",
        check_details: { is_healthy: true, checker_name: expect.any(String) },
      });
      expect(body.check_time).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
      const missing = await admin("/admin/credentials/nope/check", { method: "POST" });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: "Credential not found", credential_id: "nope" });
    });

    it("a GET on check runs nothing: 405 with Allow: POST (a foreign page's link cannot trigger it)", async () => {
      const id = await idOf("alice@example.com");
      const before = h.proxy.pool.get(id)!.state.lastCheck;
      const res = await admin(`/admin/credentials/${id}/check`);
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
      expect(((await res.json()) as { detail: string }).detail).toMatch(/POST/);
      expect(h.proxy.pool.get(id)!.state.lastCheck).toEqual(before);
    });

    it("adds a credential, then updates it, and refuses a bad one", async () => {
      h.fake.addAccount({ email: "carol@example.com" });
      const credential = h.fake.simpleCredential("carol@example.com");
      const added = await admin("/admin/credentials/add", {
        method: "POST",
        body: JSON.stringify({ credential }),
        headers: { "content-type": "application/json" },
      });
      expect(added.status).toBe(200);
      expect(await added.json()).toMatchObject({
        status: "success",
        message: "credential_added",
        email: "carol@example.com",
      });
      const again = await admin("/admin/credentials/add", {
        method: "POST",
        body: JSON.stringify({ credential }),
        headers: { "content-type": "application/json" },
      });
      expect(await again.json()).toMatchObject({ message: "credential_updated" });
      const { refresh_token: _drop, ...noRefresh } = credential as Record<string, unknown>;
      const bad = await admin("/admin/credentials/add", {
        method: "POST",
        body: JSON.stringify({ credential: noRefresh }),
        headers: { "content-type": "application/json" },
      });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ detail: "missing_refresh_token" });
      const notJson = await admin("/admin/credentials/add", {
        method: "POST",
        body: "{oops",
        headers: { "content-type": "application/json" },
      });
      expect(notJson.status).toBe(400);
      expect(await notJson.json()).toHaveProperty("detail");
      // A refresh token Google does not know: refused, and the token is not echoed back.
      const unknown = { refresh_token: "1//revoked-or-unknown-refresh-token", token_type: "Bearer" };
      const rejected = await admin("/admin/credentials/add", {
        method: "POST",
        body: JSON.stringify({ credential: unknown }),
        headers: { "content-type": "application/json" },
      });
      expect(rejected.status).toBe(400);
      const text = await rejected.text();
      expect(JSON.parse(text)).toMatchObject({ detail: "failed_to_get_email" });
      expect(text).not.toContain("1//revoked-or-unknown-refresh-token");
      expect(h.proxy.pool.list().filter((c) => !c.email && c.kind === "oauth")).toEqual([]);
    });

    it("deletes a credential, then answers 404", async () => {
      const id = await idOf("carol@example.com");
      const res = await admin(`/admin/credentials/${id}`, { method: "DELETE" });
      expect(await res.json()).toEqual({ status: "success", message: "credential_deleted" });
      const again = await admin(`/admin/credentials/${id}`, { method: "DELETE" });
      expect(again.status).toBe(404);
      expect(await again.json()).toEqual({ detail: `Credential with id '${id}' not found.` });
      for (const action of ["disable", "enable", "clear-cooldown"])
        expect((await admin(`/admin/credentials/${id}/${action}`, { method: "POST" })).status).toBe(404);
    });

    it("sums usage per model in the predecessor's shape, with failures by class", async () => {
      await admin("/admin/usage/reset", { method: "POST" });
      for (let i = 0; i < 3; i++) expect((await generate(`u${i}`)).status).toBe(200);
      h.fake.inject({ error: "invalid_argument", times: 1 });
      expect((await generate("bad")).status).toBe(400);
      const usage = (await (await admin("/admin/usage")).json()) as Record<string, any>;
      expect(Object.keys(usage)).toEqual([MODEL]);
      expect(usage[MODEL]).toMatchObject({
        successful_requests: 3,
        failed_requests: { invalid_request: 1 },
        cached_content_token_count: 0,
      });
      const u = usage[MODEL];
      expect(u.total_tokens).toBeGreaterThan(0);
      expect(u.prompt_tokens + u.candidates_tokens + u.thoughts_tokens).toBe(u.total_tokens);
    });

    it("serves hourly series by model, key and credential", async () => {
      const series = (await (await admin("/admin/usage/series?hours=24&by=model")).json()) as any;
      expect(series.times).toHaveLength(24);
      expect(series.series[0].name).toBe(MODEL);
      expect(series.series[0].requests.at(-1)).toBe(4);
      expect(series.series[0].errors.at(-1)).toBe(1);
      const byKey = (await (await admin("/admin/usage/series?hours=2&by=key")).json()) as any;
      expect(byKey.series.map((s: any) => s.name)).toEqual([expect.stringMatching(/^key-[0-9a-f]{8}$/)]);
      const byCred = (await (await admin("/admin/usage/series?by=credential")).json()) as any;
      expect(byCred.times).toHaveLength(48);
      expect(byCred.series.reduce((n: number, s: any) => n + s.totals.requests, 0)).toBe(4);
      expect((await admin("/admin/usage/series?by=color")).status).toBe(400);
      expect((await admin("/admin/usage/series?hours=-1")).status).toBe(400);
    });

    it("exports JSON and CSV, with a time range", async () => {
      const json = (await (await admin("/admin/usage/export?format=json")).json()) as { rows: any[] };
      expect(json.rows.reduce((n, r) => n + r.requests, 0)).toBe(4);
      expect(json.rows[0]).toMatchObject({ period: "hour", model: MODEL, client_key: expect.stringMatching(/^key-/) });
      const days = (await (await admin("/admin/usage/export?format=json&period=day")).json()) as { rows: any[] };
      expect(days.rows.reduce((n, r) => n + r.errors, 0)).toBe(1);
      const csv = await admin("/admin/usage/export?format=csv");
      expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
      expect(csv.headers.get("content-disposition")).toMatch(/attachment; filename="usage-hour-/);
      const lines = (await csv.text()).trim().split("\r\n");
      expect(lines[0]).toMatch(/^period,start,client_key,credential,model,requests,/);
      expect(lines.length).toBe(json.rows.length + 1);
      const future = (await (
        await admin(`/admin/usage/export?from=${new Date(Date.now() + 7_200_000).toISOString()}`)
      ).json()) as { rows: any[] };
      expect(future.rows).toEqual([]);
      expect((await admin("/admin/usage/export?format=xml")).status).toBe(400);
      expect((await admin("/admin/usage/export?from=yesterday-ish")).status).toBe(400);
    });

    it("lists recent errors by class", async () => {
      const body = (await (await admin("/admin/usage/errors")).json()) as any;
      expect(body).toMatchObject({ requests: 4, errors: 1, by_class: { invalid_request: 1 } });
      expect(body.recent[0]).toMatchObject({ error_class: "invalid_request", status: 400, model: MODEL });
    });

    it("resets usage", async () => {
      const res = await admin("/admin/usage/reset", { method: "POST" });
      expect(await res.json()).toEqual({ status: "success", message: "Usage statistics have been reset." });
      expect(await (await admin("/admin/usage")).json()).toEqual({});
    });

    it("reports health: healthy, degraded, unhealthy", async () => {
      expect(await (await h.request("/health")).json()).toMatchObject({ status: "healthy" });
      h.fake.inject({ match: { email: "alice@example.com" }, error: "validation_required", times: 1 });
      for (let i = 0; i < 4 && h.proxy.pool.list().every((c) => c.state.status === "active"); i++)
        await generate(`h${i}`);
      const degraded = (await (await h.request("/health")).json()) as any;
      expect(degraded.status).toBe("degraded");
      const alice = (await credentials()).find((c) => c.email === "alice@example.com")!;
      expect(alice.status).toBe("needs_verification");
      expect(alice.verification_link).toMatch(/^https:\/\//);
      expect(alice.failure_reason).toEqual(expect.any(String));
      for (const c of h.proxy.pool.list()) await h.proxy.pool.disable(c.id);
      expect(await (await h.request("/health")).json()).toMatchObject({
        status: "unhealthy",
        credentials: { usable: 0 },
      });
      for (const c of h.proxy.pool.list()) await h.proxy.pool.enable(c.id);
    });

    afterAll(() => {
      // Every token the fake issued or accepted: current ones, and every one the proxy ever sent.
      const secrets = new Set<string>([ADMIN.password, "AIzaFakeAdminTestKey0123456789"]);
      for (const email of ["alice@example.com", "bob.builder@example.com", "carol@example.com"]) {
        const account = h.fake.account(email);
        secrets.add(account.accessToken).add(account.refreshToken);
      }
      for (const r of h.fake.requests) {
        const bearer = r.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
        if (bearer) secrets.add(bearer);
        if (r.headers["x-goog-api-key"]) secrets.add(r.headers["x-goog-api-key"]);
        const body = r.body as Record<string, unknown> | undefined;
        if (typeof body?.refresh_token === "string") secrets.add(body.refresh_token);
      }
      expect(transcript.texts.length).toBeGreaterThan(20);
      for (const text of transcript.texts)
        for (const secret of secrets)
          if (secret) expect(text.includes(secret), `secret leaked: ${secret.slice(0, 6)}…`).toBe(false);
    });
  },
);
