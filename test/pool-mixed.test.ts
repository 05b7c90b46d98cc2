// A mixed pool (OAuth accounts and Gemini API keys) serves both surfaces, fails over across kinds,
// and passes other /v1beta methods through on a pooled key.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHeaders, describeMatrix } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { createPoolHarness, type PoolHarness } from "./pool-setup.ts";

const FLASH = "gemini-2.5-flash";
const chat = (text: string) => JSON.stringify({ model: FLASH, messages: [{ role: "user", content: text }] });
const native = (text: string) => JSON.stringify({ contents: [{ role: "user", parts: [{ text }] }] });
let key = "";

describeMatrix(
  "mixed pool",
  (fake) => {
    fake.addAccount({ email: "mixed@example.com" });
    key = fake.addApiKey();
    return {
      credentials: [fake.simpleCredential("mixed@example.com"), { apiKey: key }],
      pool: { healthCheck: { enabled: false } },
    };
  },
  (h) => {
    const surfacesAfter = (n: number) =>
      h.fake.requests
        .filter((r) => r.action === "generateContent")
        .slice(-n)
        .map((r) => r.surface)
        .sort();

    it("the native surface is served by both kinds in turn", async () => {
      for (let i = 0; i < 2; i++) {
        const res = await h.request(`/v1beta/models/${FLASH}:generateContent`, {
          method: "POST",
          headers: authHeaders(),
          body: native("hi"),
        });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { candidates: unknown[] }).candidates.length).toBeGreaterThan(0);
      }
      expect(surfacesAfter(2)).toEqual(["code-assist", "gemini-api"]);
    });

    it("the OpenAI surface is served by both kinds in turn", async () => {
      for (let i = 0; i < 2; i++) {
        const res = await h.request("/v1/chat/completions", {
          method: "POST",
          headers: authHeaders(),
          body: chat("hi"),
        });
        expect(res.status).toBe(200);
        expect(
          ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content.length,
        ).toBeGreaterThan(0);
      }
      expect(surfacesAfter(2)).toEqual(["code-assist", "gemini-api"]);
    });

    it("a streaming request fails over from a key to the account", async () => {
      h.fake.inject({
        match: { apiKey: key, action: "streamGenerateContent" },
        error: "rate_limit",
        errorOptions: { retryDelaySec: 0.05 },
      });
      for (let i = 0; i < 2; i++) {
        const res = await h.request(`/v1beta/models/${FLASH}:streamGenerateContent?alt=sse`, {
          method: "POST",
          headers: authHeaders(),
          body: native("stream"),
        });
        expect(res.status).toBe(200);
        expect(await res.text()).toMatch(/"text"/);
      }
      const streams = h.fake.find({ action: "streamGenerateContent" }).map((r) => `${r.surface}:${r.status}`);
      expect(streams).toContain("gemini-api:429");
      expect(streams.filter((s) => s.endsWith(":200"))).toHaveLength(2);
    });

    it("embedContent and batchEmbedContents are passed through on the pooled key", async () => {
      const one = await h.request("/v1beta/models/gemini-embedding-001:embedContent", {
        method: "POST",
        headers: authHeaders(),
        body: JSON.stringify({ content: { parts: [{ text: "x" }] } }),
      });
      expect(one.status).toBe(200);
      expect(((await one.json()) as { embedding: { values: number[] } }).embedding.values.length).toBeGreaterThan(0);
      expect(h.fake.last({ action: "embedContent" })?.apiKey).toBe(key);
      const batch = await h.request("/v1beta/models/gemini-embedding-001:batchEmbedContents", {
        method: "POST",
        headers: authHeaders(),
        body: JSON.stringify({
          requests: [
            { model: "models/gemini-embedding-001", content: { parts: [{ text: "a" }] } },
            { model: "models/gemini-embedding-001", content: { parts: [{ text: "b" }] } },
          ],
        }),
      });
      expect(batch.status).toBe(200);
      expect(((await batch.json()) as { embeddings: unknown[] }).embeddings).toHaveLength(2);
    });
  },
);

describe("pool kinds", () => {
  let fake: FakeGoogle;
  let h: PoolHarness;
  beforeAll(async () => {
    fake = await createFakeGoogle();
    h = await createPoolHarness(fake, ["kinds@example.com"]);
  });
  afterAll(async () => {
    await h.close();
    await fake.close();
  });

  it("with only OAuth accounts, key-only methods get a clear 501", async () => {
    expect(h.proxy.pool.hasKind("api_key")).toBe(false);
    const res = await h.proxy.fetch(
      new Request("http://proxy.test/v1beta/models/gemini-embedding-001:batchEmbedContents", {
        method: "POST",
        headers: authHeaders(),
        body: "{}",
      }),
    );
    expect(res.status).toBe(501);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Gemini API key/);
  });

  it("a key added at run time serves them, and a refused key is taken out", async () => {
    const { id } = await h.proxy.pool.add({ apiKey: "AIzaRevokedKey00000000000000000000000" });
    const good = await h.proxy.pool.add({ apiKey: fake.addApiKey(), priority: -1 });
    const res = await h.proxy.fetch(
      new Request("http://proxy.test/v1beta/models/gemini-embedding-001:embedContent", {
        method: "POST",
        headers: authHeaders(),
        body: JSON.stringify({ content: { parts: [{ text: "x" }] } }),
      }),
    );
    expect(res.status).toBe(200);
    expect(h.proxy.pool.get(id)!.state).toMatchObject({
      status: "error",
      reason: expect.stringMatching(/API key not valid/),
    });
    expect(h.proxy.pool.get(good.id)!.state).toMatchObject({ status: "active", usageCount: 1 });
  });
});
