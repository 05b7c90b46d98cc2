import { describe, expect, it } from "vitest";
import { createModelCatalogue } from "../src/gemini/models.ts";
import { ChatError } from "../src/chat/errors.ts";
import { toOpenAIError } from "../src/surfaces/openai/failure.ts";
import { parseChatRequest } from "../src/surfaces/openai/request.ts";

const catalogue = createModelCatalogue();
const U = [{ role: "user", content: "hi" }];
const ok = { model: "gemini-2.5-flash", messages: U };
const tool = (fn: unknown) => ({ ...ok, tools: [{ type: "function", function: fn }] });
const userParts = (...parts: unknown[]) => ({ ...ok, messages: [{ role: "user", content: parts }] });

// [description, body, status, param]
const CORPUS: [string, unknown, number, string | null][] = [
  ["body is not an object", [1, 2], 400, null],
  ["body is a string", "hello", 400, null],
  ["missing model", { messages: U }, 400, "model"],
  ["model is a number", { model: 4, messages: U }, 400, "model"],
  ["unknown model", { model: "gpt-4o", messages: U }, 404, "model"],
  ["missing messages", { model: "gemini-2.5-flash" }, 400, "messages"],
  ["messages is an object", { ...ok, messages: { role: "user" } }, 400, "messages"],
  ["empty messages", { ...ok, messages: [] }, 400, "messages"],
  ["only empty messages", { ...ok, messages: [{ role: "user", content: "" }] }, 400, "messages"],
  ["message is a string", { ...ok, messages: ["hi"] }, 400, "messages[0]"],
  ["bad role", { ...ok, messages: [{ role: "bot", content: "x" }] }, 400, "messages[0].role"],
  ["missing role", { ...ok, messages: [{ content: "x" }] }, 400, "messages[0].role"],
  ["user content is a number", { ...ok, messages: [{ role: "user", content: 42 }] }, 400, "messages[0].content"],
  ["user content missing", { ...ok, messages: [{ role: "user" }] }, 400, "messages[0].content"],
  [
    "system content is an object",
    { ...ok, messages: [{ role: "system", content: { text: "x" } }, ...U] },
    400,
    "messages[0].content",
  ],
  ["part is a number", userParts(5), 400, "messages[0].content[0]"],
  [
    "unknown part type",
    userParts({ type: "video_url", video_url: { url: "https://x.test/v.mp4" } }),
    400,
    "messages[0].content[0].type",
  ],
  ["text part without text", userParts({ type: "text" }), 400, "messages[0].content[0].text"],
  [
    "image_url without url",
    userParts({ type: "image_url", image_url: {} }),
    400,
    "messages[0].content[0].image_url.url",
  ],
  [
    "image_url ftp scheme",
    userParts({ type: "image_url", image_url: { url: "ftp://x.test/a.png" } }),
    400,
    "messages[0].content[0].image_url.url",
  ],
  [
    "image_url not a URL",
    userParts({ type: "image_url", image_url: { url: "not a url" } }),
    400,
    "messages[0].content[0].image_url.url",
  ],
  [
    "data URI without base64",
    userParts({ type: "image_url", image_url: { url: "data:image/png,abc" } }),
    400,
    "messages[0].content[0].image_url.url",
  ],
  [
    "data URI with invalid base64",
    userParts({ type: "image_url", image_url: { url: "data:image/png;base64,@@@" } }),
    400,
    "messages[0].content[0].image_url.url",
  ],
  [
    "http image the route did not fetch",
    userParts({ type: "image_url", image_url: { url: "https://x.test/a.png" } }),
    400,
    "messages[0].content[0].image_url.url",
  ],
  [
    "input_audio without data",
    userParts({ type: "input_audio", input_audio: { format: "wav" } }),
    400,
    "messages[0].content[0].input_audio.data",
  ],
  [
    "input_audio bad format",
    userParts({ type: "input_audio", input_audio: { data: "AAAA", format: "midi" } }),
    400,
    "messages[0].content[0].input_audio.format",
  ],
  [
    "file with file_id",
    userParts({ type: "file", file: { file_id: "file-1" } }),
    400,
    "messages[0].content[0].file.file_id",
  ],
  ["file without data", userParts({ type: "file", file: {} }), 400, "messages[0].content[0].file.file_data"],
  [
    "tool message without tool_call_id",
    { ...ok, messages: [...U, { role: "tool", content: "x" }] },
    400,
    "messages[1].tool_call_id",
  ],
  [
    "function message without name",
    { ...ok, messages: [...U, { role: "function", content: "x" }] },
    400,
    "messages[1].name",
  ],
  [
    "assistant tool_calls not an array",
    { ...ok, messages: [...U, { role: "assistant", tool_calls: {} }] },
    400,
    "messages[1].tool_calls",
  ],
  [
    "assistant tool call without function",
    { ...ok, messages: [...U, { role: "assistant", tool_calls: [{ id: "c", type: "function" }] }] },
    400,
    "messages[1].tool_calls[0].function",
  ],
  [
    "assistant tool call without name",
    { ...ok, messages: [...U, { role: "assistant", tool_calls: [{ id: "c", function: { arguments: "{}" } }] }] },
    400,
    "messages[1].tool_calls[0].function.name",
  ],
  [
    "assistant content is a number",
    { ...ok, messages: [...U, { role: "assistant", content: 1 }] },
    400,
    "messages[1].content",
  ],
  ["tools not an array", { ...ok, tools: { type: "function" } }, 400, "tools"],
  ["tool is a string", { ...ok, tools: ["get_weather"] }, 400, "tools[0]"],
  ["tool function without name", tool({ parameters: {} }), 400, "tools[0].function.name"],
  ["tool function name empty", tool({ name: "" }), 400, "tools[0].function.name"],
  [
    "tool parameters is a string (invalid tool JSON)",
    tool({ name: "f", parameters: '{"type":"object"}' }),
    400,
    "tools[0].function.parameters",
  ],
  ["tool function is a string", { ...ok, tools: [{ type: "function", function: "f" }] }, 400, "tools[0].function"],
  [
    "duplicate tool names",
    {
      ...ok,
      tools: [
        { type: "function", function: { name: "f" } },
        { type: "function", function: { name: "f" } },
      ],
    },
    400,
    "tools[1].function.name",
  ],
  ["functions not an array", { ...ok, functions: "f" }, 400, "functions"],
  ["tool_choice bad string", { ...tool({ name: "f" }), tool_choice: "always" }, 400, "tool_choice"],
  [
    "tool_choice names an unknown function",
    { ...tool({ name: "f" }), tool_choice: { type: "function", function: { name: "g" } } },
    400,
    "tool_choice.function.name",
  ],
  ["tool_choice required without tools", { ...ok, tool_choice: "required" }, 400, "tool_choice"],
  [
    "tool_choice unsupported type",
    { ...tool({ name: "f" }), tool_choice: { type: "custom", custom: { name: "f" } } },
    400,
    "tool_choice.type",
  ],
  [
    "function_call names an unknown function",
    { ...ok, functions: [{ name: "f" }], function_call: { name: "g" } },
    400,
    "function_call.name",
  ],
  ["temperature is a string", { ...ok, temperature: "0.5" }, 400, "temperature"],
  ["temperature out of range", { ...ok, temperature: 3 }, 400, "temperature"],
  ["top_p out of range", { ...ok, top_p: 1.5 }, 400, "top_p"],
  ["top_k not an integer", { ...ok, top_k: 1.5 }, 400, "top_k"],
  ["n zero", { ...ok, n: 0 }, 400, "n"],
  ["n too large", { ...ok, n: 9 }, 400, "n"],
  ["n > 1 while streaming", { ...ok, n: 2, stream: true }, 400, "n"],
  ["stop is a number", { ...ok, stop: 5 }, 400, "stop"],
  ["stop array with a number", { ...ok, stop: ["a", 1] }, 400, "stop"],
  ["max_tokens zero", { ...ok, max_tokens: 0 }, 400, "max_tokens"],
  ["max_completion_tokens a string", { ...ok, max_completion_tokens: "100" }, 400, "max_completion_tokens"],
  ["seed not an integer", { ...ok, seed: 1.5 }, 400, "seed"],
  ["presence_penalty out of range", { ...ok, presence_penalty: 3 }, 400, "presence_penalty"],
  ["frequency_penalty a string", { ...ok, frequency_penalty: "0" }, 400, "frequency_penalty"],
  ["logprobs a string", { ...ok, logprobs: "yes" }, 400, "logprobs"],
  ["top_logprobs out of range", { ...ok, logprobs: true, top_logprobs: 21 }, 400, "top_logprobs"],
  ["stream a string", { ...ok, stream: "true" }, 400, "stream"],
  ["stream_options a string", { ...ok, stream: true, stream_options: "usage" }, 400, "stream_options"],
  [
    "include_usage a string",
    { ...ok, stream: true, stream_options: { include_usage: "yes" } },
    400,
    "stream_options.include_usage",
  ],
  ["response_format a string", { ...ok, response_format: "json" }, 400, "response_format"],
  ["response_format bad type", { ...ok, response_format: { type: "xml" } }, 400, "response_format.type"],
  ["json_schema missing", { ...ok, response_format: { type: "json_schema" } }, 400, "response_format.json_schema"],
  [
    "json_schema.schema a string",
    { ...ok, response_format: { type: "json_schema", json_schema: { name: "x", schema: "{}" } } },
    400,
    "response_format.json_schema.schema",
  ],
  [
    "JSON response with forced tool call",
    { ...tool({ name: "f" }), tool_choice: "required", response_format: { type: "json_object" } },
    400,
    "response_format",
  ],
  ["reasoning_effort unknown", { ...ok, reasoning_effort: "extreme" }, 400, "reasoning_effort"],
  ["reasoning_effort a number", { ...ok, reasoning_effort: 3 }, 400, "reasoning_effort"],
  ["audio modality", { ...ok, modalities: ["text", "audio"] }, 400, "modalities"],
  ["modalities a string", { ...ok, modalities: "text" }, 400, "modalities"],
  ["web_search_options a string", { ...ok, web_search_options: "on" }, 400, "web_search_options"],
  ["extra_body.google a string", { ...ok, extra_body: { google: "x" } }, 400, "extra_body.google"],
  [
    "thinking_budget a string",
    { ...ok, extra_body: { google: { thinking_config: { thinking_budget: "1k" } } } },
    400,
    "extra_body.google.thinking_config.thinking_budget",
  ],
  ["thinking_config an array", { ...ok, google: { thinking_config: [] } }, 400, "google.thinking_config"],
  [
    "include_thoughts a string",
    { ...ok, google: { thinkingConfig: { includeThoughts: "yes" } } },
    400,
    "google.thinkingConfig.includeThoughts",
  ],
  [
    "safety_settings an object",
    { ...ok, extra_body: { google: { safety_settings: { category: "x" } } } },
    400,
    "extra_body.google.safety_settings",
  ],
  [
    "safety setting without threshold",
    { ...ok, google: { safety_settings: [{ category: "x" }] } },
    400,
    "google.safety_settings[0]",
  ],
  ["cached_content a number", { ...ok, google: { cached_content: 5 } }, 400, "google.cached_content"],
  ["reasoning_output unknown", { ...ok, google: { reasoning_output: "loud" } }, 400, "google.reasoning_output"],
  [
    "thinking budget_tokens a string",
    { ...ok, thinking: { type: "enabled", budget_tokens: "lots" } },
    400,
    "thinking.budget_tokens",
  ],
  ["reasoning.effort unknown", { ...ok, reasoning: { effort: "huge" } }, 400, "reasoning.effort"],
];

describe("malformed requests → 4xx OpenAI errors naming the param", () => {
  it.each(CORPUS)("%s", (_name, body, status, param) => {
    let err: unknown;
    try {
      parseChatRequest(body, { catalogue });
    } catch (e) {
      err = e;
    }
    // The parser throws the core's ChatError; the surface's failure.ts gives it OpenAI's shape.
    expect(err).toBeInstanceOf(ChatError);
    const e = toOpenAIError(err);
    expect({ status: e.status, param: e.param, type: e.type }).toEqual({
      status,
      param,
      type: "invalid_request_error",
    });
    expect(e.message.length).toBeGreaterThan(0);
    expect(e.code).toEqual(expect.any(String));
  });
});

describe("tolerated, never rejected", () => {
  it.each<[string, Record<string, unknown>]>([
    [
      "unknown top-level fields",
      {
        ...ok,
        foo: 1,
        metadata: { a: "b" },
        service_tier: "auto",
        prediction: {},
        audio: null,
        logit_bias: {},
        safety_identifier: "x",
        prompt_cache_retention: "24h",
      },
    ],
    [
      "nulls for optional fields",
      {
        ...ok,
        temperature: null,
        stop: null,
        tools: null,
        tool_choice: null,
        max_tokens: null,
        stream: null,
        response_format: null,
        n: null,
      },
    ],
    [
      "unknown keys inside parts and messages",
      {
        ...ok,
        messages: [{ role: "user", content: [{ type: "text", text: "x", prompt_cache_breakpoint: true }], extra: 1 }],
      },
    ],
    [
      "assistant echoes reasoning fields and extra_content",
      {
        ...ok,
        messages: [
          ...U,
          {
            role: "assistant",
            content: "",
            reasoning_content: "r",
            reasoning: "r",
            reasoning_details: [],
            tool_calls: [
              {
                id: "c1",
                type: "function",
                function: { name: "f", arguments: "not json" },
                extra_content: { google: { thought_signature: "S" } },
              },
            ],
          },
          { role: "tool", tool_call_id: "c1", name: "f", content: "ok" },
        ],
      },
    ],
    [
      "tool arguments given as an object",
      {
        ...ok,
        messages: [
          ...U,
          { role: "assistant", tool_calls: [{ id: "c1", function: { name: "f", arguments: { a: 1 } } }] },
        ],
      },
    ],
    [
      "non-function tool kinds skipped",
      { ...ok, tools: [{ type: "custom", custom: { name: "g" } }, { type: "code_interpreter" }] },
    ],
    [
      "text response_format and verbosity",
      { ...ok, response_format: { type: "text" }, verbosity: "high", modalities: ["text"] },
    ],
    ["stream_options without stream", { ...ok, stream_options: { include_usage: true, include_obfuscation: false } }],
    ["reasoning_effort max", { ...ok, reasoning_effort: "max" }],
  ])("%s", (_name, body) => {
    expect(() => parseChatRequest(body, { catalogue })).not.toThrow();
  });
});
