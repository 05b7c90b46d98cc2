// The Responses surface over raw HTTP, through proxy.fetch and a real node:http server: the event
// sequence (sequence numbers, item/part nesting, terminal event), errors before the stream starts
// with their real status, and the malformed-input corpus (OpenAI-shaped 4xx, never a 5xx).
import { expect, it } from "vitest";
import { authHeaders, describeMatrix } from "./_setup.ts";

function parseSse(text: string): { event: string; data: any }[] {
  return text
    .split("\n\n")
    .filter((b) => b.trim() && !b.startsWith(":"))
    .map((block) => {
      const lines = block.split("\n");
      return {
        event: lines.find((l) => l.startsWith("event: "))!.slice(7),
        data: JSON.parse(lines.find((l) => l.startsWith("data: "))!.slice(6)),
      };
    });
}

const ok = { model: "gemini-2.5-flash", input: "hi" };
const FN = {
  type: "function",
  name: "get_weather",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

const CORPUS: [string, unknown, number, string | null][] = [
  ["not JSON", "{nope", 400, null],
  ["an array", [ok], 400, null],
  ["missing model", { input: "x" }, 400, "model"],
  ["unknown model", { ...ok, model: "gpt-5" }, 404, "model"],
  ["missing input", { model: "gemini-2.5-flash" }, 400, "input"],
  ["input is a number", { ...ok, input: 4 }, 400, "input"],
  ["input item is a string", { ...ok, input: ["hi"] }, 400, "input[0]"],
  ["input item of an unknown type", { ...ok, input: [{ type: "telepathy" }] }, 400, "input[0].type"],
  ["message with a bad role", { ...ok, input: [{ role: "robot", content: "x" }] }, 400, "input[0].role"],
  ["message content is a number", { ...ok, input: [{ role: "user", content: 1 }] }, 400, "input[0].content"],
  [
    "content part of an unknown type",
    { ...ok, input: [{ role: "user", content: [{ type: "input_video" }] }] },
    400,
    "input[0].content[0].type",
  ],
  [
    "input_text without text",
    { ...ok, input: [{ role: "user", content: [{ type: "input_text" }] }] },
    400,
    "input[0].content[0].text",
  ],
  [
    "input_image by file_id",
    { ...ok, input: [{ role: "user", content: [{ type: "input_image", file_id: "file-1" }] }] },
    400,
    "input[0].content[0].file_id",
  ],
  [
    "input_image with a bad data URI",
    { ...ok, input: [{ role: "user", content: [{ type: "input_image", image_url: "data:image/png;base64,@@" }] }] },
    400,
    null,
  ],
  [
    "input_file without data",
    { ...ok, input: [{ role: "user", content: [{ type: "input_file", file_id: "f" }] }] },
    400,
    "input[0].content[0].file_data",
  ],
  [
    "function_call without call_id",
    { ...ok, input: [{ type: "function_call", name: "f", arguments: "{}" }] },
    400,
    "input[0].call_id",
  ],
  [
    "function_call_output without call_id",
    { ...ok, input: [{ type: "function_call_output", output: "x" }] },
    400,
    "input[0].call_id",
  ],
  ["item_reference", { ...ok, input: [{ type: "item_reference", id: "msg_1" }] }, 400, "input[0].type"],
  ["instructions is an object", { ...ok, instructions: { text: "x" } }, 400, "instructions"],
  ["tools is an object", { ...ok, tools: FN }, 400, "tools"],
  ["function tool without name", { ...ok, tools: [{ type: "function", parameters: {} }] }, 400, "tools[0].name"],
  [
    "function tool parameters is a string",
    { ...ok, tools: [{ type: "function", name: "f", parameters: "{}" }] },
    400,
    "tools[0].parameters",
  ],
  ["tool without type", { ...ok, tools: [{ name: "f" }] }, 400, "tools[0].type"],
  [
    "tool_choice names an unknown function",
    { ...ok, tools: [FN], tool_choice: { type: "function", name: "nope" } },
    400,
    null,
  ],
  ["tool_choice required without tools", { ...ok, tool_choice: "required" }, 400, "tool_choice"],
  ["text.format of an unknown type", { ...ok, text: { format: { type: "yaml" } } }, 400, "text.format.type"],
  [
    "json_schema format without schema",
    { ...ok, text: { format: { type: "json_schema", name: "x" } } },
    400,
    "text.format.schema",
  ],
  ["reasoning effort unknown", { ...ok, reasoning: { effort: "extreme" } }, 400, "reasoning.effort"],
  ["max_output_tokens is 0", { ...ok, max_output_tokens: 0 }, 400, "max_output_tokens"],
  ["temperature is a string", { ...ok, temperature: "warm" }, 400, "temperature"],
  ["stream is a string", { ...ok, stream: "yes" }, 400, "stream"],
  ["store is a string", { ...ok, store: "no" }, 400, "store"],
  ["include is a string", { ...ok, include: "reasoning.encrypted_content" }, 400, "include"],
  ["background responses", { ...ok, background: true }, 400, "background"],
  ["previous_response_id unknown", { ...ok, previous_response_id: "resp_nothing" }, 400, "previous_response_id"],
  ["previous_response_id is a number", { ...ok, previous_response_id: 5 }, 400, "previous_response_id"],
];

describeMatrix(
  "responses over HTTP",
  (fake) => {
    fake.addAccount({ email: "resp@example.com" });
    return { credentials: [fake.simpleCredential("resp@example.com")], pool: { maxAttempts: 1, waitForCooldownMs: 0 } };
  },
  (h) => {
    const post = (body: unknown, path = "/v1/responses") =>
      h.request(path, {
        method: "POST",
        headers: authHeaders(),
        body: typeof body === "string" ? body : JSON.stringify(body),
      });

    it("streams reasoning, text and a function call with consistent indices and sequence numbers", async () => {
      const res = await post({
        model: "gemini-2.5-flash",
        stream: true,
        tools: [FN],
        reasoning: { effort: "low", summary: "auto" },
        input: "call:get_weather",
      });
      expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const events = parseSse(await res.text());
      events.forEach((e, i) => {
        expect(e.data.type).toBe(e.event);
        expect(e.data.sequence_number).toBe(i);
      });
      expect(events.map((e) => e.event)).toEqual([
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.reasoning_summary_part.added",
        "response.reasoning_summary_text.delta",
        "response.reasoning_summary_text.done",
        "response.reasoning_summary_part.done",
        "response.output_item.done",
        "response.output_item.added",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.output_item.done",
        "response.completed",
      ]);
      expect(events[0]!.data.response).toMatchObject({ object: "response", status: "in_progress", output: [] });
      expect(events[8]!.data).toMatchObject({
        output_index: 1,
        item: { type: "function_call", name: "get_weather", arguments: "", status: "in_progress" },
      });
      const done = events.at(-1)!.data.response;
      expect(done.status).toBe("completed");
      expect(done.output.map((o: { type: string }) => o.type)).toEqual(["reasoning", "function_call"]);
      expect(JSON.parse(done.output[1].arguments)).toHaveProperty("city");
      expect(done.usage.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    });

    it("a length cut is status incomplete with response.incomplete", async () => {
      h.fake.inject({ stream: { finishReason: "MAX_TOKENS" } });
      const res = await post({ ...ok, stream: true, max_output_tokens: 5 });
      const events = parseSse(await res.text());
      expect(events.at(-1)!.event).toBe("response.incomplete");
      expect(events.at(-1)!.data.response).toMatchObject({
        status: "incomplete",
        incomplete_details: { reason: "max_output_tokens" },
      });
      expect(h.fake.last({ action: "streamGenerateContent" })!.body).toMatchObject({
        request: { generationConfig: { maxOutputTokens: 5 } },
      });
    });

    it("an upstream failure before the stream starts keeps its HTTP status", async () => {
      h.fake.inject({ error: "rate_limit", times: 1, errorOptions: { retryDelaySec: 3 } });
      const res = await post({ ...ok, stream: true });
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("3");
      expect(((await res.json()) as { error: { type: string } }).error.type).toBe("requests");
      for (const c of h.proxy.pool.list()) await h.proxy.pool.clearCooldown(c.id);
    });

    it("routes without /v1; HTTP-layer errors in OpenAI's shape", async () => {
      expect((await post(ok, "/responses")).status).toBe(200);
      const noKey = await h.request("/v1/responses", { method: "POST", body: JSON.stringify(ok) });
      expect(noKey.status).toBe(401);
      expect(await noKey.json()).toMatchObject({ error: { type: "authentication_error", code: "invalid_api_key" } });
    });

    it("the malformed-input corpus is answered with OpenAI-shaped 4xx", async () => {
      for (const [name, body, status, param] of CORPUS) {
        const res = await post(body);
        const json = (await res.json()) as { error: { message: string; type: string; param: string | null } };
        expect({ name, status: res.status }).toEqual({ name, status });
        expect(json.error.type, name).toBe("invalid_request_error");
        if (param !== null) expect(json.error.param, name).toBe(param);
        expect(json.error.message.length, name).toBeGreaterThan(0);
      }
    });
  },
);
