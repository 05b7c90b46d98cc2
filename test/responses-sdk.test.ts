// The openai SDK's Responses API (client.responses.create / .stream) against a real proxy server and
// the fake Google: text, instructions, function tools over two turns (by items and by
// previous_response_id), structured output, reasoning summaries, store:false, stored conversations
// shared by two instances, and their bounded lifetime.
import OpenAI from "openai";
import { createStorage } from "unstorage";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";
import type { StorageLike } from "../src/storage/types.ts";
import type { RequestRecord } from "../src/usage/record.ts";
import { CLIENT_KEY, listen, proxyOptionsFor, waitFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

let fake: FakeGoogle;
let proxy: GeminiProxy;
let client: OpenAI;
let twin: OpenAI;
let shortLived: OpenAI;
const ended: RequestRecord[] = [];
const closers: (() => Promise<void>)[] = [];

const WEATHER: OpenAI.Responses.FunctionTool = {
  type: "function",
  name: "get_weather",
  description: "Weather for a city",
  parameters: {
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
    additionalProperties: false,
  },
  strict: true,
};
const upstream = (action = "generateContent") =>
  (fake.last({ action })!.body as { request: Record<string, any> }).request;

beforeAll(async () => {
  fake = await createFakeGoogle();
  fake.addAccount({ email: "codex@example.com", scenario: "onboarded" });
  const credentials = [fake.simpleCredential("codex@example.com")];
  const storage = createStorage() as unknown as StorageLike; // shared by two instances, as redis would be
  proxy = createGeminiProxy(
    proxyOptionsFor(fake, {
      credentials,
      storage,
      pool: { maxAttempts: 1, waitForCooldownMs: 0 },
      hooks: { onRequestEnd: [(r) => void ended.push(r)] },
    }),
  );
  const second = createGeminiProxy(proxyOptionsFor(fake, { credentials, storage }));
  const third = createGeminiProxy(proxyOptionsFor(fake, { credentials, responses: { ttlSec: 1 } }));
  const servers = await Promise.all([listen(proxy.node), listen(second.node), listen(third.node)]);
  closers.push(
    ...servers.map((s) => s.close),
    () => proxy.close(),
    () => second.close(),
    () => third.close(),
    () => fake.close(),
  );
  client = new OpenAI({ baseURL: `${servers[0]!.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
  twin = new OpenAI({ baseURL: `${servers[1]!.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
  shortLived = new OpenAI({ baseURL: `${servers[2]!.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterAll(async () => {
  for (const close of closers) await close();
});
afterEach(() => fake.clearFaults());

describe("openai SDK: responses", () => {
  it("create: string input, instructions, output_text, usage", async () => {
    const res = await client.responses.create({
      model: "gemini-2.5-flash",
      instructions: "Be brief.",
      input: "hello responses",
    });
    expect(res.object).toBe("response");
    expect(res.id).toMatch(/^resp_/);
    expect(res.status).toBe("completed");
    expect(res.output_text).toBe("[system: Be brief.] Echo from gemini-2.5-flash: hello responses");
    expect(res.output).toEqual([
      {
        type: "message",
        id: expect.stringMatching(/^msg_/),
        status: "completed",
        role: "assistant",
        content: [{ type: "output_text", text: res.output_text, annotations: [], logprobs: [] }],
      },
    ]);
    expect(res.usage!.total_tokens).toBe(res.usage!.input_tokens + res.usage!.output_tokens);
    expect(res.instructions).toBe("Be brief.");
    expect(upstream().systemInstruction).toEqual({ parts: [{ text: "Be brief." }] });
    await waitFor(() => ended.some((r) => r.surface === "responses" && (r.usage?.total ?? 0) > 0));
  });

  it("create: item input with roles and parts", async () => {
    const res = await client.responses.create({
      model: "gemini-2.5-flash",
      input: [
        { role: "developer", content: "Rules." },
        { role: "user", content: [{ type: "input_text", text: "one" }] },
        {
          type: "message",
          id: "msg_prev",
          role: "assistant",
          status: "completed",
          content: [{ type: "output_text", text: "first", annotations: [] }],
        },
        { role: "user", content: "two" },
      ],
    });
    expect(res.output_text).toBe("[system: Rules.] Echo from gemini-2.5-flash: two");
    expect(upstream().contents).toEqual([
      { role: "user", parts: [{ text: "one" }] },
      { role: "model", parts: [{ text: "first" }] },
      { role: "user", parts: [{ text: "two" }] },
    ]);
  });

  it("stream: the event sequence ends in response.completed; finalResponse() assembles the text", async () => {
    fake.inject({ stream: { deltaChars: 5 } });
    const stream = client.responses.stream({ model: "gemini-2.5-flash", input: "stream please" });
    const types: string[] = [];
    let text = "";
    stream.on("event", (e) => types.push(e.type));
    stream.on("response.output_text.delta", (e) => (text += e.delta));
    const final = await stream.finalResponse();
    expect(text).toBe("Echo from gemini-2.5-flash: stream please");
    expect(final.output_text).toBe(text);
    expect(final.status).toBe("completed");
    expect(types.slice(0, 4)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
    ]);
    expect(types.slice(-4)).toEqual([
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(types.filter((t) => t === "response.output_text.delta").length).toBeGreaterThan(3);
  });

  it("structured output through text.format json_schema", async () => {
    const schema = {
      type: "object",
      properties: { name: { type: "string" }, age: { type: "integer" } },
      required: ["name", "age"],
      additionalProperties: false,
    };
    const res = await client.responses.create({
      model: "gemini-2.5-flash",
      input: "a person",
      text: { format: { type: "json_schema", name: "person", schema, strict: true } },
    });
    const value = JSON.parse(res.output_text) as { name: unknown; age: unknown };
    expect(typeof value.name).toBe("string");
    expect(Number.isInteger(value.age)).toBe(true);
    expect(upstream().generationConfig).toMatchObject({
      responseMimeType: "application/json",
      responseJsonSchema: { required: ["name", "age"] },
    });
  });

  it("reasoning summaries as reasoning items, reasoning tokens in usage", async () => {
    const res = await client.responses.create({
      model: "gemini-3-flash-preview",
      input: "think",
      reasoning: { effort: "medium", summary: "auto" },
    });
    expect(res.output.map((o) => o.type)).toEqual(["reasoning", "message"]);
    const reasoning = res.output[0] as OpenAI.Responses.ResponseReasoningItem;
    expect(reasoning.summary[0]!.text).toContain("Considering the request");
    expect(res.usage!.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    expect(upstream().generationConfig.thinkingConfig).toEqual({ includeThoughts: true, thinkingLevel: "medium" });
    const streamed = await client.responses
      .stream({ model: "gemini-2.5-flash", input: "think", reasoning: { effort: "low", summary: "detailed" } })
      .finalResponse();
    expect((streamed.output[0] as OpenAI.Responses.ResponseReasoningItem).summary[0]!.text).toContain(
      "Considering the request",
    );
    const quiet = await client.responses.create({
      model: "gemini-2.5-flash",
      input: "think",
      reasoning: { effort: "low" },
    });
    expect(quiet.output.map((o) => o.type)).toEqual(["message"]);
  });

  for (const streamed of [false, true]) {
    it(`tools over two turns with function_call / function_call_output items on Gemini 3 (${streamed ? "stream" : "create"})`, async () => {
      const params = {
        model: "gemini-3-pro-preview",
        tools: [WEATHER],
        include: ["reasoning.encrypted_content" as const],
        store: false,
      };
      const input: OpenAI.Responses.ResponseInputItem[] = [{ role: "user", content: "call:get_weather" }];
      const first = streamed
        ? await client.responses.stream({ ...params, input }).finalResponse()
        : await client.responses.create({ ...params, input });
      expect(first.output.map((o) => o.type)).toEqual(["reasoning", "function_call"]);
      const call = first.output[1] as OpenAI.Responses.ResponseFunctionToolCall;
      expect(call).toMatchObject({
        type: "function_call",
        name: "get_weather",
        status: "completed",
        call_id: expect.stringMatching(/^call_/),
        id: expect.stringMatching(/^fc_/),
      });
      expect(JSON.parse(call.arguments)).toHaveProperty("city");
      const encrypted = (first.output[0] as OpenAI.Responses.ResponseReasoningItem).encrypted_content!;
      expect(fake.signatureIssued(encrypted)).toBe(true);
      // An instance with storage of its own: the signature can only come from the replayed reasoning item.
      const second = await shortLived.responses.create({
        ...params,
        input: [
          ...input,
          ...(first.output as OpenAI.Responses.ResponseInputItem[]),
          { type: "function_call_output", call_id: call.call_id, output: '{"temp":21}' },
        ],
      });
      expect(second.output_text).toContain('Tool results: [{"name":"get_weather","response":{"temp":21}}]');
      expect(upstream().contents[1].parts[0]).toMatchObject({
        functionCall: { name: "get_weather" },
        thoughtSignature: encrypted,
      });
    });
  }

  it("previous_response_id continues a stored conversation (tools, then the answer), on either instance", async () => {
    const first = await client.responses.create({
      model: "gemini-3-pro-preview",
      tools: [WEATHER],
      input: "call:get_weather",
    });
    const call = first.output.find((o): o is OpenAI.Responses.ResponseFunctionToolCall => o.type === "function_call")!;
    expect(first.output.some((o) => o.type === "reasoning")).toBe(false); // no summary, no encrypted reasoning asked
    const second = await twin.responses.create({
      model: "gemini-3-pro-preview",
      tools: [WEATHER],
      previous_response_id: first.id,
      input: [{ type: "function_call_output", call_id: call.call_id, output: "sunny" }],
    });
    expect(second.previous_response_id).toBe(first.id);
    expect(second.output_text).toContain('"response":{"output":"sunny"}');
    const sent = upstream().contents;
    expect(sent[0]).toEqual({ role: "user", parts: [{ text: "call:get_weather" }] });
    expect(fake.signatureIssued(sent[1].parts[0].thoughtSignature)).toBe(true);
    const third = await client.responses
      .stream({ model: "gemini-3-pro-preview", previous_response_id: second.id, input: "thanks" })
      .finalResponse();
    expect(third.output_text).toBe("Echo from gemini-3-pro-preview: thanks");
    expect(upstream("streamGenerateContent").contents).toHaveLength(5);
  });

  it("store:false is accepted and keeps nothing; an unknown id is a 400", async () => {
    const res = await client.responses.create({ model: "gemini-2.5-flash", input: "forget me", store: false });
    expect(res).toMatchObject({ status: "completed", store: false });
    const error = await client.responses
      .create({ model: "gemini-2.5-flash", previous_response_id: res.id, input: "again" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, param: "previous_response_id", code: "previous_response_not_found" });
  });

  it("stored responses expire after responses.ttlSec", async () => {
    const res = await shortLived.responses.create({ model: "gemini-2.5-flash", input: "brief life" });
    await shortLived.responses.create({
      model: "gemini-2.5-flash",
      previous_response_id: res.id,
      input: "still there",
    });
    await new Promise((r) => setTimeout(r, 1100));
    const error = await shortLived.responses
      .create({ model: "gemini-2.5-flash", previous_response_id: res.id, input: "gone" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: "previous_response_not_found" });
  });

  it("a stream failing after its start ends with response.failed, which the SDK reports", async () => {
    fake.inject({ stream: { closeAfterEvents: 2, deltaChars: 3 } });
    const stream = await client.responses.create({
      model: "gemini-2.5-flash",
      input: "a long enough answer to split",
      stream: true,
    });
    const types: string[] = [];
    let failed: OpenAI.Responses.Response | undefined;
    for await (const e of stream) {
      types.push(e.type);
      if (e.type === "response.failed") failed = e.response;
    }
    expect(types.at(-1)).toBe("response.failed");
    expect(types).not.toContain("response.completed");
    expect(failed!.status).toBe("failed");
    expect(failed!.error!.message.length).toBeGreaterThan(0);
  });
});
