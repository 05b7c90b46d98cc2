// Accounts that wait for a human (403 VALIDATION_REQUIRED, SERVICE_DISABLED, SUBSCRIPTION_REQUIRED)
// are a permission problem, not a server error: every surface answers 403 in its own shape with
// Google's reason and the fix-it link, on the request that met Google's 403 and on every later one
// (when only the pool's stored state knows why), so SDKs stop retrying and the human gets the link.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";
import { authHeaders, listen, proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

const VERIFY = /https:\/\/accounts\.google\.com\/signin\/continue/;
const ACTIVATE = /apis\/api\/cloudaicompanion\.googleapis\.com/;

let fake: FakeGoogle;
let oauth: { proxy: GeminiProxy; url: string; close: () => Promise<void> };
let keyed: { proxy: GeminiProxy; url: string; close: () => Promise<void> };

async function start(options: Parameters<typeof proxyOptionsFor>[1]) {
  const proxy = createGeminiProxy(proxyOptionsFor(fake, options));
  await proxy.ready();
  const server = await listen(proxy.node);
  return { proxy, url: server.url, close: async () => (await server.close(), await proxy.close()) };
}

beforeAll(async () => {
  fake = await createFakeGoogle();
  fake.addAccount({ email: "verify@example.com", scenario: "onboarded" });
  oauth = await start({
    credentials: [fake.simpleCredential("verify@example.com")],
    pool: { maxAttempts: 2, waitForCooldownMs: 0 },
  });
  keyed = await start({
    geminiApiKeys: [fake.addApiKey("AIza-disabled")],
    pool: { maxAttempts: 2, waitForCooldownMs: 0 },
  });
  fake.inject({ match: { email: "verify@example.com" }, error: "validation_required" });
  fake.inject({ match: { apiKey: "AIza-disabled", action: "batchEmbedContents" }, error: "service_disabled" });
});
afterAll(async () => {
  await oauth?.close();
  await keyed?.close();
  await fake?.close();
});

const post = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: "POST", headers: authHeaders(headers), body: JSON.stringify(body) });
const chat = { model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }] };

describe("an account that needs verification", () => {
  it("chat: 403 permission_error with the link, on the first request and on the next (pool state)", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await post(oauth.url, "/v1/chat/completions", chat);
      expect(res.status).toBe(403);
      const body = (await res.json()) as { error: Record<string, string> };
      expect(body.error).toMatchObject({ type: "permission_error", code: "validation_required" });
      expect(body.error.message).toMatch(VERIFY);
    }
    expect(oauth.proxy.pool.list()[0]!.state.status).toBe("needs_verification");
  });

  it("streamed chat: the same 403 before any byte (SDKs must not retry it as a 5xx)", async () => {
    const res = await post(oauth.url, "/v1/chat/completions", { ...chat, stream: true });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(VERIFY);
  });

  it("Anthropic: 403 permission_error with details.error_code and the link", async () => {
    const res = await post(oauth.url, "/v1/messages", { ...chat, max_tokens: 16 });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { type: string; error: Record<string, any> };
    expect(body.type).toBe("error");
    expect(body.error).toMatchObject({
      type: "permission_error",
      details: { error_code: "validation_required", link: expect.stringMatching(VERIFY) },
    });
    expect(body.error.message).toMatch(VERIFY);
  });

  it("Responses: 403 permission_error", async () => {
    const res = await post(oauth.url, "/v1/responses", { model: "gemini-2.5-flash", input: "hi" });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: Record<string, string> }).error).toMatchObject({
      type: "permission_error",
      message: expect.stringMatching(VERIFY),
    });
  });

  it("native: 403 PERMISSION_DENIED with a Help link in the details", async () => {
    const res = await post(oauth.url, "/v1beta/models/gemini-2.5-flash:generateContent", {
      contents: [{ role: "user", parts: [{ text: "hi" }] }],
    });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { status: string; message: string; details: any[] } };
    expect(body.error.status).toBe("PERMISSION_DENIED");
    expect(body.error.message).toMatch(VERIFY);
    expect(body.error.details).toContainEqual(
      expect.objectContaining({ links: [expect.objectContaining({ url: expect.stringMatching(VERIFY) })] }),
    );
  });
});

describe("an API key whose project has the API disabled", () => {
  it("embeddings and chat: 403 with the activation link, also once the key is marked ineligible", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await post(keyed.url, "/v1/embeddings", { model: "text-embedding-3-small", input: "hi" });
      expect(res.status).toBe(403);
      const body = (await res.json()) as { error: Record<string, string> };
      expect(body.error).toMatchObject({ type: "permission_error", code: "service_disabled" });
      expect(body.error.message).toMatch(ACTIVATE);
    }
    const res = await post(keyed.url, "/v1/chat/completions", chat);
    expect(res.status).toBe(403);
    expect(keyed.proxy.pool.list()[0]!.state.status).toBe("ineligible");
  });
});
