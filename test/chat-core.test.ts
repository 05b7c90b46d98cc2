// The neutral chat core as tables of input → expected pairs: neutral requests → Gemini requests
// (chat/to-gemini.ts), Gemini answers → neutral blocks and finish reasons (chat/blocks.ts), and the
// stop-sequence scanner. No surface is involved: these are the facts every surface builds on.
import { describe, expect, it } from "vitest";
import { createModelCatalogue } from "../src/gemini/models.ts";
import type { GenerateContentResponse } from "../src/gemini/types.ts";
import { collectBlocks, createBlockAssembler } from "../src/chat/blocks.ts";
import { ChatError } from "../src/chat/errors.ts";
import { createStopScanner } from "../src/chat/stop-sequences.ts";
import { toGeminiRequest } from "../src/chat/to-gemini.ts";
import type { ChatRequest, ChatTurn } from "../src/chat/types.ts";

const catalogue = createModelCatalogue();
const chat = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: catalogue.resolve("gemini-2.5-flash")!,
  turns: [{ role: "user", blocks: [{ type: "text", text: "hi" }] }],
  tools: [],
  search: false,
  generation: {},
  reasoning: {},
  stream: false,
  ...over,
});
const text = (t: string) => ({ type: "text" as const, text: t });
const user = (...blocks: ChatTurn["blocks"]): ChatTurn => ({ role: "user", blocks });
const system = (t: string): ChatTurn => ({ role: "system", blocks: [text(t)] });
const assistant = (...blocks: ChatTurn["blocks"]): ChatTurn => ({ role: "assistant", blocks });

describe("neutral request → Gemini request", () => {
  it.each<[string, Partial<ChatRequest>, Record<string, unknown>]>([
    [
      "leading system turns → systemInstruction",
      { turns: [system("A"), system("B"), user(text("hi"))] },
      { systemInstruction: { parts: [{ text: "A\n\nB" }] }, contents: [{ role: "user", parts: [{ text: "hi" }] }] },
    ],
    [
      "a later system turn stays at its position, marked",
      { turns: [user(text("hi")), system("be brief"), assistant(text("ok")), user(text("more"))] },
      {
        contents: [
          { role: "user", parts: [{ text: "hi" }, { text: "<system-instruction>\nbe brief\n</system-instruction>" }] },
          { role: "model", parts: [{ text: "ok" }] },
          { role: "user", parts: [{ text: "more" }] },
        ],
      },
    ],
    [
      "a thinking block's signature signs the call after it; results grouped in call order",
      {
        turns: [
          user(text("go")),
          assistant(
            { type: "thinking", text: "", signature: "SIG" },
            { type: "tool_call", id: "toolu_1", name: "a", args: { x: 1 } },
            { type: "tool_call", id: "toolu_2", name: "b", args: {} },
          ),
          user(
            { type: "tool_result", callId: "toolu_2", content: '{"ok":true}' },
            { type: "tool_result", callId: "toolu_1", content: "done", isError: true },
          ),
        ],
      },
      {
        contents: [
          { role: "user", parts: [{ text: "go" }] },
          {
            role: "model",
            parts: [
              { functionCall: { name: "a", args: { x: 1 } }, thoughtSignature: "SIG" },
              { functionCall: { name: "b", args: {} } },
            ],
          },
          {
            role: "user",
            parts: [
              { functionResponse: { name: "a", response: { error: "done" } } },
              { functionResponse: { name: "b", response: { ok: true } } },
            ],
          },
        ],
      },
    ],
    [
      "a result answering no call becomes text; Gemini's own call ids are echoed",
      {
        turns: [
          user(text("go")),
          assistant({ type: "tool_call", id: "fc-9", name: "a", args: {} }),
          user(
            { type: "tool_result", callId: "fc-9", content: "1" },
            { type: "tool_result", callId: "zz", name: "q", content: "2" },
          ),
        ],
      },
      {
        contents: [
          { role: "user", parts: [{ text: "go" }] },
          {
            role: "model",
            parts: [
              {
                functionCall: { id: "fc-9", name: "a", args: {} },
                thoughtSignature: "skip_thought_signature_validator",
              },
            ],
          },
          {
            role: "user",
            parts: [
              { functionResponse: { id: "fc-9", name: "a", response: { output: "1" } } },
              { text: "[q result] 2" },
            ],
          },
        ],
      },
    ],
    [
      "inline media, Google file URIs; a media-only user turn gets an empty text part",
      {
        turns: [
          user(
            { type: "media", source: { kind: "inline", mimeType: "image/png", data: "AA==" }, param: "p" },
            { type: "media", source: { kind: "file", uri: "gs://b/o.pdf" }, param: "q" },
          ),
        ],
      },
      {
        contents: [
          {
            role: "user",
            parts: [
              { inlineData: { mimeType: "image/png", data: "AA==" } },
              { fileData: { fileUri: "gs://b/o.pdf" } },
              { text: "" },
            ],
          },
        ],
      },
    ],
    [
      "tools: one declarations entry, names sanitized; required with names → ANY with allowed names",
      {
        tools: [
          { name: "read file", schema: { type: "object", properties: { p: { type: "string", $schema: "x" } } } },
          { name: "n" },
        ],
        search: true,
        toolChoice: { mode: "required", names: ["read file"] },
      },
      {
        contents: [{ role: "user", parts: [{ text: "hi" }] }],
        tools: [
          {
            functionDeclarations: [
              { name: "read_file", parametersJsonSchema: { type: "object", properties: { p: { type: "string" } } } },
              { name: "n" },
            ],
          },
          { googleSearch: {} },
        ],
        toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["read_file"] } },
      },
    ],
    [
      "generation settings and a JSON schema format",
      {
        generation: {
          temperature: 0.5,
          topK: 0,
          maxOutputTokens: 10,
          stopSequences: ["x"],
          presencePenalty: 1,
          logprobs: { top: 2 },
        },
        responseFormat: {
          type: "json_schema",
          schema: { type: "object", properties: { a: { const: 1 } } },
          param: "f",
        },
      },
      {
        contents: [{ role: "user", parts: [{ text: "hi" }] }],
        generationConfig: {
          temperature: 0.5,
          maxOutputTokens: 10,
          stopSequences: ["x"],
          responseLogprobs: true,
          logprobs: 2,
          responseMimeType: "application/json",
          responseJsonSchema: { type: "object", properties: { a: { enum: [1] } } },
        },
      },
    ],
    [
      "reasoning wish clamped to the model",
      { reasoning: { effort: "high", includeThoughts: true } },
      {
        contents: [{ role: "user", parts: [{ text: "hi" }] }],
        generationConfig: { thinkingConfig: { thinkingBudget: 24576, includeThoughts: true } },
      },
    ],
  ])("%s", (_name, over, expected) => {
    expect(toGeminiRequest(chat(over)).request).toEqual(expected);
  });

  it.each<[string, Partial<ChatRequest>, string | null]>([
    [
      "a JSON format with a forced call",
      {
        tools: [{ name: "f" }],
        toolChoice: { mode: "required" },
        responseFormat: { type: "json", param: "output_config.format" },
      },
      "output_config.format",
    ],
    [
      "a URL the route did not fetch",
      {
        turns: [
          user({
            type: "media",
            source: { kind: "url", url: "https://a.test/x.png" },
            param: "messages[0].content[0]",
          }),
        ],
      },
      "messages[0].content[0]",
    ],
    ["nothing to send", { turns: [system("")] }, "messages"],
  ])("%s → ChatError invalid_request naming the client's path", (_name, over, param) => {
    let error: unknown;
    try {
      toGeminiRequest(chat(over));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ChatError);
    expect(error).toMatchObject({ kind: "invalid_request", param });
  });
});

const reply = (parts: Record<string, unknown>[], finishReason?: string): GenerateContentResponse => ({
  candidates: [{ content: { role: "model", parts }, ...(finishReason ? { finishReason } : {}), index: 0 }],
});
const options = {
  toolNames: new Map([["read_file", "read file"]]),
  newToolId: () => "call_new",
  signatureBlocks: false,
};

describe("Gemini answer → neutral blocks and finish reason", () => {
  it.each<[string, GenerateContentResponse, unknown[], string]>([
    ["text", reply([{ text: "a" }, { text: "b" }], "STOP"), [{ kind: "text", text: "ab" }], "stop"],
    ["max tokens", reply([{ text: "a" }], "MAX_TOKENS"), [{ kind: "text", text: "a" }], "length"],
    [
      "a call after STOP is tool_calls, names restored",
      reply([{ functionCall: { name: "read_file", args: { p: 1 } } }], "STOP"),
      [{ kind: "tool", id: "call_new", name: "read file", args: { p: 1 } }],
      "tool_calls",
    ],
    [
      "safety wins over calls",
      reply([{ functionCall: { name: "x", args: {} } }], "SAFETY"),
      [{ kind: "tool", id: "call_new", name: "x", args: {} }],
      "filtered",
    ],
    [
      "thoughts then text, the text part's signature signs the thoughts",
      reply(
        [
          { text: "t", thought: true },
          { text: "a", thoughtSignature: "S" },
        ],
        "STOP",
      ),
      [
        { kind: "thinking", text: "t", signature: "S" },
        { kind: "text", text: "a" },
      ],
      "stop",
    ],
    [
      "an image part",
      reply([{ text: "see" }, { inlineData: { mimeType: "image/png", data: "AA==" } }], "STOP"),
      [
        { kind: "text", text: "see" },
        { kind: "image", mimeType: "image/png", data: "AA==" },
      ],
      "stop",
    ],
    [
      "code execution as fenced text",
      reply([{ executableCode: { language: "PYTHON", code: "1+1" } }], "STOP"),
      [{ kind: "text", text: "\n```python\n1+1\n```\n" }],
      "stop",
    ],
    ["a blocked prompt", { promptFeedback: { blockReason: "SAFETY" } }, [], "filtered"],
    [
      "a unary reply without a finish reason ends normally",
      reply([{ text: "a" }]),
      [{ kind: "text", text: "a" }],
      "stop",
    ],
  ])("%s", (_name, response, blocks, finish) => {
    const s = collectBlocks(response, options);
    expect(s.blocks).toEqual(blocks);
    expect(s.finish).toBe(finish);
  });

  it("the first call carries the step's signature even when a thinking block took it (store and chat clients)", () => {
    const s = collectBlocks(
      reply([{ text: "t", thought: true, thoughtSignature: "S" }, { functionCall: { name: "f", args: {} } }], "STOP"),
      options,
    );
    expect(s.blocks).toEqual([
      { kind: "thinking", text: "t", signature: "S" },
      { kind: "tool", id: "call_new", name: "f", args: {}, signature: "S" },
    ]);
    expect(s.signatures).toEqual([["call_new", "S"]]);
  });

  it.each<[string, GenerateContentResponse[], string]>([
    ["a stream cut before its finish reason", [reply([{ text: "a" }])], "stream_incomplete"],
    ["a failure finish reason", [reply([{ text: "a" }], "MALFORMED_FUNCTION_CALL")], "malformed_function_call"],
  ])("%s → ChatError bad_reply", (_name, chunks, code) => {
    const a = createBlockAssembler(options);
    chunks.forEach((c) => a.push(c));
    expect(() => a.finish()).toThrow(expect.objectContaining({ kind: "bad_reply", code }));
  });

  it("stop sequences: text cut before the match, later parts ignored, the sequence reported", () => {
    const a = createBlockAssembler({ ...options, stopSequences: ["STOP!"] });
    const events = [
      ...a.push(reply([{ text: "one ST" }])),
      ...a.push(reply([{ text: "OP! two" }, { functionCall: { name: "f", args: {} } }])),
    ];
    expect(a.stopped()).toBe(true);
    a.finish();
    expect(events.filter((e) => e.type === "delta").map((e) => (e as { text: string }).text)).toEqual(["one "]);
    expect(a.summary()).toMatchObject({
      finish: "stop_sequence",
      stopSequence: "STOP!",
      blocks: [{ kind: "text", text: "one " }],
    });
  });
});

describe("stop-sequence scanner", () => {
  it.each<[string, string[], string[], string, string | undefined]>([
    ["no match: everything out, at the end", ["zz"], ["abc", "def"], "abcdef", undefined],
    ["a match across pieces", ["cd"], ["abc", "def"], "ab", "cd"],
    ["the earliest of several", ["ef", "bc"], ["abcdef"], "a", "bc"],
    ["a held prefix that turns out not to match", ["xyz"], ["abx", "q"], "abxq", undefined],
  ])("%s", (_name, seqs, pieces, shown, matched) => {
    const s = createStopScanner(seqs);
    let out = "";
    let hit: string | undefined;
    for (const p of pieces) {
      const r = s.push(p);
      out += r.emit;
      if (r.matched !== undefined) {
        hit = r.matched;
        break;
      }
    }
    if (hit === undefined) out += s.flush();
    expect([out, hit]).toEqual([shown, matched]);
  });
});
