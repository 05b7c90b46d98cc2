// The official @anthropic-ai/sdk against a real proxy server and the fake Google: messages.create,
// messages.stream + finalMessage(), a Gemini 3 tool round trip with thinking (the fake validates the
// thought signatures), count_tokens, Claude model names, and errors in Anthropic's shape.
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";
import type { RequestRecord } from "../src/usage/record.ts";
import { CLIENT_KEY, listen, proxyOptionsFor, waitFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { PNG } from "./_openai-helpers.ts";

let fake: FakeGoogle;
let proxy: GeminiProxy;
let client: Anthropic;
/** A second instance with its own storage: only the thinking block can carry a signature to it. */
let other: Anthropic;
let url: string;
const ended: RequestRecord[] = [];
const closers: (() => Promise<void>)[] = [];

const WEATHER: Anthropic.Tool = {
  name: "get_weather",
  description: "Weather for a city",
  input_schema: {
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
    additionalProperties: false,
  },
};
const TIME: Anthropic.Tool = {
  name: "get_time",
  input_schema: { type: "object", properties: { zone: { type: "string" } }, required: ["zone"] },
};
const upstream = (action = "generateContent") =>
  (fake.last({ action })!.body as { request: Record<string, any> }).request;

beforeAll(async () => {
  fake = await createFakeGoogle();
  fake.addAccount({ email: "claude@example.com", scenario: "onboarded" });
  proxy = createGeminiProxy(
    proxyOptionsFor(fake, {
      credentials: [fake.simpleCredential("claude@example.com")],
      pool: { maxAttempts: 1, waitForCooldownMs: 0 },
      anthropic: { modelMap: { "claude-opus-4-1": "gemini-3-pro-preview" } },
      hooks: { onRequestEnd: [(r) => void ended.push(r)] },
    }),
  );
  const server = await listen(proxy.node);
  url = server.url;
  closers.push(
    server.close,
    () => proxy.close(),
    () => fake.close(),
  );
  // Claude Code's way: ANTHROPIC_BASE_URL without /v1, the key as x-api-key.
  client = new Anthropic({ baseURL: url, apiKey: CLIENT_KEY, maxRetries: 0 });
  const second = createGeminiProxy(
    proxyOptionsFor(fake, { credentials: [fake.simpleCredential("claude@example.com")] }),
  );
  const secondServer = await listen(second.node);
  closers.push(secondServer.close, () => second.close());
  other = new Anthropic({ baseURL: secondServer.url, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterAll(async () => {
  for (const close of closers) await close();
});
afterEach(async () => {
  fake.clearFaults();
  for (const c of proxy.pool.list()) await proxy.pool.clearCooldown(c.id);
});

describe("anthropic SDK: messages", () => {
  it("messages.create: text, stop reason, usage, system prompt", async () => {
    const msg = await client.messages.create({
      model: "gemini-2.5-flash",
      max_tokens: 256,
      system: [{ type: "text", text: "Be brief." }],
      messages: [{ role: "user", content: "hello claude sdk" }],
    });
    expect(msg.type).toBe("message");
    expect(msg.role).toBe("assistant");
    expect(msg.id).toMatch(/^msg_/);
    expect(msg.model).toBe("gemini-2.5-flash");
    expect(msg.content).toEqual([
      { type: "text", text: "[system: Be brief.] Echo from gemini-2.5-flash: hello claude sdk" },
    ]);
    expect(msg.stop_reason).toBe("end_turn");
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
    expect(msg.usage.output_tokens).toBeGreaterThan(0);
    expect(upstream().systemInstruction).toEqual({ parts: [{ text: "Be brief." }] });
    expect(upstream().generationConfig).toMatchObject({ maxOutputTokens: 256 });
  });

  it("messages.stream: finalMessage() and the text events", async () => {
    const stream = client.messages.stream({
      model: "gemini-2.5-flash",
      max_tokens: 128,
      messages: [{ role: "user", content: "stream me" }],
    });
    let text = "";
    stream.on("text", (delta) => (text += delta));
    const final = await stream.finalMessage();
    expect(text).toBe("Echo from gemini-2.5-flash: stream me");
    expect(final.content).toEqual([{ type: "text", text }]);
    expect(final.stop_reason).toBe("end_turn");
    expect(final.usage.input_tokens).toBeGreaterThan(0);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it("Claude model names map to Gemini models (modelMap, the haiku default, defaultModel)", async () => {
    const cases: [string, string][] = [
      ["claude-opus-4-1", "gemini-3-pro-preview"],
      ["claude-3-5-haiku-20241022", "gemini-2.5-flash"],
      ["claude-sonnet-4-5", "gemini-2.5-pro"],
    ];
    for (const [name, gemini] of cases) {
      const msg = await client.messages.create({
        model: name,
        max_tokens: 64,
        messages: [{ role: "user", content: "who" }],
      });
      expect(msg.model).toBe(name);
      expect((msg.content[0] as Anthropic.TextBlock).text).toBe(`Echo from ${gemini}: who`);
    }
    await waitFor(() => ended.some((r) => r.surface === "anthropic" && r.model === "gemini-3-pro-preview"));
  });

  it("images and documents reach Gemini as inline data", async () => {
    const pdf = Buffer.from("%PDF-1.4 fake").toString("base64");
    await client.messages.create({
      model: "gemini-2.5-flash",
      max_tokens: 64,
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG.toString("base64") } },
            { type: "document", source: { type: "base64", media_type: "application/pdf", data: pdf } },
            {
              type: "document",
              source: { type: "text", media_type: "text/plain", data: "plain notes" },
              title: "Notes",
            },
            { type: "text", text: "describe" },
          ],
        },
      ],
    });
    expect(upstream().contents[0].parts).toEqual([
      { inlineData: { mimeType: "image/png", data: PNG.toString("base64") } },
      { inlineData: { mimeType: "application/pdf", data: pdf } },
      { text: "Notes\n\nplain notes" },
      { text: "describe" },
    ]);
  });

  it("count_tokens (also with ?beta=true, as Claude Code calls it)", async () => {
    const res = await client.messages.countTokens({
      model: "claude-sonnet-4-5",
      system: "sys",
      tools: [WEATHER],
      messages: [{ role: "user", content: "count these words please" }],
    });
    expect(res.input_tokens).toBeGreaterThan(0);
    const counted = fake.last({ action: "countTokens" })!.body as {
      request: { contents: { parts: { text: string }[] }[] };
    };
    expect(counted.request.contents[0]!.parts[0]!.text).toContain("get_weather");
    const beta = await client.beta.messages.countTokens({
      model: "gemini-2.5-flash",
      messages: [{ role: "user", content: "count" }],
    });
    expect(beta.input_tokens).toBeGreaterThan(0);
    expect(fake.last({ action: "countTokens" })).toBeDefined();
  });

  it("beta.messages.create goes to /v1/messages?beta=true", async () => {
    const msg = await client.beta.messages.create({
      model: "gemini-2.5-flash",
      max_tokens: 64,
      messages: [{ role: "user", content: "beta" }],
    });
    expect((msg.content[0] as Anthropic.TextBlock).text).toBe("Echo from gemini-2.5-flash: beta");
  });
});

describe("anthropic SDK: tools and thinking", () => {
  it("tool_use with input, stop_reason tool_use, tool_choice any → Gemini ANY", async () => {
    const msg = await client.messages.create({
      model: "gemini-2.5-flash",
      max_tokens: 256,
      tools: [WEATHER, TIME],
      tool_choice: { type: "any" },
      messages: [{ role: "user", content: "call:get_weather,get_time" }],
    });
    expect(msg.stop_reason).toBe("tool_use");
    const uses = msg.content.filter((b): b is Anthropic.ToolUseBlock => b.type === "tool_use");
    expect(uses.map((u) => u.name)).toEqual(["get_weather", "get_time"]);
    expect(uses.every((u) => u.id.startsWith("toolu_"))).toBe(true);
    expect(uses[0]!.input).toHaveProperty("city");
    expect(upstream().toolConfig).toEqual({ functionCallingConfig: { mode: "ANY" } });
    expect(upstream().tools[0].functionDeclarations[0]).toMatchObject({
      name: "get_weather",
      parametersJsonSchema: { type: "object", required: ["city"] },
    });
  });

  for (const streamed of [false, true]) {
    it(`Gemini 3 round trip with thinking: the signature travels in the thinking block (${streamed ? "stream" : "create"})`, async () => {
      const params = {
        model: "gemini-3-pro-preview",
        max_tokens: 4096,
        thinking: { type: "enabled" as const, budget_tokens: 2048 },
        tools: [WEATHER],
      };
      const first: Anthropic.MessageParam = { role: "user", content: "call:get_weather" };
      const msg = streamed
        ? await client.messages.stream({ ...params, messages: [first] }).finalMessage()
        : await client.messages.create({ ...params, messages: [first] });
      expect(msg.stop_reason).toBe("tool_use");
      expect(msg.content.map((b) => b.type)).toEqual(["thinking", "tool_use"]);
      const thinking = msg.content[0] as Anthropic.ThinkingBlock;
      expect(thinking.thinking).toContain("Considering the request");
      expect(fake.signatureIssued(thinking.signature)).toBe(true);
      expect(upstream(streamed ? "streamGenerateContent" : "generateContent").generationConfig.thinkingConfig).toEqual({
        includeThoughts: true,
        thinkingLevel: "low",
      });
      const use = msg.content[1] as Anthropic.ToolUseBlock;

      // Answered by the other instance: the signature can only come from the replayed thinking block.
      const reply = await other.messages.create({
        ...params,
        messages: [
          first,
          { role: "assistant", content: msg.content },
          { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: '{"temp": 21}' }] },
        ],
      });
      expect(reply.stop_reason).toBe("end_turn");
      const text = reply.content.find((b): b is Anthropic.TextBlock => b.type === "text")!.text;
      expect(text).toContain('Tool results: [{"name":"get_weather","response":{"temp":21}}]');
      const sent = upstream().contents;
      expect(sent[1].parts[0]).toMatchObject({
        functionCall: { name: "get_weather" },
        thoughtSignature: thinking.signature,
      });
      expect(sent[1].parts.some((p: { thought?: boolean }) => p.thought)).toBe(false); // thoughts are not replayed
      expect(sent[2].parts[0]).toEqual({ functionResponse: { name: "get_weather", response: { temp: 21 } } });
    });
  }

  it("a client that drops thinking blocks: the server-side store supplies the signature", async () => {
    const params = { model: "gemini-3-pro-preview", max_tokens: 1024, tools: [WEATHER] };
    const first: Anthropic.MessageParam = { role: "user", content: "call:get_weather" };
    const msg = await client.messages.create({ ...params, messages: [first] });
    expect(msg.content.map((b) => b.type)).toEqual(["tool_use"]); // thinking not enabled: no thinking block
    const use = msg.content[0] as Anthropic.ToolUseBlock;
    const reply = await client.messages.create({
      ...params,
      messages: [
        first,
        { role: "assistant", content: [use] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "sunny", is_error: false }] },
      ],
    });
    expect(reply.stop_reason).toBe("end_turn");
    const sig = upstream().contents[1].parts[0].thoughtSignature as string;
    expect(fake.signatureIssued(sig)).toBe(true);
  });

  it("tool_result errors and images reach Gemini", async () => {
    const msg = await client.messages.create({
      model: "gemini-2.5-flash",
      max_tokens: 256,
      tools: [WEATHER],
      messages: [{ role: "user", content: "call:get_weather" }],
    });
    const use = msg.content.find((b): b is Anthropic.ToolUseBlock => b.type === "tool_use")!;
    await client.messages.create({
      model: "gemini-2.5-flash",
      max_tokens: 256,
      tools: [WEATHER],
      messages: [
        { role: "user", content: "call:get_weather" },
        { role: "assistant", content: msg.content },
        {
          role: "user",
          content: [
            {
              type: "tool_result",
              tool_use_id: use.id,
              is_error: true,
              content: [
                { type: "text", text: "city unknown" },
                { type: "image", source: { type: "base64", media_type: "image/png", data: PNG.toString("base64") } },
              ],
            },
          ],
        },
      ],
    });
    expect(upstream().contents[2].parts).toEqual([
      { functionResponse: { name: "get_weather", response: { error: "city unknown" } } },
      { inlineData: { mimeType: "image/png", data: PNG.toString("base64") } },
      { text: "" },
    ]);
  });
});

describe("anthropic SDK: errors", () => {
  it("a wrong key is a 401 authentication_error", async () => {
    const bad = new Anthropic({ baseURL: url, apiKey: "nope", maxRetries: 0 });
    const error = await bad.messages
      .create({ model: "gemini-2.5-flash", max_tokens: 8, messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toEqual({
      type: "error",
      error: { type: "authentication_error", message: "Invalid API key" },
    });
  });

  it("Google's capacity error is 529 overloaded_error", async () => {
    fake.inject({ error: "capacity", times: 1 });
    const error = await client.messages
      .create({ model: "gemini-2.5-flash", max_tokens: 8, messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: "error",
      error: { type: "overloaded_error" },
    });
  });

  it("a rate limit is 429 rate_limit_error with retry-after", async () => {
    fake.inject({ error: "rate_limit", times: 1, errorOptions: { retryDelaySec: 7 } });
    const error = (await client.messages
      .create({ model: "gemini-2.5-flash", max_tokens: 8, messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.error).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
    expect(Number(error.headers?.get("retry-after"))).toBeGreaterThan(0);
  });

  it("a stream failing after its start ends with an error event the SDK raises", async () => {
    fake.inject({ stream: { closeAfterEvents: 2, deltaChars: 3 } });
    const stream = client.messages.stream({
      model: "gemini-2.5-flash",
      max_tokens: 64,
      messages: [{ role: "user", content: "a long enough answer to split" }],
    });
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
  });

  it("unknown models are 404 not_found_error; bad input is 400 invalid_request_error", async () => {
    const notFound = await client.messages
      .create({ model: "gpt-4o", max_tokens: 8, messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(Anthropic.NotFoundError);
    const bad = await client.messages
      .create({ model: "gemini-2.5-flash", max_tokens: 8, messages: [] })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect((bad as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error" },
    });
  });
});
