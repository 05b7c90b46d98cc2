// `ai` 6 + `@ai-sdk/openai-compatible` 2 against a real proxy server and the fake Google.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateObject, generateText, jsonSchema, Output, stepCountIs, streamText, tool } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";
import { CLIENT_KEY, listen, proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

let fake: FakeGoogle;
let proxy: GeminiProxy;
let provider: ReturnType<typeof createOpenAICompatible>;
let close: () => Promise<void>;

beforeAll(async () => {
  fake = await createFakeGoogle();
  fake.addAccount({ email: "ai@example.com", scenario: "onboarded" });
  proxy = createGeminiProxy(proxyOptionsFor(fake, { credentials: [fake.simpleCredential("ai@example.com")] }));
  const server = await listen(proxy.node);
  close = server.close;
  provider = createOpenAICompatible({
    name: "gemini",
    baseURL: `${server.url}/v1`,
    apiKey: CLIENT_KEY,
    includeUsage: true,
    supportsStructuredOutputs: true,
  });
});
afterAll(async () => {
  await close();
  await proxy.close();
  await fake.close();
});

const upstream = (action = "generateContent") =>
  (fake.last({ action })!.body as { request: Record<string, any> }).request;
const weather = tool({
  description: "Weather for a city",
  inputSchema: jsonSchema<{ city: string }>({
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
    additionalProperties: false,
  }),
  execute: async ({ city }) => ({ city, sky: "sunny" }),
});

describe("AI SDK (openai-compatible provider)", () => {
  it("generateText", async () => {
    const result = await generateText({
      model: provider("gemini-2.5-flash"),
      system: "Short answers.",
      prompt: "hello ai",
    });
    expect(result.text).toBe("[system: Short answers.] Echo from gemini-2.5-flash: hello ai");
    expect(result.finishReason).toBe("stop");
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
  });

  it("streamText, with reasoning and usage", async () => {
    const result = streamText({
      model: provider("gemini-2.5-flash"),
      prompt: "stream ai",
      providerOptions: { gemini: { reasoningEffort: "low" } },
    });
    let text = "";
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe("Echo from gemini-2.5-flash: stream ai");
    expect(await result.finishReason).toBe("stop");
    expect(await result.reasoningText).toContain("Considering the request");
    const usage = await result.usage;
    expect(
      usage.outputTokenDetails?.reasoningTokens ?? (usage as { reasoningTokens?: number }).reasoningTokens,
    ).toBeGreaterThan(0);
  });

  it("a tool call and its round trip on Gemini 3 (signatures survive), non-streamed", async () => {
    const result = await generateText({
      model: provider("gemini-3-pro-preview"),
      prompt: "call:get_weather",
      tools: { get_weather: weather },
      stopWhen: stepCountIs(3),
    });
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]!.toolCalls.map((c) => c.toolName)).toEqual(["get_weather"]);
    expect(result.steps[0]!.finishReason).toBe("tool-calls");
    expect(result.text).toContain("Tool results");
    expect(result.text).toContain("sunny");
    const replayed = upstream().contents[1].parts[0];
    expect(fake.signatureIssued(replayed.thoughtSignature)).toBe(true);
  });

  it("a streamed tool round trip on Gemini 3", async () => {
    const result = streamText({
      model: provider("gemini-3-pro-preview"),
      prompt: "call:get_weather",
      tools: { get_weather: weather },
      stopWhen: stepCountIs(3),
    });
    let text = "";
    for await (const delta of result.textStream) text += delta;
    const steps = await result.steps;
    expect(steps).toHaveLength(2);
    expect(steps[0]!.toolResults.map((r) => r.output)).toEqual([expect.objectContaining({ sky: "sunny" })]);
    expect(text).toContain("sunny");
    expect(fake.signatureIssued(upstream("streamGenerateContent").contents[1].parts[0].thoughtSignature)).toBe(true);
  });

  it("structured output: generateObject and Output.object", async () => {
    const schema = jsonSchema<{ title: string; tags: string[] }>({
      type: "object",
      properties: { title: { type: "string" }, tags: { type: "array", items: { type: "string" } } },
      required: ["title", "tags"],
      additionalProperties: false,
    });
    const { object } = await generateObject({ model: provider("gemini-2.5-flash"), schema, prompt: "a post" });
    expect(typeof object.title).toBe("string");
    expect(Array.isArray(object.tags)).toBe(true);
    expect(upstream().generationConfig).toMatchObject({
      responseMimeType: "application/json",
      responseJsonSchema: { type: "object" },
    });
    const result = await generateText({
      model: provider("gemini-2.5-flash"),
      output: Output.object({ schema }),
      prompt: "another post",
    });
    expect(typeof result.output.title).toBe("string");
  });
});
