// `ai` 6 + `@ai-sdk/anthropic` against a real proxy server and the fake Google: structured output
// through the Anthropic Messages surface comes back as parsed objects (the SDK sends
// `output_format`/`output_config` JSON schemas, or a forced tool, depending on its mode).
import { createAnthropic } from "@ai-sdk/anthropic";
import { generateObject, generateText, jsonSchema, Output } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";
import { CLIENT_KEY, listen, proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

let fake: FakeGoogle;
let proxy: GeminiProxy;
let provider: ReturnType<typeof createAnthropic>;
let close: () => Promise<void>;

beforeAll(async () => {
  fake = await createFakeGoogle();
  fake.addAccount({ email: "ai-anthropic@example.com", scenario: "onboarded" });
  proxy = createGeminiProxy(
    proxyOptionsFor(fake, { credentials: [fake.simpleCredential("ai-anthropic@example.com")] }),
  );
  const server = await listen(proxy.node);
  close = server.close;
  provider = createAnthropic({ baseURL: `${server.url}/v1`, apiKey: CLIENT_KEY });
});
afterAll(async () => {
  await close();
  await proxy.close();
  await fake.close();
});

const schema = jsonSchema<{ title: string; tags: string[] }>({
  type: "object",
  properties: { title: { type: "string" }, tags: { type: "array", items: { type: "string" } } },
  required: ["title", "tags"],
  additionalProperties: false,
});

describe("@ai-sdk/anthropic through /v1/messages", () => {
  it("answers text", async () => {
    const { text } = await generateText({ model: provider("claude-sonnet-4-5"), prompt: "Say hi" });
    expect(text.length).toBeGreaterThan(0);
  });

  it("structured output: generateObject and Output.object return parsed objects", async () => {
    const { object } = await generateObject({ model: provider("claude-sonnet-4-5"), schema, prompt: "a post" });
    expect(typeof object.title).toBe("string");
    expect(Array.isArray(object.tags)).toBe(true);
    // The SDK asked for a JSON schema (output_format / output_config), and Google got it as structured output.
    const sent = (fake.last({ action: "generateContent" })!.body as { request: Record<string, any> }).request;
    expect(sent.generationConfig).toMatchObject({
      responseMimeType: "application/json",
      responseJsonSchema: { type: "object", required: ["title", "tags"] },
    });
    const result = await generateText({
      model: provider("gemini-2.5-flash"),
      output: Output.object({ schema }),
      prompt: "another post",
    });
    expect(typeof result.output.title).toBe("string");
    expect(Array.isArray(result.output.tags)).toBe(true);
  });
});
