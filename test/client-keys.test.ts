// Managed client keys on every surface, over real HTTP to the fake Google: model lists (403, and
// model lists filtered), rpm and tpm (429 + Retry-After), token budgets (429 budget_exceeded with
// the reset time), disabled / expired / revoked (401), each in the surface's own error shape, and
// no refusal ever touches a credential.
import { expect, it } from "vitest";
import { ADMIN, adminHeaders } from "./_admin.ts";
import { CLIENT_KEY, describeMatrix } from "./_setup.ts";
import { SURFACES, awayFromMinuteEdge, call, createKey, errorOf, expectedCode, type SurfaceName } from "./_keys.ts";

const ALL: SurfaceName[] = [...SURFACES, "embeddings"];
/** The model each surface is refused / allowed with, for a key limited to the flash family. */
const refused = (s: SurfaceName) => (s === "embeddings" ? "gemini-embedding-001" : "gemini-2.5-pro");
const allowed = (s: SurfaceName) => (s === "embeddings" ? "gemini-embedding-001" : "gemini-2.5-flash");

describeMatrix(
  "managed client keys",
  (fake) => {
    fake.addAccount({ email: "team@example.com" });
    return {
      credentials: [fake.simpleCredential("team@example.com")],
      geminiApiKeys: [fake.addApiKey("AIza-keys-test")],
      admin: ADMIN,
      clientKeys: { syncMs: 20 },
      pool: { maxAttempts: 1, waitForCooldownMs: 0 },
    };
  },
  (h) => {
    const credentialsUntouched = () => {
      for (const c of h.proxy.pool.list()) {
        expect(c.state.status).toBe("active");
        expect(c.state.failures ?? 0).toBe(0);
      }
    };

    it("a key's model list: 403 outside it on every surface, in the surface's shape, before any credential is used", async () => {
      const { key } = await createKey(h.request, {
        name: "flash-only",
        models: ["gemini-2.5-flash*", "*-embedding-*"],
      });
      const { key: embedOnly } = await createKey(h.request, { name: "flash-no-embed", models: ["gemini-2.5-flash*"] });
      const before = h.proxy.pool.list().map((c) => c.state.usageCount);
      for (const s of ALL) {
        const k = s === "embeddings" ? embedOnly : key;
        const res = await call(h.request, s, k, refused(s));
        expect(res.status, `${s}: ${res.text}`).toBe(403);
        const error = errorOf(s, res.text);
        expect(error.code, s).toBe(expectedCode(s, "model_not_allowed"));
        expect(error.message).toContain(refused(s));
      }
      expect(h.proxy.pool.list().map((c) => c.state.usageCount)).toEqual(before);
      credentialsUntouched();
      for (const s of SURFACES) expect((await call(h.request, s, key, allowed(s))).status, s).toBe(200);
      // variants are model ids of their own: the glob covers them
      expect((await call(h.request, "chat", key, "gemini-2.5-flash-nothinking")).status).toBe(200);
      expect((await call(h.request, "embeddings", key, "gemini-embedding-001")).status).toBe(200);
    });

    it("model lists hold only the key's models; a refused model's page is 403", async () => {
      const { key } = await createKey(h.request, { name: "lister", models: ["gemini-2.5-flash*"] });
      const auth = { authorization: `Bearer ${key}` };
      const openai = (await (await h.request("/v1/models", { headers: auth })).json()) as { data: { id: string }[] };
      expect(openai.data.length).toBeGreaterThan(1);
      expect(openai.data.every((m) => m.id.startsWith("gemini-2.5-flash"))).toBe(true);
      const native = (await (await h.request("/v1beta/models", { headers: { "x-goog-api-key": key } })).json()) as {
        models: { name: string }[];
      };
      expect(native.models.length).toBeGreaterThan(1);
      expect(native.models.every((m) => m.name.startsWith("models/gemini-2.5-flash"))).toBe(true);
      const all = (await (
        await h.request("/v1/models", { headers: { authorization: `Bearer ${CLIENT_KEY}` } })
      ).json()) as {
        data: unknown[];
      };
      expect(all.data.length).toBeGreaterThan(openai.data.length);
      const one = await h.request("/v1/models/gemini-2.5-pro", { headers: auth });
      expect(one.status).toBe(403);
      expect(((await one.json()) as { error: { code: string } }).error.code).toBe("model_not_allowed");
      expect((await h.request("/v1/models/gemini-2.5-flash", { headers: auth })).status).toBe(200);
      const nativeOne = await h.request("/v1beta/models/gemini-2.5-pro", { headers: { "x-goog-api-key": key } });
      expect(nativeOne.status).toBe(403);
    });

    it("rpm: the request past the limit is a 429 with Retry-After on every surface", async () => {
      for (const s of ALL) {
        await awayFromMinuteEdge();
        const { key } = await createKey(h.request, { name: `rpm-${s}`, rpm: 2 });
        for (let i = 0; i < 2; i++) expect((await call(h.request, s, key, allowed(s))).status, s).toBe(200);
        const res = await call(h.request, s, key, allowed(s));
        expect(res.status, `${s}: ${res.text}`).toBe(429);
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(60);
        expect(errorOf(s, res.text).code).toBe(expectedCode(s, "rate_limit_exceeded"));
        expect(errorOf(s, res.text).message).toMatch(/2 requests per minute/);
      }
      credentialsUntouched();
    });

    it("tpm: tokens are counted after the response and block the next request", async () => {
      for (const s of ALL) {
        await awayFromMinuteEdge();
        const { key } = await createKey(h.request, { name: `tpm-${s}`, tpm: 1 });
        expect((await call(h.request, s, key, allowed(s))).status, s).toBe(200);
        const res = await call(h.request, s, key, allowed(s));
        expect(res.status, `${s}: ${res.text}`).toBe(429);
        expect(res.headers.get("retry-after")).toBeTruthy();
        expect(errorOf(s, res.text).message).toMatch(/tokens per minute/);
      }
    });

    it("a spent daily or monthly budget: 429 budget_exceeded saying when it resets", async () => {
      for (const s of ALL) {
        for (const field of ["daily_tokens", "monthly_tokens"]) {
          const { key } = await createKey(h.request, { name: `budget-${s}`, [field]: 1 });
          expect((await call(h.request, s, key, allowed(s))).status, s).toBe(200);
          const res = await call(h.request, s, key, allowed(s));
          expect(res.status, `${s}: ${res.text}`).toBe(429);
          const error = errorOf(s, res.text);
          expect(error.code).toBe(expectedCode(s, "budget_exceeded"));
          expect(error.message).toMatch(/budget .* is spent; it resets at \d{4}-\d\d-\d\dT00:00:00.000Z/);
          const wait = Number(res.headers.get("retry-after"));
          expect(wait).toBeGreaterThan(0);
          expect(wait).toBeLessThanOrEqual(field === "daily_tokens" ? 86400 : 31 * 86400);
        }
      }
      credentialsUntouched();
    });

    it("disabled, expired and revoked keys are 401 on every surface; re-enabling works at once", async () => {
      const { key, id } = await createKey(h.request, { name: "toggle" });
      const { key: old } = await createKey(h.request, { name: "old", expires_at: "2020-01-01T00:00:00Z" });
      const patch = (body: unknown) =>
        h.request(`/admin/keys/${id}`, {
          method: "PATCH",
          headers: adminHeaders({ "content-type": "application/json" }),
          body: JSON.stringify(body),
        });
      expect((await patch({ disabled: true })).status).toBe(200);
      for (const s of ALL) {
        const res = await call(h.request, s, key, allowed(s));
        expect(res.status, s).toBe(401);
        expect(errorOf(s, res.text).code).toBe(expectedCode(s, "key_disabled"));
        const expired = await call(h.request, s, old, allowed(s));
        expect(expired.status, s).toBe(401);
        expect(errorOf(s, expired.text).code).toBe(expectedCode(s, "key_expired"));
      }
      expect((await patch({ disabled: false })).status).toBe(200);
      expect((await call(h.request, "chat", key)).status).toBe(200);
      expect((await h.request(`/admin/keys/${id}`, { method: "DELETE", headers: adminHeaders() })).status).toBe(200);
      for (const s of ALL) {
        const res = await call(h.request, s, key, allowed(s));
        expect(res.status, s).toBe(401);
        expect(errorOf(s, res.text).code).toBe(expectedCode(s, "invalid_api_key"));
      }
      credentialsUntouched();
    });

    it("static auth_keys keep working, unrestricted", async () => {
      for (const s of ALL) expect((await call(h.request, s, CLIENT_KEY, refused(s))).status, s).toBe(200);
    });

    it("usage: the ledger's client key is the managed key's name; the admin list counts requests and tokens", async () => {
      const { key, id } = await createKey(h.request, { name: "ledger-team" });
      await call(h.request, "chat", key);
      await call(h.request, "gemini", key);
      await h.proxy.usage.flush();
      const rows = await h.proxy.usage.export({ format: "json" });
      const mine = rows.filter((r) => r.client_key === "ledger-team");
      expect(mine.length).toBeGreaterThan(0);
      const view = (await (await h.request(`/admin/keys/${id}`, { headers: adminHeaders() })).json()) as {
        usage: { today: { requests: number; tokens: number }; month: { requests: number; tokens: number } };
        last_used_at: string | null;
      };
      expect(view.usage.today.requests).toBe(2);
      expect(view.usage.today.tokens).toBeGreaterThan(0);
      expect(view.usage.month).toEqual(view.usage.today);
      expect(view.last_used_at).toBeTruthy();
    });
  },
);
