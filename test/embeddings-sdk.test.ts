// Embeddings through pooled Gemini API keys: the openai SDK's embeddings.create (base64 by default,
// which it decodes; float on request), dimensions, large batches, fail-over between keys, the usage
// record, the native embedContent / batchEmbedContents pass-through, and the 501 that explains why a
// pool of only OAuth accounts cannot embed.
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";
import type { RequestRecord } from "../src/usage/record.ts";
import { authHeaders, CLIENT_KEY, listen, proxyOptionsFor, waitFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { embed } from "./fake-google/embed.ts";

let fake: FakeGoogle;
let withKeys: GeminiProxy;
let oauthOnly: GeminiProxy;
let client: OpenAI;
let oauthClient: OpenAI;
let keyA: string;
let keyB: string;
let url: string;
let oauthUrl: string;
const ended: RequestRecord[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  fake = await createFakeGoogle();
  fake.addAccount({ email: "embed@example.com" });
  keyA = fake.addApiKey("AIza-embed-key-a");
  keyB = fake.addApiKey("AIza-embed-key-b");
  withKeys = createGeminiProxy(
    proxyOptionsFor(fake, {
      geminiApiKeys: [keyA, keyB],
      pool: { maxAttempts: 2, waitForCooldownMs: 0 },
      hooks: { onRequestEnd: [(r) => void ended.push(r)] },
    }),
  );
  oauthOnly = createGeminiProxy(proxyOptionsFor(fake, { credentials: [fake.simpleCredential("embed@example.com")] }));
  const [a, b] = await Promise.all([listen(withKeys.node), listen(oauthOnly.node)]);
  url = a!.url;
  oauthUrl = b!.url;
  closers.push(
    a!.close,
    b!.close,
    () => withKeys.close(),
    () => oauthOnly.close(),
    () => fake.close(),
  );
  client = new OpenAI({ baseURL: `${url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
  oauthClient = new OpenAI({ baseURL: `${oauthUrl}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterAll(async () => {
  for (const close of closers) await close();
});
afterEach(async () => {
  fake.clearFaults();
  for (const c of withKeys.pool.list()) await withKeys.pool.clearCooldown(c.id);
});

const closeTo = (actual: number[], expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
};

describe("openai SDK: embeddings", () => {
  it("embeddings.create (the SDK asks for base64 and decodes it) gives Gemini's vectors", async () => {
    const res = await client.embeddings.create({ model: "gemini-embedding-001", input: ["alpha", "beta"] });
    expect(fake.last({ action: "batchEmbedContents" })!.body).toMatchObject({
      requests: [
        { model: "models/gemini-embedding-001", content: { parts: [{ text: "alpha" }] } },
        { content: { parts: [{ text: "beta" }] } },
      ],
    });
    expect(res.object).toBe("list");
    expect(res.model).toBe("gemini-embedding-001");
    expect(res.data.map((d) => d.index)).toEqual([0, 1]);
    closeTo(res.data[0]!.embedding, embed("gemini-embedding-001", "alpha"));
    closeTo(res.data[1]!.embedding, embed("gemini-embedding-001", "beta"));
    expect(res.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it("base64 on the wire is little-endian float32; float when asked", async () => {
    const raw = await fetch(`${url}/v1/embeddings`, {
      method: "POST",
      headers: authHeaders(),
      body: JSON.stringify({ model: "text-embedding-3-small", input: "gamma", encoding_format: "base64" }),
    });
    const body = (await raw.json()) as { data: { embedding: string }[]; model: string };
    expect(body.model).toBe("text-embedding-3-small"); // OpenAI names map to the default Gemini model
    const bytes = Buffer.from(body.data[0]!.embedding, "base64");
    const floats = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    closeTo(floats, embed("gemini-embedding-001", "gamma"));
    const float = await client.embeddings.create({
      model: "gemini-embedding-001",
      input: "gamma",
      encoding_format: "float",
    });
    expect(float.data[0]!.embedding).toEqual(embed("gemini-embedding-001", "gamma"));
  });

  it("dimensions → outputDimensionality", async () => {
    const res = await client.embeddings.create({ model: "gemini-embedding-001", input: "short", dimensions: 8 });
    expect(res.data[0]!.embedding).toHaveLength(8);
    expect(fake.last({ action: "batchEmbedContents" })!.body).toMatchObject({
      requests: [{ outputDimensionality: 8 }],
    });
  });

  it("more inputs than one Gemini batch: split, answered in order", async () => {
    const before = fake.count({ action: "batchEmbedContents" });
    const input = Array.from({ length: 230 }, (_, i) => `text ${i}`);
    const res = await client.embeddings.create({ model: "gemini-embedding-001", input, encoding_format: "float" });
    expect(fake.count({ action: "batchEmbedContents" }) - before).toBe(3);
    expect(res.data).toHaveLength(230);
    expect(res.data[229]!.embedding).toEqual(embed("gemini-embedding-001", "text 229"));
  });

  it("fails over to the other key and records the request", async () => {
    fake.inject({ match: { action: "batchEmbedContents" }, error: "rate_limit", times: 1 });
    const res = await client.embeddings.create({
      model: "gemini-embedding-001",
      input: "failover",
      encoding_format: "float",
    });
    expect(res.data[0]!.embedding).toEqual(embed("gemini-embedding-001", "failover"));
    await waitFor(() => ended.some((r) => r.surface === "embeddings" && r.attempts.length === 2 && r.status === 200));
    const [first, second] = fake.find({ action: "batchEmbedContents" }).slice(-2);
    expect(first!.status).toBe(429);
    expect(second!.apiKey).not.toBe(first!.apiKey);
    const record = ended.find((r) => r.surface === "embeddings" && r.attempts.length === 2)!;
    expect(record.model).toBe("gemini-embedding-001");
    expect(record.usage!.prompt).toBeGreaterThan(0);
    expect(record.credentialId).toMatch(/^key-/);
  });

  it("with only OAuth accounts: 501 explaining why", async () => {
    const error = await oauthClient.embeddings
      .create({ model: "gemini-embedding-001", input: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 501, code: "unsupported_endpoint" });
    expect((error as Error).message).toMatch(/Gemini API key.*Code Assist.*cannot embed/);
  });
});
