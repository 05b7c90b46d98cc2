import { describe, expect, it } from "vitest";
import { createModelCatalogue } from "../src/gemini/models.ts";
import { parseChatRequest, parseOpenAIChat, type ChatRequestOptions } from "../src/surfaces/openai/request.ts";
import { mediaUrls } from "../src/chat/media.ts";
import { callIdsToLoad } from "../src/chat/signatures.ts";

const catalogue = createModelCatalogue();
const HI = [{ role: "user", parts: [{ text: "hi" }] }];
const WEATHER = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
const weatherTool = {
  type: "function",
  function: { name: "get_weather", description: "Weather", parameters: WEATHER },
};
const PNG = "iVBORw0KGgo=";

function plan(
  body: Record<string, unknown>,
  opts: ChatRequestOptions & {
    signatures?: Map<string, string>;
    media?: Map<string, { mimeType: string; data: string }>;
  } = {},
) {
  return parseChatRequest(
    { model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }], ...body },
    { catalogue, ...opts },
  );
}
const req = (body: Record<string, unknown>, opts?: Parameters<typeof plan>[1]) => plan(body, opts).request;

describe("messages → contents", () => {
  it.each<[string, unknown[], unknown]>([
    ["plain user string", [{ role: "user", content: "hi" }], { contents: HI }],
    [
      "system + developer joined into systemInstruction",
      [
        { role: "system", content: "A" },
        { role: "developer", content: [{ type: "text", text: "B" }] },
        { role: "user", content: "hi" },
      ],
      { systemInstruction: { parts: [{ text: "A\n\nB" }] }, contents: HI },
    ],
    [
      "mid-conversation system → marked user text at its position, merged",
      [
        { role: "user", content: "hi" },
        { role: "system", content: "be brief" },
      ],
      {
        contents: [
          { role: "user", parts: [{ text: "hi" }, { text: "<system-instruction>\nbe brief\n</system-instruction>" }] },
        ],
      },
    ],
    [
      "lone system message becomes the user turn",
      [{ role: "system", content: "only" }],
      { contents: [{ role: "user", parts: [{ text: "only" }] }] },
    ],
    [
      "array text parts with cache_control, empty text dropped",
      [
        {
          role: "user",
          content: [
            { type: "text", text: "a", cache_control: { type: "ephemeral" } },
            { type: "text", text: "" },
            { type: "text", text: "b" },
          ],
          name: "bob",
        },
      ],
      { contents: [{ role: "user", parts: [{ text: "a" }, { text: "b" }] }] },
    ],
    [
      "image data URI (all-image turn gets a text part)",
      [
        {
          role: "user",
          content: [{ type: "image_url", image_url: { url: `data:image/png;base64,${PNG}`, detail: "low" } }],
        },
      ],
      { contents: [{ role: "user", parts: [{ inlineData: { mimeType: "image/png", data: PNG } }, { text: "" }] }] },
    ],
    [
      "image http URL pre-fetched by the route",
      [
        {
          role: "user",
          content: [
            { type: "text", text: "what?" },
            { type: "image_url", image_url: { url: "https://x.test/cat.jpg" } },
          ],
        },
      ],
      {
        contents: [
          { role: "user", parts: [{ text: "what?" }, { inlineData: { mimeType: "image/jpeg", data: "AAAA" } }] },
        ],
      },
    ],
    [
      "image_url as a bare string, Files API URI as fileData",
      [
        {
          role: "user",
          content: [
            { type: "text", text: "x" },
            { type: "image_url", image_url: "https://generativelanguage.googleapis.com/v1beta/files/abc" },
          ],
        },
      ],
      {
        contents: [
          {
            role: "user",
            parts: [
              { text: "x" },
              { fileData: { fileUri: "https://generativelanguage.googleapis.com/v1beta/files/abc" } },
            ],
          },
        ],
      },
    ],
    [
      "input_audio wav and mp3",
      [
        {
          role: "user",
          content: [
            { type: "text", text: "listen" },
            { type: "input_audio", input_audio: { data: "UklG", format: "wav" } },
            { type: "input_audio", input_audio: { data: "SUQz", format: "mp3" } },
          ],
        },
      ],
      {
        contents: [
          {
            role: "user",
            parts: [
              { text: "listen" },
              { inlineData: { mimeType: "audio/wav", data: "UklG" } },
              { inlineData: { mimeType: "audio/mpeg", data: "SUQz" } },
            ],
          },
        ],
      },
    ],
    [
      "PDF file part",
      [
        {
          role: "user",
          content: [
            { type: "text", text: "sum" },
            { type: "file", file: { filename: "a.pdf", file_data: "data:application/pdf;base64,JVBERi0=" } },
          ],
        },
      ],
      {
        contents: [
          { role: "user", parts: [{ text: "sum" }, { inlineData: { mimeType: "application/pdf", data: "JVBERi0=" } }] },
        ],
      },
    ],
    [
      "assistant text, history ending on a model text turn gets Continue.",
      [
        { role: "user", content: "hi" },
        {
          role: "assistant",
          content: [
            { type: "text", text: "Hel" },
            { type: "refusal", refusal: "lo" },
          ],
          reasoning_content: "dropped",
        },
      ],
      {
        contents: [
          ...HI,
          { role: "model", parts: [{ text: "Hello" }] },
          { role: "user", parts: [{ text: "Continue." }] },
        ],
      },
    ],
    [
      "history starting with assistant gets a user turn first",
      [
        { role: "assistant", content: "Hi!" },
        { role: "user", content: "hi" },
      ],
      { contents: [{ role: "user", parts: [{ text: " " }] }, { role: "model", parts: [{ text: "Hi!" }] }, ...HI] },
    ],
    [
      "adjacent user messages merged",
      [
        { role: "user", content: "a" },
        { role: "user", content: "b" },
      ],
      { contents: [{ role: "user", parts: [{ text: "a" }, { text: "b" }] }] },
    ],
    [
      "empty assistant content skipped",
      [
        { role: "user", content: "a" },
        { role: "assistant", content: null },
        { role: "user", content: "b" },
      ],
      { contents: [{ role: "user", parts: [{ text: "a" }, { text: "b" }] }] },
    ],
  ])("%s", (_name, messages, want) => {
    expect(
      req({ messages }, { media: new Map([["https://x.test/cat.jpg", { mimeType: "image/jpeg", data: "AAAA" }]]) }),
    ).toEqual(want);
  });
});

const call = (id: string, name: string, args: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: "function",
  function: { name, arguments: args },
  ...extra,
});
const SIG = { extra_content: { google: { thought_signature: "SIG_A" } } };

describe("tool round trips", () => {
  it.each<[string, unknown[], Map<string, string> | undefined, unknown]>([
    [
      "parallel calls + results grouped in call order, signatures from extra_content, id→name recovery",
      [
        { role: "user", content: "weather?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            call("call_1", "get_weather", '{"city":"Paris"}', SIG),
            call("call_2", "get_weather", '{"city":"Rome"}'),
          ],
        },
        { role: "tool", tool_call_id: "call_2", content: "rainy" },
        { role: "tool", tool_call_id: "call_1", content: '{"temp":20}' },
      ],
      undefined,
      [
        { role: "user", parts: [{ text: "weather?" }] },
        {
          role: "model",
          parts: [
            { functionCall: { name: "get_weather", args: { city: "Paris" } }, thoughtSignature: "SIG_A" },
            { functionCall: { name: "get_weather", args: { city: "Rome" } } },
          ],
        },
        {
          role: "user",
          parts: [
            { functionResponse: { name: "get_weather", response: { temp: 20 } } },
            { functionResponse: { name: "get_weather", response: { output: "rainy" } } },
          ],
        },
      ],
    ],
    [
      "signature from the server-side store; Gemini ids echoed; array tool content",
      [
        { role: "user", content: "go" },
        { role: "assistant", content: "", tool_calls: [call("fc_9", "get_weather", "{}")] },
        {
          role: "tool",
          tool_call_id: "fc_9",
          content: [
            { type: "text", text: "sun" },
            { type: "text", text: "ny" },
          ],
        },
      ],
      new Map([["fc_9", "SIG_STORED"]]),
      [
        { role: "user", parts: [{ text: "go" }] },
        {
          role: "model",
          parts: [{ functionCall: { id: "fc_9", name: "get_weather", args: {} }, thoughtSignature: "SIG_STORED" }],
        },
        {
          role: "user",
          parts: [{ functionResponse: { id: "fc_9", name: "get_weather", response: { output: "sunny" } } }],
        },
      ],
    ],
    [
      "lost signature in the current turn → bypass value; earlier turns untouched; invalid JSON args wrapped",
      [
        { role: "user", content: "one" },
        { role: "assistant", tool_calls: [call("call_a", "get_weather", "{}")] },
        { role: "tool", tool_call_id: "call_a", content: "x" },
        { role: "assistant", content: "done" },
        { role: "user", content: "two" },
        { role: "assistant", tool_calls: [call("call_b", "get_weather", "{city:")] },
        { role: "tool", tool_call_id: "call_b", content: "y" },
      ],
      undefined,
      [
        { role: "user", parts: [{ text: "one" }] },
        { role: "model", parts: [{ functionCall: { name: "get_weather", args: {} } }] },
        { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { output: "x" } } }] },
        { role: "model", parts: [{ text: "done" }] },
        { role: "user", parts: [{ text: "two" }] },
        {
          role: "model",
          parts: [
            {
              functionCall: { name: "get_weather", args: { _raw: "{city:" } },
              thoughtSignature: "skip_thought_signature_validator",
            },
          ],
        },
        { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { output: "y" } } }] },
      ],
    ],
    [
      "missing result synthesized; orphan result becomes text; rewritten id matched by position",
      [
        { role: "user", content: "q" },
        { role: "assistant", tool_calls: [call("call_1", "get_weather", "{}"), call("call_2", "other", "{}")] },
        { role: "tool", tool_call_id: "rewritten", content: "r1" },
        { role: "user", content: "next" },
        { role: "tool", tool_call_id: "call_zzz", content: "late" },
      ],
      undefined,
      [
        { role: "user", parts: [{ text: "q" }] },
        {
          role: "model",
          parts: [
            { functionCall: { name: "get_weather", args: {} }, thoughtSignature: "skip_thought_signature_validator" },
            { functionCall: { name: "other", args: {} } },
          ],
        },
        {
          role: "user",
          parts: [
            { functionResponse: { name: "get_weather", response: { output: "r1" } } },
            { functionResponse: { name: "other", response: { error: "no result" } } },
            { text: "next" },
            { text: "[call_zzz result] late" },
          ],
        },
      ],
    ],
    [
      "a result for an earlier turn's call is not matched by position to the current call",
      [
        { role: "user", content: "q" },
        { role: "assistant", tool_calls: [call("call_1", "get_weather", "{}")] },
        { role: "tool", tool_call_id: "call_1", content: "a" },
        { role: "assistant", tool_calls: [call("call_2", "get_weather", "{}")] },
        { role: "tool", tool_call_id: "call_1", content: "dup" },
        { role: "tool", tool_call_id: "call_2", content: "b" },
      ],
      undefined,
      [
        { role: "user", parts: [{ text: "q" }] },
        {
          role: "model",
          parts: [
            { functionCall: { name: "get_weather", args: {} }, thoughtSignature: "skip_thought_signature_validator" },
          ],
        },
        { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { output: "a" } } }] },
        {
          role: "model",
          parts: [
            { functionCall: { name: "get_weather", args: {} }, thoughtSignature: "skip_thought_signature_validator" },
          ],
        },
        {
          role: "user",
          parts: [
            { functionResponse: { name: "get_weather", response: { output: "b" } } },
            { text: "[call_1 result] dup" },
          ],
        },
      ],
    ],
    [
      "legacy function_call + function role; sanitized MCP names in history",
      [
        { role: "user", content: "q" },
        { role: "assistant", content: null, function_call: { name: "mcp/fs read", arguments: '{"p":1}' } },
        { role: "function", name: "mcp/fs read", content: "ok" },
      ],
      undefined,
      [
        { role: "user", parts: [{ text: "q" }] },
        {
          role: "model",
          parts: [
            {
              functionCall: { name: "mcp_fs_read", args: { p: 1 } },
              thoughtSignature: "skip_thought_signature_validator",
            },
          ],
        },
        { role: "user", parts: [{ functionResponse: { name: "mcp_fs_read", response: { output: "ok" } } }] },
      ],
    ],
  ])("%s", (_name, messages, signatures, want) => {
    expect(req({ messages }, { signatures }).contents).toEqual(want);
  });
});

describe("tools and tool_choice", () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    [
      "function tools in one functionDeclarations; empty params omitted; strict dropped",
      {
        tools: [
          weatherTool,
          { type: "function", function: { name: "now", parameters: { type: "object", properties: {} }, strict: true } },
        ],
      },
      {
        tools: [
          {
            functionDeclarations: [
              { name: "get_weather", description: "Weather", parametersJsonSchema: WEATHER },
              { name: "now" },
            ],
          },
        ],
      },
    ],
    [
      "flat Responses-style tool; web_search tool → googleSearch",
      {
        tools: [
          {
            type: "function",
            name: "f",
            parameters: { $schema: "x", type: "object", properties: { a: { const: 1 } } },
          },
          { type: "web_search" },
          { type: "custom", custom: { name: "g" } },
        ],
      },
      {
        tools: [
          {
            functionDeclarations: [
              { name: "f", parametersJsonSchema: { type: "object", properties: { a: { enum: [1] } } } },
            ],
          },
          { googleSearch: {} },
        ],
      },
    ],
    [
      "tool_choice auto",
      { tools: [weatherTool], tool_choice: "auto" },
      {
        tools: [
          { functionDeclarations: [{ name: "get_weather", description: "Weather", parametersJsonSchema: WEATHER }] },
        ],
        toolConfig: { functionCallingConfig: { mode: "AUTO" } },
      },
    ],
    [
      "tool_choice none",
      { tools: [weatherTool], tool_choice: "none" },
      {
        tools: [
          { functionDeclarations: [{ name: "get_weather", description: "Weather", parametersJsonSchema: WEATHER }] },
        ],
        toolConfig: { functionCallingConfig: { mode: "NONE" } },
      },
    ],
    [
      "tool_choice required",
      { tools: [weatherTool], tool_choice: "required" },
      {
        tools: [
          { functionDeclarations: [{ name: "get_weather", description: "Weather", parametersJsonSchema: WEATHER }] },
        ],
        toolConfig: { functionCallingConfig: { mode: "ANY" } },
      },
    ],
    [
      "tool_choice named function (sanitized name)",
      {
        tools: [{ type: "function", function: { name: "srv:do it" } }],
        tool_choice: { type: "function", function: { name: "srv:do it" } },
      },
      {
        tools: [{ functionDeclarations: [{ name: "srv:do_it" }] }],
        toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["srv:do_it"] } },
      },
    ],
    [
      "tool_choice allowed_tools auto → VALIDATED",
      {
        tools: [weatherTool],
        tool_choice: {
          type: "allowed_tools",
          allowed_tools: { mode: "auto", tools: [{ type: "function", function: { name: "get_weather" } }] },
        },
      },
      {
        tools: [
          { functionDeclarations: [{ name: "get_weather", description: "Weather", parametersJsonSchema: WEATHER }] },
        ],
        toolConfig: { functionCallingConfig: { mode: "VALIDATED", allowedFunctionNames: ["get_weather"] } },
      },
    ],
    [
      "legacy functions + function_call {name}",
      { functions: [{ name: "f", parameters: WEATHER }], function_call: { name: "f" } },
      {
        tools: [{ functionDeclarations: [{ name: "f", parametersJsonSchema: WEATHER }] }],
        toolConfig: { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["f"] } },
      },
    ],
    [
      "web_search_options → googleSearch",
      { web_search_options: { search_context_size: "low" } },
      { tools: [{ googleSearch: {} }] },
    ],
    [
      "tool_choice auto without tools → omitted; parallel_tool_calls accepted",
      { tool_choice: "auto", parallel_tool_calls: false },
      {},
    ],
  ])("%s", (_name, body, want) => {
    expect(req(body)).toEqual({ contents: HI, ...(want as object) });
  });

  it("openapi schema mode sends parameters", () => {
    const r = req(
      {
        tools: [
          {
            type: "function",
            function: {
              name: "f",
              parameters: {
                type: "object",
                properties: { a: { type: ["string", "null"] } },
                additionalProperties: false,
              },
            },
          },
        ],
      },
      { schemaMode: "openapi" },
    );
    expect(r.tools).toEqual([
      {
        functionDeclarations: [
          { name: "f", parameters: { type: "object", properties: { a: { type: "string", nullable: true } } } },
        ],
      },
    ]);
  });

  it("reports renamed tools and legacy mode in the plan", () => {
    const p = plan({ functions: [{ name: "a b" }] });
    expect([...p.toolNames]).toEqual([["a_b", "a b"]]);
    expect(p.legacyFunctions).toBe(true);
  });
});

describe("generation config", () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    [
      "sampling",
      { temperature: 0.2, top_p: 0.9, top_k: 40, seed: 7 },
      { temperature: 0.2, topP: 0.9, topK: 40, seed: 7 },
    ],
    [
      "max_completion_tokens wins over max_tokens",
      { max_tokens: 10, max_completion_tokens: 20 },
      { maxOutputTokens: 20 },
    ],
    ["max_tokens", { max_tokens: 10 }, { maxOutputTokens: 10 }],
    ["stop string", { stop: "END" }, { stopSequences: ["END"] }],
    [
      "stop array, empties dropped, up to Gemini's 5",
      { stop: ["", ...Array.from({ length: 5 }, (_, i) => `s${i}`)] },
      { stopSequences: Array.from({ length: 5 }, (_, i) => `s${i}`) },
    ],
    ["n > 1 non-streaming", { n: 3 }, { candidateCount: 3 }],
    ["logprobs + top_logprobs", { logprobs: true, top_logprobs: 5 }, { responseLogprobs: true, logprobs: 5 }],
    ["json_object", { response_format: { type: "json_object" } }, { responseMimeType: "application/json" }],
    [
      "json_schema",
      {
        response_format: {
          type: "json_schema",
          json_schema: {
            name: "x",
            strict: true,
            schema: {
              $schema: "s",
              type: "object",
              properties: { a: { type: "string" } },
              additionalProperties: false,
            },
          },
        },
      },
      {
        responseMimeType: "application/json",
        responseJsonSchema: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false },
      },
    ],
    [
      "reasoning_effort on 2.5 flash",
      { reasoning_effort: "low" },
      { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } },
    ],
    ["reasoning_effort none", { reasoning_effort: "none" }, { thinkingConfig: { thinkingBudget: 0 } }],
    [
      "extra_body.google.thinking_config wins over reasoning_effort",
      {
        reasoning_effort: "high",
        extra_body: { google: { thinking_config: { thinking_budget: 800, include_thoughts: false } } },
      },
      { thinkingConfig: { includeThoughts: false, thinkingBudget: 800 } },
    ],
    [
      "top-level google.thinkingConfig camelCase",
      { google: { thinkingConfig: { thinkingBudget: -1, includeThoughts: true } } },
      { thinkingConfig: { includeThoughts: true, thinkingBudget: -1 } },
    ],
    [
      "Anthropic-style thinking",
      { thinking: { type: "enabled", budget_tokens: 2048 } },
      { thinkingConfig: { includeThoughts: true, thinkingBudget: 2048 } },
    ],
    [
      "penalties dropped for Gemini 2.5; zero and unknown fields ignored",
      {
        presence_penalty: 0.5,
        frequency_penalty: 0,
        logit_bias: { "1": 2 },
        user: "u",
        store: true,
        prompt_cache_key: "k",
        verbosity: "low",
      },
      undefined,
    ],
  ])("%s", (_name, body, want) => {
    expect(req(body).generationConfig).toEqual(want);
  });

  it("keeps non-zero penalties for families that accept them", () => {
    const c = createModelCatalogue(["gemini-2.0-flash"]);
    const r = parseChatRequest(
      {
        model: "gemini-2.0-flash",
        messages: [{ role: "user", content: "hi" }],
        presence_penalty: 0.5,
        frequency_penalty: -1,
      },
      { catalogue: c },
    ).request;
    expect(r.generationConfig).toEqual({ presencePenalty: 0.5, frequencyPenalty: -1 });
  });

  it.each<[string, Record<string, unknown>, unknown]>([
    ["gemini-3-pro-preview", { reasoning_effort: "medium" }, { includeThoughts: true, thinkingLevel: "low" }],
    ["gemini-3-flash-preview", { reasoning_effort: "minimal" }, { includeThoughts: true, thinkingLevel: "minimal" }],
    ["gemini-2.5-pro", { reasoning_effort: "none" }, { thinkingBudget: 128 }],
    ["gemini-2.5-pro-maxthinking", { reasoning_effort: "low" }, { includeThoughts: true, thinkingBudget: 32768 }],
    ["gemini-3-flash-preview-nothinking", {}, { thinkingLevel: "minimal" }],
  ])("thinking on %s %j", (model, body, want) => {
    expect(req({ model, ...body }).generationConfig?.thinkingConfig).toEqual(want);
  });
});

describe("plan", () => {
  it("google.* options, variants, stream flags, reasoning output", () => {
    const p = plan({
      model: "models/gemini-2.5-pro-search",
      stream: true,
      stream_options: { include_usage: true },
      extra_body: {
        google: {
          safety_settings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }],
          cached_content: "cachedContents/abc",
          reasoning_output: "think_tags",
        },
      },
    });
    expect({
      id: p.model.id,
      stream: p.stream,
      includeUsage: p.includeUsage,
      n: p.n,
      reasoning: p.reasoning,
      legacy: p.legacyFunctions,
    }).toEqual({
      id: "gemini-2.5-pro-search",
      stream: true,
      includeUsage: true,
      n: 1,
      reasoning: "think_tags",
      legacy: false,
    });
    expect(p.request).toEqual({
      contents: HI,
      tools: [{ googleSearch: {} }],
      safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }],
      cachedContent: "cachedContents/abc",
    });
  });

  it("hidden reasoning does not request thoughts; server defaults apply", () => {
    expect(req({ reasoning_effort: "high", reasoning: { exclude: true } }).generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: 24576 },
    });
    expect(plan({}, { reasoningOutput: "hidden" }).reasoning).toBe("hidden");
    expect(req({}, { includeThoughts: true, defaultSafetySettings: [{ category: "C", threshold: "OFF" }] })).toEqual({
      contents: HI,
      safetySettings: [{ category: "C", threshold: "OFF" }],
      generationConfig: { thinkingConfig: { includeThoughts: true } },
    });
    expect(plan({ stream: false, stream_options: { include_usage: true } }).includeUsage).toBe(false);
  });
});

describe("collectors (on the neutral request)", () => {
  const body = {
    model: "gemini-2.5-flash",
    messages: [
      {
        role: "user",
        content: [
          { type: "image_url", image_url: { url: "https://a.test/1.png" } },
          { type: "image_url", image_url: "http://a.test/2.png" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AA==" } },
          { type: "file", file: { file_data: "https://a.test/doc.pdf" } },
          { type: "image_url", image_url: { url: "https://a.test/1.png" } },
          { type: "image_url", image_url: { url: "https://www.youtube.com/watch?v=x" } },
        ],
      },
      {
        role: "assistant",
        tool_calls: [
          { id: "call_1", function: { name: "f" } },
          { id: "fc_2", function: { name: "f" } },
          { id: "fc_3", function: { name: "f" }, extra_content: { google: { thought_signature: "S" } } },
          { function: { name: "f" } },
        ],
      },
    ],
  };
  const { chat } = parseOpenAIChat(body, catalogue);
  it("media URLs to fetch, each with the path of its first part", () =>
    expect([...mediaUrls(chat)]).toEqual([
      ["https://a.test/1.png", "messages[0].content[0].image_url.url"],
      ["http://a.test/2.png", "messages[0].content[1].image_url"],
      ["https://a.test/doc.pdf", "messages[0].content[3].file.file_data"],
    ]));
  it("call ids whose signature only the store has", () =>
    expect(callIdsToLoad(chat.turns)).toEqual(["call_1", "fc_2"]));
});
