// What Claude Code (npm @anthropic-ai/claude-code 2.1.x) sends at first contact, byte for byte in
// shape: a system array with cache_control, a user turn, then a `system` message in the middle of
// `messages` (header anthropic-beta: mid-conversation-system-2026-04-07), tools with input_schema,
// thinking, metadata, dated model ids; plus count_tokens, structured output through the official SDK,
// stop sequences and generated images, all against the fake Google.
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";
import { CLIENT_KEY, listen, proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

let fake: FakeGoogle;
let proxy: GeminiProxy;
let url: string;
let client: Anthropic;
let closeServer: () => Promise<void>;

beforeAll(async () => {
  fake = await createFakeGoogle();
  fake.addAccount({ email: "code@example.com", scenario: "onboarded" });
  proxy = createGeminiProxy(
    proxyOptionsFor(fake, {
      credentials: [fake.simpleCredential("code@example.com")],
      pool: { maxAttempts: 1, waitForCooldownMs: 0 },
      anthropic: { modelMap: { "claude-sonnet-4-5": "gemini-2.5-flash", "claude-*haiku*": "gemini-2.5-flash-lite" } },
    }),
  );
  const server = await listen(proxy.node);
  url = server.url;
  closeServer = server.close;
  client = new Anthropic({ baseURL: url, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterAll(async () => {
  await closeServer?.();
  await proxy?.close();
  await fake?.close();
});

const HEADERS = {
  "content-type": "application/json",
  "x-api-key": CLIENT_KEY,
  "anthropic-version": "2023-06-01",
  "anthropic-beta":
    "claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14,mid-conversation-system-2026-04-07",
  "anthropic-dangerous-direct-browser-access": "true",
  "user-agent": "claude-cli/2.1.3 (external, cli)",
  "x-app": "cli",
};
const ENVIRONMENT = "# Environment\nWorking directory: /home/dev/app\nPlatform: linux\nToday's date: 2026-05-02";

/** Claude Code's first request of a session. */
function firstContact(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: "claude-sonnet-4-5-20250929",
    max_tokens: 32000,
    temperature: 1,
    stream: true,
    metadata: { user_id: "user_0f3e_account__session_9a1b" },
    thinking: { type: "enabled", budget_tokens: 1024 },
    system: [
      { type: "text", text: "x-anthropic-billing-header: cc_version=2.1.3; cc_entrypoint=cli" },
      {
        type: "text",
        text: "You are Claude Code, Anthropic's official CLI for Claude.",
        cache_control: { type: "ephemeral" },
      },
    ],
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "<system-reminder>\nAs you answer, use the context below.\n</system-reminder>" },
          { type: "text", text: "list the files", cache_control: { type: "ephemeral" } },
        ],
      },
      { role: "system", content: [{ type: "text", text: ENVIRONMENT, cache_control: { type: "ephemeral" } }] },
    ],
    tools: [
      {
        name: "Bash",
        description: "Executes a given bash command",
        input_schema: {
          $schema: "http://json-schema.org/draft-07/schema#",
          type: "object",
          properties: { command: { type: "string" }, timeout: { type: "number" } },
          required: ["command"],
          additionalProperties: false,
        },
      },
      {
        name: "mcp__ide__getDiagnostics",
        description: "Get language diagnostics",
        input_schema: { type: "object", properties: { uri: { type: "string" } } },
      },
    ],
    ...extra,
  };
}

const post = (path: string, body: unknown) =>
  fetch(`${url}${path}`, { method: "POST", headers: HEADERS, body: JSON.stringify(body) });
const upstream = (action = "streamGenerateContent") =>
  (fake.last({ action })!.body as { model: string; request: Record<string, any> }).request;

function events(text: string): { event: string; data: any }[] {
  return text
    .split("\n\n")
    .filter((b) => b.startsWith("event: "))
    .map((b) => {
      const [head, data] = b.split("\n");
      return { event: head!.slice(7), data: JSON.parse(data!.slice(6)) };
    });
}

describe("Claude Code's first contact", () => {
  it("is answered (not 400): the mid-conversation system message reaches Gemini at its position", async () => {
    const res = await post("/v1/messages?beta=true", firstContact());
    expect(res.status).toBe(200);
    const evs = events(await res.text());
    expect(evs[0]!.event).toBe("message_start");
    expect(evs.at(-1)!.event).toBe("message_stop");
    expect(evs.find((e) => e.event === "message_delta")!.data.delta.stop_reason).toMatch(/end_turn|tool_use/);

    expect((fake.last({ action: "streamGenerateContent" })!.body as { model: string }).model).toBe("gemini-2.5-flash");
    const req = upstream();
    expect(req.systemInstruction.parts[0].text).toContain("You are Claude Code");
    expect(req.contents).toHaveLength(1);
    expect(req.contents[0].parts.map((p: { text: string }) => p.text)).toEqual([
      "<system-reminder>\nAs you answer, use the context below.\n</system-reminder>",
      "list the files",
      `<system-instruction>\n${ENVIRONMENT}\n</system-instruction>`,
    ]);
    expect(req.tools[0].functionDeclarations.map((d: { name: string }) => d.name)).toEqual([
      "Bash",
      "mcp__ide__getDiagnostics",
    ]);
    expect(req.tools[0].functionDeclarations[0].parametersJsonSchema).not.toHaveProperty("$schema");
    expect(req.generationConfig).toMatchObject({ maxOutputTokens: 32000, temperature: 1 });
    expect(req.generationConfig.thinkingConfig).toMatchObject({ includeThoughts: true });
  });

  it("a later turn: system messages keep their order around the tool round trip", async () => {
    const res = await post("/v1/messages", {
      ...firstContact({ stream: false }),
      messages: [
        ...(firstContact().messages as unknown[]),
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "toolu_01", name: "Bash", input: { command: "ls" } }],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_01", content: "README.md" }] },
        { role: "system", content: "The user switched to plan mode." },
      ],
    });
    expect(res.status).toBe(200);
    const req = upstream("generateContent");
    expect(req.contents.map((c: { role: string }) => c.role)).toEqual(["user", "model", "user"]);
    expect(req.contents[2].parts).toEqual([
      { functionResponse: { name: "Bash", response: { output: "README.md" } } },
      { text: "<system-instruction>\nThe user switched to plan mode.\n</system-instruction>" },
    ]);
  });

  it("an unknown block in a system message is a 400 in Anthropic's shape naming it", async () => {
    const body = firstContact();
    (body.messages as unknown[])[1] = { role: "system", content: [{ type: "tool_result", tool_use_id: "x" }] };
    const res = await post("/v1/messages", body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: expect.stringContaining("messages[1].content[0].type") },
    });
  });

  it("count_tokens counts what messages would send, the mid-conversation system message included", async () => {
    const count = async (body: Record<string, unknown>) => {
      const res = await post("/v1/messages/count_tokens?beta=true", body);
      expect(res.status).toBe(200);
      return ((await res.json()) as { input_tokens: number }).input_tokens;
    };
    const { stream: _stream, max_tokens: _max, ...body } = firstContact();
    const all = await count(body);
    const sent = JSON.stringify((fake.last({ action: "countTokens" })!.body as any).request.contents);
    expect(sent).toContain("# Environment");
    expect(sent).toContain("You are Claude Code");
    const without = await count({ ...body, messages: (body.messages as unknown[]).slice(0, 1) });
    expect(all).toBeGreaterThan(without);
  });

  it.each([
    ["claude-sonnet-4-5-20250929", "gemini-2.5-flash"],
    ["claude-sonnet-4-5[1m]", "gemini-2.5-flash"],
    ["claude-haiku-4-5-20251001", "gemini-2.5-flash-lite"],
    ["claude-opus-5-5", "gemini-2.5-pro"],
    ["claude-opus-4-1-20250805", "gemini-2.5-pro"],
  ])("model %s is served by %s", async (model, gemini) => {
    const res = await post("/v1/messages", { ...firstContact({ stream: false }), model });
    expect(res.status).toBe(200);
    expect((fake.last({ action: "generateContent" })!.body as { model: string }).model).toBe(gemini);
    expect(((await res.json()) as { model: string }).model).toBe(model);
  });
});

describe("structured output (@anthropic-ai/sdk)", () => {
  const schema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    properties: { city: { type: "string" }, days: { type: "integer", const: 3 } },
    required: ["city", "days"],
    additionalProperties: false,
  };

  it("output_config.format json_schema → application/json with the cleaned schema; the answer is JSON", async () => {
    const message = await client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 256,
      messages: [{ role: "user", content: "weather plan" }],
      output_config: { format: { type: "json_schema", schema } },
    });
    const gc = upstream("generateContent").generationConfig;
    expect(gc.responseMimeType).toBe("application/json");
    expect(gc.responseJsonSchema).toEqual({
      type: "object",
      properties: { city: { type: "string" }, days: { type: "integer", enum: [3] } },
      required: ["city", "days"],
      additionalProperties: false,
    });
    const text = message.content.find((b) => b.type === "text")!;
    expect(JSON.parse((text as { text: string }).text)).toMatchObject({ city: expect.any(String) });
  });

  it("the older beta output_format works the same way", async () => {
    const res = await post("/v1/messages", {
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      messages: [{ role: "user", content: "x" }],
      output_format: { type: "json_schema", schema },
    });
    expect(res.status).toBe(200);
    expect(upstream("generateContent").generationConfig.responseMimeType).toBe("application/json");
  });

  it("a schema that is not an object, or a format Gemini cannot take, is a 400 in Anthropic's shape", async () => {
    const bad = await client.messages
      .create({
        model: "claude-sonnet-4-5",
        max_tokens: 8,
        messages: [{ role: "user", content: "x" }],
        output_config: { format: { type: "json_schema", schema: "object" as never } },
      })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect((bad as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error", message: expect.stringContaining("output_config.format.schema") },
    });
    const forced = await client.messages
      .create({
        model: "claude-sonnet-4-5",
        max_tokens: 8,
        messages: [{ role: "user", content: "x" }],
        tools: [{ name: "f", input_schema: { type: "object", properties: { a: { type: "string" } } } }],
        tool_choice: { type: "any" },
        output_config: { format: { type: "json_schema", schema } },
      })
      .catch((e: unknown) => e);
    expect(forced).toBeInstanceOf(Anthropic.BadRequestError);
  });
});

describe("stop sequences", () => {
  it("the text is cut where a sequence starts: stop_reason stop_sequence, the sequence named", async () => {
    const message = await client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      stop_sequences: ["NEVER", "claude"],
      messages: [{ role: "user", content: "hello claude friend" }],
    });
    expect(message.stop_reason).toBe("stop_sequence");
    expect(message.stop_sequence).toBe("claude");
    expect(message.content).toEqual([{ type: "text", text: "Echo from gemini-2.5-flash: hello " }]);
    expect(upstream("generateContent").generationConfig).not.toHaveProperty("stopSequences");
  });

  it("streamed: the same cut, even when the sequence spans two deltas; no match → end_turn, stop_sequence null", async () => {
    fake.inject({ stream: { deltaChars: 3 } });
    const stream = client.messages.stream({
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      stop_sequences: ["claude"],
      messages: [{ role: "user", content: "hello claude friend" }],
    });
    const final = await stream.finalMessage();
    expect(final).toMatchObject({ stop_reason: "stop_sequence", stop_sequence: "claude" });
    expect(final.content).toEqual([{ type: "text", text: "Echo from gemini-2.5-flash: hello " }]);
    const plain = await client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      stop_sequences: ["NEVER"],
      messages: [{ role: "user", content: "hi" }],
    });
    expect(plain).toMatchObject({ stop_reason: "end_turn", stop_sequence: null });
  });
});

describe("generated images", () => {
  it("reach Anthropic clients as image blocks with a base64 source (plain and streamed)", async () => {
    const image = { mimeType: "image/png", data: "iVBORw0KGgo=" };
    fake.inject({ stream: { text: "Here it is.", images: [image] } });
    const message = await client.messages.create({
      model: "claude-sonnet-4-5",
      max_tokens: 64,
      messages: [{ role: "user", content: "draw" }],
    });
    expect(message.content).toEqual([
      { type: "text", text: "Here it is." },
      { type: "image", source: { type: "base64", media_type: "image/png", data: image.data } },
    ]);
    fake.inject({ stream: { text: "Here it is.", images: [image] } });
    const res = await post("/v1/messages", { ...firstContact(), thinking: undefined, tools: undefined });
    const starts = events(await res.text()).filter((e) => e.event === "content_block_start");
    expect(starts.map((e) => e.data.content_block.type)).toEqual(["text", "image"]);
    expect(starts[1]!.data.content_block.source).toEqual({ type: "base64", media_type: "image/png", data: image.data });
  });
});
