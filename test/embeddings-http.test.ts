// Embeddings over raw HTTP, through proxy.fetch and a real node:http server: /v1/embeddings and the
// native embedContent / batchEmbedContents on pooled API keys, the malformed-input corpus (OpenAI 4xx,
// never a 5xx), and the 501 of a pool with only OAuth accounts, in each surface's own shape.
import { expect, it } from "vitest";
import { authHeaders, describeMatrix } from "./_setup.ts";
import { embed } from "./fake-google/embed.ts";

const CORPUS: [string, unknown, number, string | null][] = [
  ["not JSON", "{x", 400, null],
  ["an array", [1], 400, null],
  ["missing model", { input: "x" }, 400, "model"],
  ["missing input", { model: "gemini-embedding-001" }, 400, "input"],
  ["empty input list", { model: "gemini-embedding-001", input: [] }, 400, "input"],
  ["empty string", { model: "gemini-embedding-001", input: "" }, 400, "input"],
  ["a number among strings", { model: "gemini-embedding-001", input: ["a", 3] }, 400, "input"],
  ["token arrays", { model: "gemini-embedding-001", input: [[1, 2, 3]] }, 400, "input"],
  ["an object input", { model: "gemini-embedding-001", input: [{ text: "a" }] }, 400, "input[0]"],
  ["unknown encoding", { model: "gemini-embedding-001", input: "a", encoding_format: "hex" }, 400, "encoding_format"],
  ["dimensions 0", { model: "gemini-embedding-001", input: "a", dimensions: 0 }, 400, "dimensions"],
  ["dimensions as a string", { model: "gemini-embedding-001", input: "a", dimensions: "8" }, 400, "dimensions"],
];

const post = (request: (path: string, init?: RequestInit) => Promise<Response>, body: unknown) =>
  request("/v1/embeddings", {
    method: "POST",
    headers: authHeaders(),
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const native = (request: (path: string, init?: RequestInit) => Promise<Response>, action: string, body: unknown) =>
  request(`/v1beta/models/gemini-embedding-001:${action}`, {
    method: "POST",
    headers: authHeaders(),
    body: JSON.stringify(body),
  });

describeMatrix(
  "embeddings with API keys",
  (fake) => ({ geminiApiKeys: [fake.addApiKey("AIza-matrix-key")], pool: { maxAttempts: 1, waitForCooldownMs: 0 } }),
  (h) => {
    it("POST /v1/embeddings and /embeddings answer Gemini's vectors", async () => {
      for (const path of ["/v1/embeddings", "/embeddings"]) {
        const res = await h.request(path, {
          method: "POST",
          headers: authHeaders(),
          body: JSON.stringify({ model: "models/gemini-embedding-001", input: "matrix" }),
        });
        expect(res.status).toBe(200);
        const body = (await res.json()) as {
          data: { object: string; index: number; embedding: number[] }[];
          usage: { prompt_tokens: number; total_tokens: number };
        };
        expect(body.data).toEqual([
          { object: "embedding", index: 0, embedding: embed("gemini-embedding-001", "matrix") },
        ]);
        expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens);
      }
    });

    it("native embedContent and batchEmbedContents pass through on the pooled key", async () => {
      const one = await native(h.request, "embedContent", { content: { parts: [{ text: "native" }] } });
      expect(((await one.json()) as { embedding: { values: number[] } }).embedding.values).toEqual(
        embed("gemini-embedding-001", "native"),
      );
      expect(h.fake.last({ action: "embedContent" })!.apiKey).toBe("AIza-matrix-key");
      const batch = await native(h.request, "batchEmbedContents", {
        requests: [
          { model: "models/gemini-embedding-001", content: { parts: [{ text: "x" }] }, outputDimensionality: 4 },
        ],
      });
      expect(((await batch.json()) as { embeddings: { values: number[] }[] }).embeddings[0]!.values).toHaveLength(4);
    });

    it("Google's errors keep their status in OpenAI's shape (upstream 400, unknown model 404)", async () => {
      h.fake.inject({ match: { action: "batchEmbedContents" }, error: "invalid_argument", times: 1 });
      const bad = await post(h.request, { model: "gemini-embedding-001", input: "x" });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { type: "invalid_request_error" } });
      const missing = await post(h.request, { model: "no-such-embedder", input: "x" });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: { code: "model_not_found" } });
    });

    it("the malformed-input corpus is answered with OpenAI-shaped 4xx", async () => {
      for (const [name, body, status, param] of CORPUS) {
        const res = await post(h.request, body);
        expect({ name, status: res.status }).toEqual({ name, status });
        const json = (await res.json()) as { error: { type: string; param: string | null } };
        expect(json.error.type, name).toBe("invalid_request_error");
        if (param) expect(json.error.param, name).toBe(param);
      }
    });
  },
);

describeMatrix(
  "embeddings with only OAuth accounts",
  (fake) => {
    fake.addAccount({ email: "no-keys@example.com" });
    return { credentials: [fake.simpleCredential("no-keys@example.com")] };
  },
  (h) => {
    it("/v1/embeddings: 501 unsupported_endpoint saying why; malformed input is still a 400", async () => {
      const res = await post(h.request, { model: "gemini-embedding-001", input: "x" });
      expect(res.status).toBe(501);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("unsupported_endpoint");
      expect(body.error.message).toMatch(/Gemini API key.*Code Assist.*cannot embed/);
      expect((await post(h.request, { model: "gemini-embedding-001", input: [] })).status).toBe(400);
    });

    it("native embedContent: 501 in Google's shape", async () => {
      const res = await native(h.request, "embedContent", { content: { parts: [{ text: "x" }] } });
      expect(res.status).toBe(501);
      const body = (await res.json()) as { error: { code: number; message: string } };
      expect(body.error.code).toBe(501);
      expect(body.error.message).toMatch(/API key.*Code Assist accounts cannot/);
      expect(h.fake.count({ action: "embedContent" })).toBe(0);
    });
  },
);
