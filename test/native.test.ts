// The native Gemini surface (/v1beta) through both matrix rows: raw HTTP for shapes and errors.
import { describe, expect, it } from "vitest";
import { authHeaders, describeMatrix, waitFor } from "./_setup.ts";

const generateBody = (text: string) => JSON.stringify({ contents: [{ role: "user", parts: [{ text }] }] });

describeMatrix(
  "native surface",
  (fake) => {
    fake.addAccount({ email: "alice@example.com", scenario: "onboarded" });
    return { credentials: [fake.simpleCredential("alice@example.com")] };
  },
  (h) => {
    it("lists models in the Gemini API shape, variants included", async () => {
      const res = await h.request("/v1beta/models", { headers: authHeaders() });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { models: { name: string; supportedGenerationMethods: string[] }[] };
      const names = body.models.map((m) => m.name);
      expect(names).toContain("models/gemini-2.5-pro");
      expect(names).toContain("models/gemini-2.5-pro-search");
      expect(body.models[0]!.supportedGenerationMethods).toContain("generateContent");
    });

    it("gets one model, and 404s an unknown one in Google's shape", async () => {
      const ok = await h.request("/v1beta/models/gemini-2.5-flash", { headers: authHeaders() });
      expect(((await ok.json()) as { name: string }).name).toBe("models/gemini-2.5-flash");
      const missing = await h.request("/v1beta/models/gpt-4", { headers: authHeaders() });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: { code: 404, status: "NOT_FOUND" } });
    });

    it("generates content, unwrapping the Code Assist envelope", async () => {
      const res = await h.request("/v1beta/models/gemini-2.5-flash:generateContent", {
        method: "POST",
        headers: authHeaders(),
        body: generateBody("hello there"),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, any>;
      expect(body.response).toBeUndefined();
      expect(body.candidates[0].content.parts.map((p: { text: string }) => p.text).join("")).toContain("hello there");
      expect(body.usageMetadata.totalTokenCount).toBeGreaterThan(0);
      const upstream = h.fake.requests.filter((r) => r.action === "generateContent").at(-1)!;
      expect(upstream.body).toMatchObject({
        model: "gemini-2.5-flash",
        project: expect.any(String),
        request: { contents: [{ role: "user" }] },
      });
    });

    it("streams SSE with alt=sse", async () => {
      const res = await h.request("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", {
        method: "POST",
        headers: authHeaders(),
        body: generateBody("stream me"),
      });
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      const text = await res.text();
      const events = text
        .split(/\r?\n\r?\n/)
        .filter(Boolean)
        .map((e) => JSON.parse(e.replace(/^data: /, "")));
      expect(events.length).toBeGreaterThan(1);
      expect(
        events
          .map((e) => e.candidates?.[0]?.content?.parts?.map((p: { text?: string }) => p.text ?? "").join("") ?? "")
          .join(""),
      ).toContain("stream me");
      expect(events.at(-1).candidates[0].finishReason).toBe("STOP");
    });

    it("streams a JSON array without alt=sse", async () => {
      const res = await h.request("/v1beta/models/gemini-2.5-flash:streamGenerateContent", {
        method: "POST",
        headers: authHeaders(),
        body: generateBody("array please"),
      });
      expect(res.headers.get("content-type")).toContain("application/json");
      const arr = JSON.parse(await res.text()) as { candidates: { content: { parts: { text: string }[] } }[] }[];
      expect(Array.isArray(arr)).toBe(true);
      expect(arr.map((c) => c.candidates?.[0]?.content?.parts?.[0]?.text ?? "").join("")).toContain("array please");
    });

    it("counts tokens", async () => {
      const res = await h.request("/v1beta/models/gemini-2.5-pro:countTokens", {
        method: "POST",
        headers: authHeaders(),
        body: generateBody("count these words"),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { totalTokens: number }).totalTokens).toBeGreaterThan(0);
    });

    it("applies the -search variant upstream", async () => {
      await h.request("/v1beta/models/gemini-2.5-flash-search:generateContent", {
        method: "POST",
        headers: authHeaders(),
        body: generateBody("news"),
      });
      const upstream = h.fake.requests.filter((r) => r.action === "generateContent").at(-1)!;
      expect(upstream.model).toBe("gemini-2.5-flash");
      expect(JSON.stringify((upstream.body as { request: unknown }).request)).toMatch(/googleSearch/);
    });

    describe("bad input gets a Google-shaped 4xx", () => {
      const cases: [string, string, RequestInit, number][] = [
        ["invalid JSON", "/v1beta/models/gemini-2.5-flash:generateContent", { method: "POST", body: "{not json" }, 400],
        ["empty body", "/v1beta/models/gemini-2.5-flash:generateContent", { method: "POST", body: "" }, 400],
        ["JSON array body", "/v1beta/models/gemini-2.5-flash:generateContent", { method: "POST", body: "[1,2]" }, 400],
        ["missing contents", "/v1beta/models/gemini-2.5-flash:generateContent", { method: "POST", body: "{}" }, 400],
        [
          "empty contents",
          "/v1beta/models/gemini-2.5-flash:generateContent",
          { method: "POST", body: '{"contents":[]}' },
          400,
        ],
        [
          "content without parts",
          "/v1beta/models/gemini-2.5-flash:generateContent",
          { method: "POST", body: '{"contents":[{"role":"user"}]}' },
          400,
        ],
        [
          "bad role",
          "/v1beta/models/gemini-2.5-flash:generateContent",
          { method: "POST", body: '{"contents":[{"role":"wizard","parts":[{"text":"x"}]}]}' },
          400,
        ],
        [
          "generationConfig not an object",
          "/v1beta/models/gemini-2.5-flash:generateContent",
          { method: "POST", body: '{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":5}' },
          400,
        ],
        [
          "unknown model",
          "/v1beta/models/not-a-model:generateContent",
          { method: "POST", body: generateBody("x") },
          404,
        ],
        ["unknown action", "/v1beta/models/gemini-2.5-flash:explode", { method: "POST", body: generateBody("x") }, 404],
        ["unknown path", "/v1beta/tunedModels/x", { method: "GET" }, 404],
        [
          "countTokens without contents",
          "/v1beta/models/gemini-2.5-flash:countTokens",
          { method: "POST", body: '{"foo":1}' },
          400,
        ],
      ];
      for (const [name, path, init, status] of cases) {
        it(name, async () => {
          const res = await h.request(path, { ...init, headers: authHeaders() });
          expect(res.status).toBe(status);
          const body = (await res.json()) as { error: { code: number; message: string; status: string } };
          expect(body.error.code).toBe(status);
          expect(body.error.status).toMatch(/^[A-Z_]+$/);
          expect(body.error.message.length).toBeGreaterThan(5);
        });
      }

      it("oversized body → 413", async () => {
        const huge = JSON.stringify({ contents: [{ role: "user", parts: [{ text: "x".repeat(40 * 1024 * 1024) }] }] });
        const res = await h.request("/v1beta/models/gemini-2.5-flash:generateContent", {
          method: "POST",
          headers: authHeaders(),
          body: huge,
        });
        expect(res.status).toBe(413);
        expect(await res.json()).toMatchObject({ error: { code: 413 } });
      });
    });

    it("embedContent with only OAuth accounts → 501 explaining why", async () => {
      const res = await h.request("/v1beta/models/gemini-embedding-001:embedContent", {
        method: "POST",
        headers: authHeaders(),
        body: JSON.stringify({ content: { parts: [{ text: "x" }] } }),
      });
      expect(res.status).toBe(501);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/API key/);
    });

    it("maps an upstream quota error to a 429 with retry-after", async () => {
      h.fake.inject({ match: { action: "generateContent" }, error: "quota_exhausted", times: 1 });
      const res = await h.request("/v1beta/models/gemini-2.5-pro:generateContent", {
        method: "POST",
        headers: authHeaders(),
        body: generateBody("x"),
      });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await res.json()).toMatchObject({ error: { code: 429, status: "RESOURCE_EXHAUSTED" } });
      await h.proxy.pool.clearCooldown(h.proxy.pool.list()[0]!.id);
    });

    it("cancelling the body while Google is silent cancels the upstream stream too", async () => {
      h.fake.reset();
      h.fake.inject({
        match: { action: "streamGenerateContent" },
        stream: { text: "abcdefgh", deltaChars: 2, hangAfterEvents: 1 },
      });
      const res = await h.request("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", {
        method: "POST",
        headers: authHeaders(),
        body: generateBody("hang"),
      });
      const reader = res.body!.getReader();
      await reader.read();
      await reader.cancel();
      await waitFor(() => h.fake.requests.some((r) => r.action === "streamGenerateContent" && r.aborted === true));
      expect(h.fake.requests.find((r) => r.action === "streamGenerateContent")!.aborted).toBe(true);
    });

    it("a client abort cancels the upstream stream", async () => {
      h.fake.reset();
      h.fake.inject({
        match: { action: "streamGenerateContent" },
        stream: { text: "x".repeat(400), deltaChars: 5, chunkDelayMs: 50 },
      });
      const ac = new AbortController();
      const res = await h.request("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", {
        method: "POST",
        headers: authHeaders(),
        body: generateBody("slow"),
        signal: ac.signal,
      });
      const reader = res.body!.getReader();
      await reader.read();
      ac.abort();
      await reader.cancel().catch(() => {});
      await waitFor(() => h.fake.requests.some((r) => r.action === "streamGenerateContent" && r.aborted === true));
      expect(h.fake.requests.find((r) => r.action === "streamGenerateContent")!.aborted).toBe(true);
    });
  },
);
