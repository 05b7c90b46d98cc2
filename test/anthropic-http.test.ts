// The Anthropic surface over raw HTTP, through proxy.fetch and a real node:http server: the exact
// streaming event sequence, x-api-key, ?beta=true, error shapes decided by the HTTP layer, and the
// malformed-input corpus (every answer a 4xx in Anthropic's shape, never a 5xx).
import { expect, it } from "vitest";
import { CLIENT_KEY, describeMatrix } from "./_setup.ts";

interface SseEvent {
  event: string;
  data: any;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .filter((b) => b.trim() && !b.startsWith(":"))
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "";
      const data = JSON.parse(
        lines
          .filter((l) => l.startsWith("data: "))
          .map((l) => l.slice(6))
          .join("\n"),
      );
      return { event, data };
    });
}

/** Claude Code's rules: deltas only inside an open block, one block open at a time, terminal events last. */
function checkOrder(events: SseEvent[]): void {
  const names = events.map((e) => e.event).filter((n) => n !== "ping");
  expect(names[0]).toBe("message_start");
  expect(names.slice(-2)).toEqual(["message_delta", "message_stop"]);
  let open: number | undefined;
  let next = 0;
  for (const e of events) {
    expect(e.data.type).toBe(e.event);
    if (e.event === "content_block_start") {
      expect(open).toBeUndefined();
      expect(e.data.index).toBe(next++);
      open = e.data.index;
    } else if (e.event === "content_block_delta") expect(e.data.index).toBe(open);
    else if (e.event === "content_block_stop") {
      expect(e.data.index).toBe(open);
      open = undefined;
    }
  }
  expect(open).toBeUndefined();
}

const headers = (extra: Record<string, string> = {}) => ({
  "x-api-key": CLIENT_KEY,
  "anthropic-version": "2023-06-01",
  "content-type": "application/json",
  ...extra,
});
const ok = { model: "gemini-2.5-flash", max_tokens: 64, messages: [{ role: "user", content: "hi" }] };
const user = (...content: unknown[]) => ({ ...ok, messages: [{ role: "user", content }] });
const TOOL = {
  name: "get_weather",
  input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

// [description, body (object or raw text), status]
const CORPUS: [string, unknown, number][] = [
  ["not JSON", "{oops", 400],
  ["empty body", "", 400],
  ["an array", [ok], 400],
  ["missing model", { ...ok, model: undefined }, 400],
  ["model is a number", { ...ok, model: 3 }, 400],
  ["unknown model", { ...ok, model: "gpt-4o" }, 404],
  ["missing max_tokens", { ...ok, max_tokens: undefined }, 400],
  ["max_tokens is 0", { ...ok, max_tokens: 0 }, 400],
  ["max_tokens is a string", { ...ok, max_tokens: "64" }, 400],
  ["missing messages", { ...ok, messages: undefined }, 400],
  ["messages is an object", { ...ok, messages: { role: "user", content: "x" } }, 400],
  ["empty messages", { ...ok, messages: [] }, 400],
  ["message is a string", { ...ok, messages: ["hi"] }, 400],
  [
    "unknown block type in a system message",
    {
      ...ok,
      messages: [
        { role: "user", content: "x" },
        { role: "system", content: [{ type: "image", source: { type: "url", url: "https://a.test/x.png" } }] },
      ],
    },
    400,
  ],
  ["system message content is a number", { ...ok, messages: [{ role: "system", content: 5 }] }, 400],
  ["tool role in messages", { ...ok, messages: [{ role: "tool", content: "x" }] }, 400],
  ["content is a number", { ...ok, messages: [{ role: "user", content: 5 }] }, 400],
  ["only an empty text", user({ type: "text", text: "" }), 400],
  ["block is a string", user("hi"), 400],
  ["unknown block type", user({ type: "video", source: {} }), 400],
  ["text block without text", user({ type: "text" }), 400],
  ["image without source", user({ type: "image" }), 400],
  [
    "image with bad base64",
    user({ type: "image", source: { type: "base64", media_type: "image/png", data: "@@@" } }),
    400,
  ],
  ["image without media_type", user({ type: "image", source: { type: "base64", data: "AAAA" } }), 400],
  ["image from the Files API", user({ type: "image", source: { type: "file", file_id: "file_1" } }), 400],
  ["image with an unknown source type", user({ type: "image", source: { type: "s3" } }), 400],
  ["image URL with ftp", user({ type: "image", source: { type: "url", url: "ftp://x.test/a.png" } }), 400],
  [
    "image URL on a private address",
    user({ type: "image", source: { type: "url", url: "http://127.0.0.1:9/a.png" } }),
    400,
  ],
  ["text document without data", user({ type: "document", source: { type: "text", media_type: "text/plain" } }), 400],
  ["tool_result without tool_use_id", user({ type: "tool_result", content: "x" }), 400],
  ["tool_result content is a number", user({ type: "tool_result", tool_use_id: "t", content: 5 }), 400],
  [
    "tool_use without id",
    {
      ...ok,
      messages: [
        { role: "user", content: "x" },
        { role: "assistant", content: [{ type: "tool_use", name: "f", input: {} }] },
      ],
    },
    400,
  ],
  [
    "tool_use input is a string",
    {
      ...ok,
      messages: [
        { role: "user", content: "x" },
        { role: "assistant", content: [{ type: "tool_use", id: "t", name: "f", input: "{}" }] },
      ],
    },
    400,
  ],
  ["system is a number", { ...ok, system: 1 }, 400],
  ["system block without text", { ...ok, system: [{ type: "text" }] }, 400],
  ["tools is an object", { ...ok, tools: TOOL }, 400],
  ["tool without name", { ...ok, tools: [{ input_schema: {} }] }, 400],
  ["tool without input_schema", { ...ok, tools: [{ name: "f" }] }, 400],
  ["tool input_schema is a string", { ...ok, tools: [{ name: "f", input_schema: "{}" }] }, 400],
  ["duplicate tool names", { ...ok, tools: [TOOL, TOOL] }, 400],
  ["tool_choice is a string", { ...ok, tools: [TOOL], tool_choice: "auto" }, 400],
  ["tool_choice of an unknown type", { ...ok, tools: [TOOL], tool_choice: { type: "maybe" } }, 400],
  ["tool_choice tool without name", { ...ok, tools: [TOOL], tool_choice: { type: "tool" } }, 400],
  ["tool_choice names an unknown tool", { ...ok, tools: [TOOL], tool_choice: { type: "tool", name: "nope" } }, 400],
  ["tool_choice any without tools", { ...ok, tool_choice: { type: "any" } }, 400],
  ["thinking of an unknown type", { ...ok, thinking: { type: "sometimes" } }, 400],
  ["thinking enabled without budget", { ...ok, thinking: { type: "enabled" } }, 400],
  ["thinking budget is negative", { ...ok, thinking: { type: "enabled", budget_tokens: -5 } }, 400],
  ["temperature is a string", { ...ok, temperature: "hot" }, 400],
  ["temperature out of range", { ...ok, temperature: 5 }, 400],
  ["top_k is a float", { ...ok, top_k: 1.5 }, 400],
  ["stop_sequences is a string", { ...ok, stop_sequences: "END" }, 400],
  ["stream is a string", { ...ok, stream: "yes" }, 400],
];

describeMatrix(
  "anthropic over HTTP",
  (fake) => {
    fake.addAccount({ email: "http@example.com" });
    return {
      credentials: [fake.simpleCredential("http@example.com")],
      pool: { maxAttempts: 1, waitForCooldownMs: 0 },
      streamGraceMs: 100,
      keepAliveMs: 60,
    };
  },
  (h) => {
    const post = (body: unknown, path = "/v1/messages", extra: Record<string, string> = {}) =>
      h.request(path, {
        method: "POST",
        headers: headers(extra),
        body: typeof body === "string" ? body : JSON.stringify(body),
      });

    it("streams thinking, signature and tool_use blocks in the exact event order", async () => {
      const res = await post({
        model: "gemini-3-pro-preview",
        max_tokens: 2048,
        stream: true,
        thinking: { type: "enabled", budget_tokens: 1024 },
        tools: [TOOL],
        messages: [{ role: "user", content: "call:get_weather" }],
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const events = parseSse(await res.text());
      checkOrder(events);
      expect(
        events.map((e) =>
          e.event === "content_block_delta"
            ? `delta:${e.data.delta.type}`
            : e.event === "content_block_start"
              ? `start:${e.data.content_block.type}`
              : e.event,
        ),
      ).toEqual([
        "message_start",
        "ping",
        "start:thinking",
        "delta:thinking_delta",
        "delta:signature_delta",
        "content_block_stop",
        "start:tool_use",
        "delta:input_json_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
      ]);
      const start = events[0]!.data.message;
      expect(start).toMatchObject({
        type: "message",
        role: "assistant",
        model: "gemini-3-pro-preview",
        content: [],
        stop_reason: null,
      });
      expect(start.usage.input_tokens).toBeGreaterThan(0);
      const use = events.find((e) => e.event === "content_block_start" && e.data.content_block.type === "tool_use")!
        .data.content_block;
      expect(use).toMatchObject({ type: "tool_use", name: "get_weather", input: {} });
      const json = events.find((e) => e.data.delta?.type === "input_json_delta")!.data.delta.partial_json;
      expect(JSON.parse(json)).toHaveProperty("city");
      const delta = events.find((e) => e.event === "message_delta")!.data;
      expect(delta.delta).toEqual({ stop_reason: "tool_use", stop_sequence: null });
      expect(delta.usage.output_tokens).toBeGreaterThan(0);
      expect(delta.usage.input_tokens).toBe(start.usage.input_tokens);
    });

    it("when Google is slow, pings go out first and message_start waits for its first chunk; a late failure is an error event", async () => {
      h.fake.inject({ stream: { firstByteDelayMs: 300 } });
      const slow = parseSse(await (await post({ ...ok, stream: true })).text());
      expect(slow[0]!.event).toBe("ping");
      expect(slow.filter((e) => e.event === "ping").length).toBeGreaterThan(2); // keep-alives while Google is silent
      checkOrder(slow);
      expect(slow.find((e) => e.event === "message_start")!.data.message.usage.input_tokens).toBeGreaterThan(0);
      h.fake.inject({ error: "capacity", times: 1, delayMs: 300 });
      const res = await post({ ...ok, stream: true });
      expect(res.status).toBe(200);
      const failed = parseSse(await res.text());
      expect(failed.at(-1)).toEqual({
        event: "error",
        data: {
          type: "error",
          error: { type: "overloaded_error", message: expect.any(String), details: { error_code: "overloaded" } },
        },
      });
      expect(failed.some((e) => e.event === "message_stop")).toBe(false);
    });

    it("streams thinking then text with many text_delta events", async () => {
      h.fake.inject({ stream: { deltaChars: 4 } });
      const res = await post({
        model: "gemini-2.5-flash",
        max_tokens: 512,
        stream: true,
        thinking: { type: "enabled", budget_tokens: 1024 },
        messages: [{ role: "user", content: "think and answer" }],
      });
      const events = parseSse(await res.text());
      checkOrder(events);
      const texts = events.filter((e) => e.data.delta?.type === "text_delta").map((e) => e.data.delta.text as string);
      expect(texts.length).toBeGreaterThan(3);
      expect(texts.join("")).toBe("Echo from gemini-2.5-flash: think and answer");
      const starts = events.filter((e) => e.event === "content_block_start").map((e) => e.data.content_block.type);
      expect(starts).toEqual(["thinking", "text"]);
      expect(events.find((e) => e.event === "message_delta")!.data.delta.stop_reason).toBe("end_turn");
    });

    it("maps MAX_TOKENS to max_tokens and a blocked prompt to refusal", async () => {
      h.fake.inject({ stream: { finishReason: "MAX_TOKENS" } });
      const cut = (await (await post({ ...ok })).json()) as { stop_reason: string };
      expect(cut.stop_reason).toBe("max_tokens");
      h.fake.inject({ stream: { text: "", promptFeedback: { blockReason: "SAFETY" }, finishReason: null } });
      const blocked = (await (await post({ ...ok })).json()) as { stop_reason: string; content: unknown[] };
      expect(blocked).toMatchObject({ stop_reason: "refusal", content: [] });
    });

    it("accepts ?beta=true, the key as x-api-key or Bearer, and routes without /v1", async () => {
      for (const [path, extra] of [
        ["/v1/messages?beta=true", {}],
        ["/messages", {}],
        ["/v1/messages", { "x-api-key": "", authorization: `Bearer ${CLIENT_KEY}` }],
      ] as const) {
        const res = await post(ok, path, extra);
        expect(res.status).toBe(200);
        expect(((await res.json()) as { content: { text: string }[] }).content[0]!.text).toBe(
          "Echo from gemini-2.5-flash: hi",
        );
      }
      const count = await post(
        { model: "gemini-2.5-flash", messages: ok.messages },
        "/v1/messages/count_tokens?beta=true",
      );
      expect(count.status).toBe(200);
      expect(((await count.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
    });

    it("errors decided by the HTTP layer have Anthropic's shape", async () => {
      const missing = await h.request("/v1/messages", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(ok),
      });
      expect(missing.status).toBe(401);
      const body = (await missing.json()) as { type: string; error: { type: string; message: string } };
      expect(body.type).toBe("error");
      expect(body.error.type).toBe("authentication_error");
      expect(body.error.message).toMatch(/x-api-key/);
      const unknown = await post(ok, "/v1/messages/batches");
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ type: "error", error: { type: "not_found_error" } });
    });

    it("upstream 400s keep their status in Anthropic's shape", async () => {
      h.fake.inject({ error: "invalid_argument", times: 1 });
      const res = await post(ok);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    });

    it("the malformed-input corpus is answered with 4xx in Anthropic's shape", async () => {
      for (const [name, body, status] of CORPUS) {
        const res = await post(body);
        const json = (await res.json()) as { type: string; error: { type: string; message: string } };
        expect({ name, status: res.status }).toEqual({ name, status });
        expect(json.type, name).toBe("error");
        expect(json.error.type, name).toBe(status === 404 ? "not_found_error" : "invalid_request_error");
        expect(json.error.message.length, name).toBeGreaterThan(0);
      }
      const count = await post({ model: "gemini-2.5-flash" }, "/v1/messages/count_tokens");
      expect(count.status).toBe(400);
    });
  },
);
