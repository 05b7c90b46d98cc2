// The official `openai` npm SDK (6.x) against a real proxy server and the fake Google.
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";
import { CLIENT_KEY, listen, proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { PNG, PNG_DATA_URI, startMediaServer } from "./_openai-helpers.ts";

let fake: FakeGoogle;
let proxy: GeminiProxy;
let guarded: GeminiProxy;
let client: OpenAI;
let guardedClient: OpenAI;
let media: Awaited<ReturnType<typeof startMediaServer>>;
const closers: (() => Promise<void>)[] = [];

const TOOLS: OpenAI.Chat.ChatCompletionTool[] = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Weather for a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    },
  },
  {
    type: "function",
    function: {
      name: "get_time",
      parameters: { type: "object", properties: { zone: { type: "string" } }, required: ["zone"] },
    },
  },
];
const user = (
  content: OpenAI.Chat.ChatCompletionUserMessageParam["content"],
): OpenAI.Chat.ChatCompletionMessageParam => ({ role: "user", content });
const upstream = (action = "generateContent") =>
  (fake.last({ action })!.body as { request: Record<string, any> }).request;

beforeAll(async () => {
  fake = await createFakeGoogle();
  fake.addAccount({ email: "sdk@example.com", scenario: "onboarded" });
  const credentials = [fake.simpleCredential("sdk@example.com")];
  proxy = createGeminiProxy(
    proxyOptionsFor(fake, { credentials, allowPrivateMediaUrls: true, pool: { maxAttempts: 1, waitForCooldownMs: 0 } }),
  );
  guarded = createGeminiProxy(proxyOptionsFor(fake, { credentials }));
  const a = await listen(proxy.node);
  const b = await listen(guarded.node);
  media = await startMediaServer();
  closers.push(
    a.close,
    b.close,
    media.close,
    () => proxy.close(),
    () => guarded.close(),
    () => fake.close(),
  );
  client = new OpenAI({ baseURL: `${a.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
  guardedClient = new OpenAI({ baseURL: `${b.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterAll(async () => {
  for (const close of closers) await close();
});
afterEach(async () => {
  fake.clearFaults();
  for (const c of proxy.pool.list()) {
    await proxy.pool.enable(c.id);
    await proxy.pool.clearCooldown(c.id);
  }
});

describe("openai SDK: chat", () => {
  it("plain chat", async () => {
    const res = await client.chat.completions.create({ model: "gemini-2.5-flash", messages: [user("hello sdk")] });
    expect(res.object).toBe("chat.completion");
    expect(res.choices[0]!.message.content).toBe("Echo from gemini-2.5-flash: hello sdk");
    expect(res.choices[0]!.finish_reason).toBe("stop");
    expect(res.usage!.total_tokens).toBeGreaterThan(0);
  });

  it("streamed chat: one role, one finish, text assembled", async () => {
    const stream = await client.chat.completions.create({
      model: "gemini-2.5-flash",
      messages: [user("stream sdk")],
      stream: true,
    });
    let text = "";
    const finishes: string[] = [];
    let roles = 0;
    for await (const chunk of stream) {
      expect("usage" in chunk).toBe(false);
      const c = chunk.choices[0];
      if (!c) continue;
      if (c.delta.role) roles++;
      text += c.delta.content ?? "";
      if (c.finish_reason) finishes.push(c.finish_reason);
    }
    expect(text).toBe("Echo from gemini-2.5-flash: stream sdk");
    expect(finishes).toEqual(["stop"]);
    expect(roles).toBe(1);
  });

  it("system and developer prompts become the system instruction", async () => {
    const res = await client.chat.completions.create({
      model: "gemini-2.5-pro",
      messages: [{ role: "system", content: "Be brief." }, { role: "developer", content: "Be kind." }, user("hi")],
    });
    expect(res.choices[0]!.message.content).toBe("[system: Be brief.\n\nBe kind.] Echo from gemini-2.5-pro: hi");
    expect(upstream().systemInstruction).toEqual({ parts: [{ text: "Be brief.\n\nBe kind." }] });
  });

  it("multi-turn history keeps roles in order", async () => {
    const res = await client.chat.completions.create({
      model: "gemini-2.5-flash",
      messages: [user("one"), { role: "assistant", content: "first answer" }, user("two")],
    });
    expect(res.choices[0]!.message.content).toBe("Echo from gemini-2.5-flash: two");
    expect(upstream().contents).toEqual([
      { role: "user", parts: [{ text: "one" }] },
      { role: "model", parts: [{ text: "first answer" }] },
      { role: "user", parts: [{ text: "two" }] },
    ]);
  });

  it("images as a data URI and as a loopback URL (guard allowed by option)", async () => {
    for (const url of [PNG_DATA_URI, `${media.url}/img.png`]) {
      const res = await client.chat.completions.create({
        model: "gemini-2.5-flash",
        messages: [
          user([
            { type: "text", text: "describe" },
            { type: "image_url", image_url: { url } },
          ]),
        ],
      });
      expect(res.choices[0]!.message.content).toContain("describe");
      expect(upstream().contents[0].parts[1]).toEqual({
        inlineData: { mimeType: "image/png", data: PNG.toString("base64") },
      });
    }
  });

  it("the private-address guard refuses the same loopback URL without the option", async () => {
    const error = await guardedClient.chat.completions
      .create({
        model: "gemini-2.5-flash",
        messages: [
          user([
            { type: "text", text: "describe" },
            { type: "image_url", image_url: { url: `${media.url}/img.png` } },
          ]),
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      param: "messages[0].content[1].image_url.url",
      code: "invalid_image_url",
      type: "invalid_request_error",
    });
    expect((error as Error).message).toMatch(/private or reserved address/);
  });

  it("JSON schema output (response_format json_schema)", async () => {
    const schema = {
      type: "object",
      properties: { name: { type: "string" }, age: { type: "integer" } },
      required: ["name", "age"],
      additionalProperties: false,
    };
    const res = await client.chat.completions.create({
      model: "gemini-2.5-flash",
      messages: [user("a person")],
      response_format: { type: "json_schema", json_schema: { name: "person", schema, strict: true } },
    });
    const value = JSON.parse(res.choices[0]!.message.content!) as { name: unknown; age: unknown };
    expect(typeof value.name).toBe("string");
    expect(Number.isInteger(value.age)).toBe(true);
    expect(upstream().generationConfig).toMatchObject({
      responseMimeType: "application/json",
      responseJsonSchema: { type: "object", required: ["name", "age"] },
    });
  });

  it("reasoning content, non-streamed and streamed, with reasoning tokens in usage", async () => {
    const res = await client.chat.completions.create({
      model: "gemini-2.5-flash",
      messages: [user("think")],
      reasoning_effort: "low",
    });
    const message = res.choices[0]!.message as OpenAI.Chat.ChatCompletionMessage & { reasoning_content?: string };
    expect(message.reasoning_content).toContain("Considering the request");
    expect(message.content).toBe("Echo from gemini-2.5-flash: think");
    expect(res.usage!.completion_tokens_details!.reasoning_tokens).toBeGreaterThan(0);
    expect(upstream().generationConfig.thinkingConfig).toEqual({ includeThoughts: true, thinkingBudget: 1024 });
    const stream = await client.chat.completions.create({
      model: "gemini-3-flash-preview",
      messages: [user("think")],
      reasoning_effort: "medium",
      stream: true,
    });
    let reasoning = "";
    for await (const chunk of stream)
      reasoning += (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? "";
    expect(reasoning).toContain("Considering the request");
    expect(upstream("streamGenerateContent").generationConfig.thinkingConfig).toEqual({
      includeThoughts: true,
      thinkingLevel: "medium",
    });
  });

  it("usage with and without stream_options.include_usage", async () => {
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const c of await client.chat.completions.create({
      model: "gemini-2.5-flash",
      messages: [user("u")],
      stream: true,
      stream_options: { include_usage: true },
    }))
      chunks.push(c);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage!.total_tokens).toBe(last.usage!.prompt_tokens + last.usage!.completion_tokens);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    const plain: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const c of await client.chat.completions.create({
      model: "gemini-2.5-flash",
      messages: [user("u")],
      stream: true,
    }))
      plain.push(c);
    expect(plain.every((c) => c.usage === undefined && c.choices.length === 1)).toBe(true);
  });

  it("-search citations in message.annotations", async () => {
    const res = await client.chat.completions.create({
      model: "gemini-2.5-flash-search",
      messages: [user("news today")],
    });
    const message = res.choices[0]!.message;
    expect(message.content).toBe("Echo from gemini-2.5-flash: news today");
    expect(message.annotations).toEqual([
      {
        type: "url_citation",
        url_citation: {
          start_index: 0,
          end_index: message.content!.length,
          title: "example.com",
          url: "https://example.com/1",
        },
      },
      {
        type: "url_citation",
        url_citation: {
          start_index: 0,
          end_index: message.content!.length,
          title: "example.com",
          url: "https://example.com/2",
        },
      },
    ]);
    expect(upstream().tools).toEqual([{ googleSearch: {} }]);
  });

  it("client.chat.completions.stream() finishes via finalChatCompletion()", async () => {
    const stream = client.chat.completions.stream({
      model: "gemini-2.5-flash",
      messages: [user("helper")],
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe("Echo from gemini-2.5-flash: helper");
    expect(final.choices[0]!.finish_reason).toBe("stop");
    expect(final.usage!.total_tokens).toBeGreaterThan(0);
  });
});

describe("openai SDK: tools and thought signatures", () => {
  it("parallel calls, streamed: distinct indices and ids, finish tool_calls (stream helper)", async () => {
    const stream = client.chat.completions.stream({
      model: "gemini-2.5-flash",
      messages: [user("call:get_weather,get_time")],
      tools: TOOLS,
    });
    const indices: number[] = [];
    stream.on("chunk", (c) => c.choices[0]?.delta.tool_calls?.forEach((tc) => indices.push(tc.index)));
    const final = await stream.finalChatCompletion();
    const calls = final.choices[0]!.message.tool_calls as OpenAI.Chat.ChatCompletionMessageFunctionToolCall[];
    expect(indices).toEqual([0, 1]);
    expect(calls.map((c) => c.function.name)).toEqual(["get_weather", "get_time"]);
    expect(calls.every((c) => c.id.startsWith("call_") && c.type === "function")).toBe(true);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
    expect(JSON.parse(calls[0]!.function.arguments)).toHaveProperty("city");
    expect(final.choices[0]!.finish_reason).toBe("tool_calls");
  });

  async function firstTurn(stream: boolean) {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [user("call:get_weather,get_time")];
    let message: OpenAI.Chat.ChatCompletionMessage;
    if (stream)
      message = (
        await client.chat.completions
          .stream({ model: "gemini-3-pro-preview", messages, tools: TOOLS })
          .finalChatCompletion()
      ).choices[0]!.message;
    else
      message = (await client.chat.completions.create({ model: "gemini-3-pro-preview", messages, tools: TOOLS }))
        .choices[0]!.message;
    const calls = message.tool_calls as (OpenAI.Chat.ChatCompletionMessageFunctionToolCall & {
      extra_content?: { google: { thought_signature: string } };
    })[];
    const signature = calls[0]!.extra_content!.google.thought_signature;
    expect(fake.signatureIssued(signature)).toBe(true);
    return { messages, message, calls, signature };
  }
  const results = (calls: { id: string }[]): OpenAI.Chat.ChatCompletionMessageParam[] =>
    calls.map((c, i) => ({
      role: "tool",
      tool_call_id: c.id,
      content: JSON.stringify({ result: i === 0 ? "sunny" : "noon" }),
    }));
  const replayedCallPart = () =>
    upstream().contents[1].parts[0] as { functionCall: { name: string }; thoughtSignature?: string };

  it("Gemini 3 round trip, the client echoing extra_content", async () => {
    const { messages, message, calls, signature } = await firstTurn(false);
    const res = await client.chat.completions.create({
      model: "gemini-3-pro-preview",
      tools: TOOLS,
      messages: [...messages, message as OpenAI.Chat.ChatCompletionMessageParam, ...results(calls)],
    });
    expect(res.choices[0]!.message.content).toContain("Tool results");
    expect(replayedCallPart()).toMatchObject({ functionCall: { name: "get_weather" }, thoughtSignature: signature });
    expect(
      upstream().contents[2].parts.map((p: { functionResponse: { name: string } }) => p.functionResponse.name),
    ).toEqual(["get_weather", "get_time"]);
  });

  for (const streamed of [false, true]) {
    it(`Gemini 3 round trip, the client dropping extra_content: the server-side store supplies it (${streamed ? "streamed" : "not streamed"})`, async () => {
      const { messages, calls, signature } = await firstTurn(streamed);
      const bare = calls.map((c) => ({ id: c.id, type: "function" as const, function: c.function }));
      const res = await client.chat.completions.create({
        model: "gemini-3-pro-preview",
        tools: TOOLS,
        messages: [...messages, { role: "assistant", content: null, tool_calls: bare }, ...results(calls)],
      });
      expect(res.choices[0]!.message.content).toContain("Tool results");
      expect(replayedCallPart().thoughtSignature).toBe(signature);
    });
  }

  it("a signature that is truly lost falls back to the documented bypass value", async () => {
    const lost = [
      {
        id: "call_lost0000000000000000",
        type: "function" as const,
        function: { name: "get_weather", arguments: '{"city":"Paris"}' },
      },
    ];
    const res = await client.chat.completions.create({
      model: "gemini-3-pro-preview",
      tools: TOOLS,
      messages: [user("weather?"), { role: "assistant", content: null, tool_calls: lost }, ...results(lost)],
    });
    expect(res.choices[0]!.message.content).toContain("sunny");
    expect(replayedCallPart().thoughtSignature).toBe("skip_thought_signature_validator");
  });
});

describe("openai SDK: error classes", () => {
  const create = (params: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming> = {}, c = client) =>
    c.chat.completions
      .create({
        model: "gemini-2.5-flash",
        messages: [user("x")],
        ...params,
      } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
      .catch((e: unknown) => e);

  it("400 BadRequestError naming the param", async () => {
    expect(await create({ temperature: 9 })).toMatchObject({
      constructor: OpenAI.BadRequestError,
      status: 400,
      param: "temperature",
      type: "invalid_request_error",
    });
  });

  it("401 AuthenticationError", async () => {
    const bad = new OpenAI({ baseURL: client.baseURL, apiKey: "nope", maxRetries: 0 });
    expect(await create({}, bad)).toMatchObject({
      constructor: OpenAI.AuthenticationError,
      status: 401,
      code: "invalid_api_key",
    });
  });

  it("403 PermissionDeniedError", async () => {
    fake.inject({ match: { action: "generateContent" }, error: "permission_denied", times: 4 });
    expect(await create()).toMatchObject({
      constructor: OpenAI.PermissionDeniedError,
      status: 403,
      code: "model_not_allowed",
    });
  });

  it("404 NotFoundError for an unknown model", async () => {
    expect(await create({ model: "gpt-5" })).toMatchObject({
      constructor: OpenAI.NotFoundError,
      status: 404,
      code: "model_not_found",
      param: "model",
    });
  });

  it("429 RateLimitError with retry-after from Google's RetryInfo", async () => {
    fake.inject({
      match: { action: "generateContent" },
      error: "rate_limit",
      times: 4,
      errorOptions: { retryDelaySec: 12 },
    });
    const error = (await create()) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe("rate_limit_exceeded");
    expect(error.headers.get("retry-after")).toBe("12");
    const ms = Number(error.headers.get("retry-after-ms"));
    expect(ms).toBeGreaterThan(11_000);
    expect(ms).toBeLessThanOrEqual(12_000);
    expect(error.requestID).toMatch(/^req-/);
  });

  it("429 insufficient_quota", async () => {
    fake.inject({ match: { action: "generateContent" }, error: "quota_exhausted", times: 4 });
    expect(await create()).toMatchObject({
      constructor: OpenAI.RateLimitError,
      status: 429,
      code: "insufficient_quota",
      type: "insufficient_quota",
    });
  });

  it("500 and 503 InternalServerError", async () => {
    fake.inject({ match: { action: "generateContent" }, error: "internal", times: 4 });
    expect(await create()).toMatchObject({
      constructor: OpenAI.InternalServerError,
      status: 500,
      code: "internal_error",
    });
    fake.clearFaults();
    for (const c of proxy.pool.list()) await proxy.pool.clearCooldown(c.id);
    fake.inject({ match: { action: "generateContent" }, error: "capacity_503", times: 4 });
    expect(await create()).toMatchObject({
      constructor: OpenAI.InternalServerError,
      status: 503,
      code: "service_unavailable",
    });
  });

  it("a failure after the stream started raises an APIError in the for-await loop", async () => {
    fake.inject({
      match: { action: "streamGenerateContent" },
      stream: { text: "y".repeat(120), deltaChars: 10, closeAfterEvents: 3 },
    });
    const stream = await client.chat.completions.create({
      model: "gemini-2.5-flash",
      messages: [user("x")],
      stream: true,
    });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.finish_reason ?? "");
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(seen.filter(Boolean)).toEqual([]);
  });
});
