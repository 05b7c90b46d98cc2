// Pure translation of the Responses surface: input items → Gemini (through the shared chat
// translation), request options, output items, the stored history form, and the response store.
import { createStorage } from "unstorage";
import { describe, expect, it } from "vitest";
import { createModelCatalogue } from "../src/gemini/models.ts";
import { toGeminiRequest } from "../src/chat/to-gemini.ts";
import type { ChatTurn } from "../src/chat/types.ts";
import { parseResponsesRequest, toChat } from "../src/surfaces/responses/request.ts";
import { toHistoryTurn, toResponse } from "../src/surfaces/responses/response.ts";
import { createResponseStore, responseKey } from "../src/surfaces/responses/store.ts";
import type { StorageLike } from "../src/storage/types.ts";
import { collectBlocks } from "../src/chat/blocks.ts";

const catalogue = createModelCatalogue();
const gemini = (body: Record<string, unknown>, history: ChatTurn[] = []) => {
  const req = parseResponsesRequest({ model: "gemini-2.5-flash", ...body });
  return toGeminiRequest(toChat(req, catalogue.resolve(req.model)!, history)).request;
};

describe("input → Gemini", () => {
  it("items: reasoning signs the next call, calls join the assistant turn, outputs become responses", () => {
    const req = gemini({
      instructions: "inst",
      input: [
        {
          role: "user",
          content: [
            { type: "input_text", text: "weather?" },
            { type: "input_image", image_url: "data:image/png;base64,AAAA" },
          ],
        },
        { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "SIG-R" },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Checking." }] },
        { type: "function_call", call_id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' },
        { type: "function_call", call_id: "call_2", name: "get_time", arguments: "{}" },
        { type: "function_call_output", call_id: "call_1", output: "sunny" },
        { type: "function_call_output", call_id: "call_2", output: [{ type: "input_text", text: "noon" }] },
        { type: "web_search_call", id: "ws_1", status: "completed" },
      ],
    });
    expect(req.systemInstruction).toEqual({ parts: [{ text: "inst" }] });
    expect(req.contents).toEqual([
      { role: "user", parts: [{ text: "weather?" }, { inlineData: { mimeType: "image/png", data: "AAAA" } }] },
      {
        role: "model",
        parts: [
          { text: "Checking." },
          { functionCall: { name: "get_weather", args: { city: "Paris" } }, thoughtSignature: "SIG-R" },
          { functionCall: { name: "get_time", args: {} } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "get_weather", response: { output: "sunny" } } },
          { functionResponse: { name: "get_time", response: { output: "noon" } } },
        ],
      },
    ]);
  });

  it("history from a stored conversation comes before the new input, instructions before both", () => {
    const req = gemini({ instructions: "new rules", input: "next" }, [
      { role: "user", blocks: [{ type: "text", text: "before" }] },
      { role: "assistant", blocks: [{ type: "text", text: "answer" }] },
    ]);
    expect(req.systemInstruction).toEqual({ parts: [{ text: "new rules" }] });
    expect(req.contents.map((c) => c.parts[0]!.text)).toEqual(["before", "answer", "next"]);
  });

  it("input_file data without a data: prefix gets a MIME type from its name", () => {
    const req = gemini({
      input: [{ role: "user", content: [{ type: "input_file", filename: "a.pdf", file_data: "JVBERi0=" }] }],
    });
    expect(req.contents[0]!.parts[0]).toEqual({ inlineData: { mimeType: "application/pdf", data: "JVBERi0=" } });
  });

  it.each([
    [{ tool_choice: "required" }, { functionCallingConfig: { mode: "ANY" } }],
    [
      { tool_choice: { type: "function", name: "f" } },
      { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["f"] } },
    ],
    [
      { tool_choice: { type: "allowed_tools", mode: "auto", tools: [{ type: "function", name: "f" }] } },
      { functionCallingConfig: { mode: "VALIDATED", allowedFunctionNames: ["f"] } },
    ],
    [{ tool_choice: "none" }, { functionCallingConfig: { mode: "NONE" } }],
  ])("tool_choice %j", (choice, config) => {
    expect(
      gemini({
        input: "x",
        tools: [
          { type: "function", name: "f", parameters: { type: "object", properties: { a: { type: "string" } } } },
          { type: "file_search" },
        ],
        ...choice,
      }).toolConfig,
    ).toEqual(config);
  });

  it("options: max_output_tokens, text.format, reasoning (summary decides whether thoughts come back), web search", () => {
    const r = gemini({
      input: "x",
      max_output_tokens: 50,
      temperature: 0.3,
      text: { format: { type: "json_object" } },
      reasoning: { effort: "high" },
      tools: [{ type: "web_search_preview" }],
    });
    expect(r.generationConfig).toEqual({
      temperature: 0.3,
      maxOutputTokens: 50,
      responseMimeType: "application/json",
      thinkingConfig: { includeThoughts: false, thinkingBudget: 24_576 },
    });
    expect(r.tools).toEqual([{ googleSearch: {} }]);
    expect(gemini({ input: "x", reasoning: { summary: "auto" } }).generationConfig).toEqual({
      thinkingConfig: { includeThoughts: true },
    });
  });
});

describe("output", () => {
  const base = { id: "resp_abc", created_at: 1, model: "m", echo: { store: true }, encryptedReasoning: true };
  const response = {
    candidates: [
      {
        index: 0,
        finishReason: "STOP",
        content: {
          role: "model",
          parts: [
            { text: "why", thought: true },
            { text: "ok " },
            { functionCall: { name: "f", args: { a: 1 } }, thoughtSignature: "SIG" },
          ],
        },
      },
    ],
    usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 4, thoughtsTokenCount: 2, totalTokenCount: 9 },
  };
  const summary = collectBlocks(response, { toolNames: new Map(), newToolId: () => "call_x", signatureBlocks: true });

  it("output items, usage, status", () => {
    const r = toResponse(summary, base) as { output: Record<string, unknown>[]; usage: unknown; status: string };
    expect(r.status).toBe("completed");
    expect(r.output).toEqual([
      { type: "reasoning", id: "rs_abc00", summary: [{ type: "summary_text", text: "why" }] },
      {
        type: "message",
        id: "msg_abc01",
        status: "completed",
        role: "assistant",
        content: [{ type: "output_text", text: "ok ", annotations: [], logprobs: [] }],
      },
      { type: "reasoning", id: "rs_abc02", summary: [], encrypted_content: "SIG" },
      {
        type: "function_call",
        id: "fc_abc03",
        call_id: "call_x",
        name: "f",
        arguments: '{"a":1}',
        status: "completed",
      },
    ]);
    expect(r.usage).toEqual({
      input_tokens: 3,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 6,
      output_tokens_details: { reasoning_tokens: 2 },
      total_tokens: 9,
    });
  });

  it("the history form keeps calls and their signatures", () => {
    expect(toHistoryTurn(summary.blocks)).toEqual({
      role: "assistant",
      blocks: [
        { type: "text", text: "ok " },
        { type: "tool_call", id: "call_x", name: "f", args: { a: 1 }, signature: "SIG" },
      ],
    });
  });
});

describe("response store", () => {
  it("keeps entries for ttlSec (expiry stored in the value), hashes ids, sweeps expired ones", async () => {
    let now = 1_000_000;
    const storage = createStorage() as unknown as StorageLike;
    const store = createResponseStore(storage, { ttlSec: 10, now: () => now, sweepIntervalMs: 60_000 });
    await store.save("resp_1", { model: "m", turns: [{ role: "user", blocks: [{ type: "text", text: "a" }] }] });
    expect(await storage.getKeys("responses")).toEqual([responseKey("resp_1")]);
    expect(responseKey("../x:y")).toMatch(/^responses:[A-Za-z0-9_-]+$/);
    expect(await store.load("resp_1")).toEqual({
      model: "m",
      turns: [{ role: "user", blocks: [{ type: "text", text: "a" }] }],
    });
    now += 11_000;
    expect(await store.load("resp_1")).toBeUndefined();
    await store.save("resp_2", { model: "m", turns: [] });
    now += 11_000;
    await store.save("resp_3", { model: "m", turns: [] });
    now += 60_000;
    await store.save("resp_4", { model: "m", turns: [] }); // triggers a sweep
    await new Promise((r) => setTimeout(r, 10));
    expect(await storage.getKeys("responses")).toEqual([responseKey("resp_4")]);
  });
});
