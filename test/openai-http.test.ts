// The OpenAI surface over HTTP, through both matrix rows: routes, CORS, models, streaming wire format,
// error classes (status/type/code/param, retry-after) and the malformed-request corpus.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Logger } from "../src/config/options.ts";
import { authHeaders, describeMatrix, type Harness } from "./_setup.ts";
import { PNG_DATA_URI, sseData, sseEvents, startMediaServer } from "./_openai-helpers.ts";

const U = [{ role: "user", content: "hello" }];
const chatBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: "gemini-2.5-flash", messages: U, ...extra });
const post = (h: Harness, body: string, path = "/v1/chat/completions", headers = authHeaders()) =>
  h.request(path, { method: "POST", headers, body });
const upstreamBody = (h: Harness, action = "generateContent") =>
  (h.fake.last({ action })!.body as { request: Record<string, any> }).request;

/** One attempt, no waiting for cooldowns: each injected error is answered at once. */
const QUICK_POOL = { pool: { maxAttempts: 1, waitForCooldownMs: 0 } };

/** The request log (one line per finished request record). */
const logLines: string[] = [];
const logger: Logger = {
  error() {},
  warn() {},
  debug() {},
  info: (...args: unknown[]) => logLines.push(args.join(" ")),
};
logger.withTag = () => logger;

async function healPool(h: Harness): Promise<void> {
  h.fake.clearFaults();
  for (const c of h.proxy.pool.list()) {
    await h.proxy.pool.enable(c.id);
    await h.proxy.pool.clearCooldown(c.id);
  }
}

describeMatrix(
  "openai surface",
  (fake) => {
    fake.addAccount({ email: "alice@example.com", scenario: "onboarded" });
    return {
      credentials: [fake.simpleCredential("alice@example.com")],
      streamGraceMs: 150,
      keepAliveMs: 60,
      logger,
      ...QUICK_POOL,
    };
  },
  (h) => {
    afterEach(() => healPool(h));

    describe("routes", () => {
      for (const path of ["/v1/chat/completions", "/chat/completions", "/v1/chat/completions/"]) {
        it(`POST ${path} answers a chat.completion`, async () => {
          const res = await post(h, chatBody(), path);
          expect(res.status).toBe(200);
          expect(res.headers.get("x-request-id")).toMatch(/^req-/);
          const body = (await res.json()) as Record<string, any>;
          expect(body).toMatchObject({
            object: "chat.completion",
            model: "gemini-2.5-flash",
            system_fingerprint: null,
          });
          expect(body.id).toMatch(/^chatcmpl-/);
          expect(Number.isInteger(body.created)).toBe(true);
          expect(body.choices).toEqual([
            {
              index: 0,
              message: { role: "assistant", content: "Echo from gemini-2.5-flash: hello", refusal: null },
              logprobs: null,
              finish_reason: "stop",
            },
          ]);
          expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
        });
      }

      it("answers CORS preflight on the chat and model routes", async () => {
        for (const path of ["/v1/chat/completions", "/chat/completions", "/v1/models"]) {
          const res = await h.request(path, {
            method: "OPTIONS",
            headers: {
              origin: "https://chat.example",
              "access-control-request-method": "POST",
              "access-control-request-headers": "authorization, content-type, x-stainless-os",
            },
          });
          expect(res.status).toBeLessThan(300);
          expect(res.headers.get("access-control-allow-origin")).toBe("*");
          expect(res.headers.get("access-control-allow-headers")).toMatch(/\*|authorization/);
        }
      });

      it("lists models with and without /v1, variants included", async () => {
        for (const path of ["/v1/models", "/models", "/v1/models/"]) {
          const res = await h.request(path, { headers: authHeaders() });
          expect(res.status).toBe(200);
          const body = (await res.json()) as {
            object: string;
            data: { id: string; object: string; created: number; owned_by: string }[];
          };
          expect(body.object).toBe("list");
          const ids = body.data.map((m) => m.id);
          for (const id of [
            "gemini-2.5-pro",
            "gemini-2.5-flash",
            "gemini-2.5-flash-lite",
            "gemini-3-pro-preview",
            "gemini-3.1-pro-preview",
            "gemini-3-flash-preview",
          ]) {
            expect(ids).toEqual(expect.arrayContaining([id, `${id}-search`, `${id}-nothinking`, `${id}-maxthinking`]));
          }
          expect(body.data[0]).toEqual({
            id: "gemini-2.5-pro",
            object: "model",
            created: 1_750_000_000,
            owned_by: "google",
          });
        }
      });

      it("gets one model with and without /v1, and 404s an unknown one", async () => {
        for (const path of [
          "/v1/models/gemini-3-pro-preview-search",
          "/models/gemini-3-pro-preview-search",
          "/v1/models/models/gemini-3-pro-preview-search",
        ]) {
          const res = await h.request(path, { headers: authHeaders() });
          expect(res.status).toBe(200);
          expect(await res.json()).toMatchObject({
            id: "gemini-3-pro-preview-search",
            object: "model",
            owned_by: "google",
            created: 1_750_000_000,
          });
        }
        for (const path of ["/v1/models/gpt-4o", "/models/gpt-4o"]) {
          const res = await h.request(path, { headers: authHeaders() });
          expect(res.status).toBe(404);
          expect(await res.json()).toEqual({
            error: {
              message: "The model `gpt-4o` does not exist or you do not have access to it.",
              type: "invalid_request_error",
              param: "model",
              code: "model_not_found",
            },
          });
        }
      });

      it("applies the model variants upstream, clamped per family", async () => {
        const cases: [string, string, Record<string, unknown> | undefined, boolean][] = [
          [
            "gemini-2.5-flash-nothinking",
            "gemini-2.5-flash",
            { thinkingConfig: { includeThoughts: false, thinkingBudget: 0 } },
            false,
          ],
          ["gemini-2.5-pro-nothinking", "gemini-2.5-pro", { thinkingConfig: { thinkingBudget: 128 } }, false],
          ["gemini-2.5-pro-maxthinking", "gemini-2.5-pro", { thinkingConfig: { thinkingBudget: 32768 } }, false],
          [
            "gemini-3-pro-preview-nothinking",
            "gemini-3-pro-preview",
            { thinkingConfig: { thinkingLevel: "low" } },
            false,
          ],
          [
            "gemini-3-flash-preview-nothinking",
            "gemini-3-flash-preview",
            { thinkingConfig: { thinkingLevel: "minimal" } },
            false,
          ],
          [
            "gemini-3.1-pro-preview-maxthinking",
            "gemini-3.1-pro-preview",
            { thinkingConfig: { thinkingLevel: "high" } },
            false,
          ],
          ["gemini-3-pro-preview-search", "gemini-3-pro-preview", undefined, true],
        ];
        for (const [model, sent, config, search] of cases) {
          const res = await post(h, chatBody({ model }));
          expect(res.status).toBe(200);
          expect(((await res.json()) as { model: string }).model).toBe(model);
          expect(h.fake.last({ action: "generateContent" })!.model).toBe(sent);
          expect(upstreamBody(h).generationConfig).toEqual(config);
          expect(upstreamBody(h).tools).toEqual(search ? [{ googleSearch: {} }] : undefined);
        }
      });

      it("fills the request record (model as asked, stream, status, error class)", async () => {
        logLines.length = 0;
        await (await post(h, chatBody({ stream: true, model: "gemini-2.5-flash-search" }))).text();
        h.fake.inject({ match: { action: "generateContent" }, error: "quota_exhausted", times: 4 });
        await (await post(h, chatBody({ model: "gemini-2.5-pro" }))).text();
        await (await post(h, chatBody({ model: "nope" }))).text();
        await new Promise((r) => setTimeout(r, 20));
        expect(logLines.filter((line) => line.startsWith("POST "))).toEqual([
          expect.stringMatching(/^POST \/v1\/chat\/completions gemini-2\.5-flash-search 200 \S+ \d+ms$/),
          expect.stringMatching(/^POST \/v1\/chat\/completions gemini-2\.5-pro 429 \S+ \d+ms quota_exhausted$/),
          expect.stringMatching(/^POST \/v1\/chat\/completions nope 404 \d+ms not_found$/),
        ]);
      });

      it("requires the client key (401, OpenAI shape)", async () => {
        const res = await post(h, chatBody(), "/v1/chat/completions", {
          "content-type": "application/json",
          authorization: "Bearer wrong",
        });
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual({
          error: { message: "Invalid API key", type: "authentication_error", param: null, code: "invalid_api_key" },
        });
        const models = await h.request("/v1/models");
        expect(models.status).toBe(401);
      });
    });

    describe("streaming wire format", () => {
      it("sends ': ok', the role chunk first, one finish_reason, and [DONE]", async () => {
        const res = await post(h, chatBody({ stream: true }));
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
        expect(res.headers.get("cache-control")).toContain("no-cache");
        const text = await res.text();
        expect(text.startsWith(": ok\n\n")).toBe(true);
        const data = sseData(text);
        expect(data.at(-1)).toBe("[DONE]");
        const events = sseEvents(text);
        expect(events[0].choices[0]).toEqual({
          index: 0,
          delta: { role: "assistant", content: "" },
          logprobs: null,
          finish_reason: null,
        });
        expect(events.filter((e) => e.choices[0]?.finish_reason).map((e) => e.choices[0].finish_reason)).toEqual([
          "stop",
        ]);
        expect(events.every((e) => !("usage" in e))).toBe(true);
        expect(new Set(events.map((e) => e.id)).size).toBe(1);
        expect(events.map((e) => e.choices[0]?.delta?.content ?? "").join("")).toBe(
          "Echo from gemini-2.5-flash: hello",
        );
      });

      it("with include_usage: usage:null on chunks and one final choices:[] usage chunk", async () => {
        const res = await post(h, chatBody({ stream: true, stream_options: { include_usage: true } }));
        const events = sseEvents(await res.text());
        const last = events.at(-1);
        expect(last.choices).toEqual([]);
        expect(last.usage).toMatchObject({
          prompt_tokens: expect.any(Number),
          completion_tokens: expect.any(Number),
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: expect.any(Number) },
        });
        expect(events.slice(0, -1).every((e) => e.usage === null)).toBe(true);
      });

      it("gets headers out before a slow first token, with keep-alive comments", async () => {
        h.fake.inject({ match: { action: "streamGenerateContent" }, stream: { firstByteDelayMs: 700 } });
        const started = Date.now();
        const res = await post(h, chatBody({ stream: true }));
        expect(Date.now() - started).toBeLessThan(550);
        const text = await res.text();
        expect(Date.now() - started).toBeGreaterThanOrEqual(650);
        expect(text).toMatch(/^: ok\n\ndata: .*"role":"assistant"/);
        expect(text).toContain(": keep-alive\n\n");
        expect(sseData(text).at(-1)).toBe("[DONE]");
        expect(sseEvents(text).filter((e) => e.choices[0]?.finish_reason === "stop")).toHaveLength(1);
      });

      it("an upstream error before the first byte keeps its HTTP status (429 with retry-after)", async () => {
        h.fake.inject({
          match: { action: "streamGenerateContent" },
          error: "rate_limit",
          times: 4,
          errorOptions: { retryDelaySec: 7 },
        });
        const res = await post(h, chatBody({ stream: true }));
        expect(res.status).toBe(429);
        expect(res.headers.get("retry-after")).toBe("7");
        expect(await res.json()).toMatchObject({
          error: { type: "requests", code: "rate_limit_exceeded", param: null },
        });
      });

      it("an upstream error after headers went out is an in-band error event, then [DONE], never a fake stop", async () => {
        h.fake.inject({ match: { action: "streamGenerateContent" }, delayMs: 400, error: "rate_limit", times: 4 });
        const res = await post(h, chatBody({ stream: true }));
        expect(res.status).toBe(200);
        const text = await res.text();
        const events = sseEvents(text);
        expect(events.at(-1)).toEqual({
          error: {
            message: expect.stringContaining("gemini-2.5-flash"),
            type: "requests",
            param: null,
            code: "rate_limit_exceeded",
          },
        });
        expect(events.some((e) => e.choices?.[0]?.finish_reason)).toBe(false);
        expect(sseData(text).at(-1)).toBe("[DONE]");
      });

      it("a connection dropped mid-stream is an in-band error, not a stop", async () => {
        h.fake.inject({
          match: { action: "streamGenerateContent" },
          stream: { text: "x".repeat(200), deltaChars: 10, closeAfterEvents: 3 },
        });
        const text = await (await post(h, chatBody({ stream: true }))).text();
        const events = sseEvents(text);
        expect(events.some((e) => e.choices?.[0]?.delta?.content)).toBe(true);
        expect(events.at(-1).error).toMatchObject({ type: "server_error", param: null });
        expect(events.some((e) => e.choices?.[0]?.finish_reason)).toBe(false);
      });

      it("a stream without a finish reason is an error, not an empty success", async () => {
        h.fake.inject({ match: { action: "streamGenerateContent" }, stream: { finishReason: null } });
        const events = sseEvents(await (await post(h, chatBody({ stream: true }))).text());
        expect(events.at(-1)).toEqual({
          error: {
            message: "The upstream stream ended without a finish reason.",
            type: "server_error",
            param: null,
            code: "stream_incomplete",
          },
        });
        expect(events.some((e) => e.choices?.[0]?.finish_reason)).toBe(false);
      });

      it("MALFORMED_FUNCTION_CALL is an error, streamed and not", async () => {
        h.fake.inject({
          match: { action: "streamGenerateContent" },
          stream: { text: "", finishReason: "MALFORMED_FUNCTION_CALL" },
        });
        const events = sseEvents(await (await post(h, chatBody({ stream: true }))).text());
        expect(events.at(-1).error).toMatchObject({ type: "server_error", code: "malformed_function_call" });
        h.fake.inject({
          match: { action: "generateContent" },
          stream: { text: "", finishReason: "MALFORMED_FUNCTION_CALL" },
        });
        const res = await post(h, chatBody());
        expect(res.status).toBe(502);
        expect(await res.json()).toMatchObject({
          error: { type: "server_error", code: "malformed_function_call", param: null },
        });
      });

      it("n > 1 with stream → 400 naming n; n > 1 without stream → several choices", async () => {
        const bad = await post(h, chatBody({ stream: true, n: 2 }));
        expect(bad.status).toBe(400);
        expect(await bad.json()).toMatchObject({ error: { param: "n", type: "invalid_request_error" } });
        const ok = await post(h, chatBody({ n: 2 }));
        const body = (await ok.json()) as { choices: { index: number }[] };
        expect(body.choices.map((c) => c.index)).toEqual([0, 1]);
        expect(upstreamBody(h).generationConfig.candidateCount).toBe(2);
      });
    });

    describe("error classes", () => {
      // [preset, status, type, code, param, retry-after expected]
      const table: [string, number, string, string | null, string | null, boolean][] = [
        ["rate_limit", 429, "requests", "rate_limit_exceeded", null, true],
        ["quota_exhausted", 429, "insufficient_quota", "insufficient_quota", null, true],
        ["capacity_503", 503, "server_error", "service_unavailable", null, false],
        ["unavailable", 503, "server_error", "service_unavailable", null, false],
        ["internal", 500, "server_error", "internal_error", null, false],
        ["invalid_argument", 400, "invalid_request_error", null, null, false],
        ["not_found", 404, "invalid_request_error", "model_not_found", "model", false],
        ["permission_denied", 403, "permission_error", "model_not_allowed", "model", false],
      ];
      for (const [preset, status, type, code, param, retry] of table) {
        it(`${preset} → ${status} ${type}/${code}`, async () => {
          h.fake.inject({ match: { action: "generateContent" }, error: preset as never, times: 4 });
          const res = await post(h, chatBody());
          expect(res.status).toBe(status);
          const body = (await res.json()) as { error: Record<string, unknown> };
          expect(Object.keys(body.error).sort()).toEqual(["code", "message", "param", "type"]);
          expect(body.error).toMatchObject({ type, code, param });
          expect(String(body.error.message).length).toBeGreaterThan(5);
          if (retry) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
        });
      }

      it("a cooling pool answers 429 with retry-after from the cooldown", async () => {
        h.fake.inject({
          match: { action: "generateContent" },
          error: "rate_limit",
          times: 1,
          errorOptions: { retryDelaySec: 30 },
        });
        expect((await post(h, chatBody())).status).toBe(429);
        const res = await post(h, chatBody());
        expect(res.status).toBe(429);
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(await res.json()).toMatchObject({ error: { type: "requests", code: "rate_limit_exceeded" } });
      });

      it("prompt too long → 400 context_length_exceeded on messages", async () => {
        const message = "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).";
        h.fake.inject({
          match: { action: "generateContent" },
          error: { status: 400, body: { error: { code: 400, message, status: "INVALID_ARGUMENT" } } },
        });
        const res = await post(h, chatBody());
        expect(res.status).toBe(400);
        const body = (await res.json()) as { error: { message: string } };
        expect(body.error).toMatchObject({
          type: "invalid_request_error",
          code: "context_length_exceeded",
          param: "messages",
        });
        expect(body.error.message).toContain("maximum context length is 1048576 tokens");
      });

      it("unknown model → 404 model_not_found, before anything goes upstream", async () => {
        const before = h.fake.requests.length;
        const res = await post(
          h,
          JSON.stringify({
            model: "gpt-4o",
            messages: [
              { role: "user", content: [{ type: "image_url", image_url: { url: "http://127.0.0.1:9/x.png" } }] },
            ],
          }),
        );
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({
          error: { code: "model_not_found", param: "model", type: "invalid_request_error" },
        });
        expect(h.fake.requests.length).toBe(before);
      });
    });

    describe("malformed requests: a 4xx naming the param, never a 500", () => {
      const parts = (...p: unknown[]) => ({
        messages: [{ role: "user", content: [{ type: "text", text: "look" }, ...p] }],
      });
      const img = (url: string) => parts({ type: "image_url", image_url: { url } });
      // [name, raw body or extra fields, status, param]
      const corpus: [string, string | Record<string, unknown>, number, string | null][] = [
        ["invalid JSON", "{not json", 400, null],
        ["empty body", "", 400, null],
        ["JSON array body", "[1,2]", 400, null],
        ["JSON string body", '"hi"', 400, null],
        ["missing model", JSON.stringify({ messages: U }), 400, "model"],
        ["missing messages", JSON.stringify({ model: "gemini-2.5-flash" }), 400, "messages"],
        ["messages not an array", { messages: "hi" }, 400, "messages"],
        ["bad role", { messages: [{ role: "wizard", content: "x" }] }, 400, "messages[0].role"],
        ["content a number", { messages: [{ role: "user", content: 5 }] }, 400, "messages[0].content"],
        ["temperature a string", { temperature: "hot" }, 400, "temperature"],
        ["max_tokens negative", { max_tokens: -1 }, 400, "max_tokens"],
        ["tools not an array", { tools: {} }, 400, "tools"],
        [
          "tool parameters a JSON string (invalid tool JSON)",
          { tools: [{ type: "function", function: { name: "f", parameters: "{bad" } }] },
          400,
          "tools[0].function.parameters",
        ],
        [
          "tool_choice unknown",
          { tools: [{ type: "function", function: { name: "f" } }], tool_choice: "sometimes" },
          400,
          "tool_choice",
        ],
        ["response_format type unknown", { response_format: { type: "yaml" } }, 400, "response_format.type"],
        ["reasoning_effort unknown", { reasoning_effort: "extreme" }, 400, "reasoning_effort"],
        ["stream_options not an object", { stream: true, stream_options: 1 }, 400, "stream_options"],
        ["bad data URI", img("data:image/png;base64,@@@"), 400, "messages[0].content[1].image_url.url"],
        ["ftp image URL", img("ftp://example.com/a.png"), 400, "messages[0].content[1].image_url.url"],
        ["loopback image URL", img("http://127.0.0.1:9/a.png"), 400, "messages[0].content[1].image_url.url"],
        [
          "localhost image URL (checked after DNS)",
          img("http://localhost:9/a.png"),
          400,
          "messages[0].content[1].image_url.url",
        ],
        [
          "cloud metadata image URL",
          img("http://169.254.169.254/latest/meta-data/"),
          400,
          "messages[0].content[1].image_url.url",
        ],
        ["private 10/8 image URL", img("http://10.1.2.3/a.png"), 400, "messages[0].content[1].image_url.url"],
        ["CGNAT image URL", img("http://100.64.0.1/a.png"), 400, "messages[0].content[1].image_url.url"],
        ["unspecified address image URL", img("http://0.0.0.0/a.png"), 400, "messages[0].content[1].image_url.url"],
        ["IPv6 loopback image URL", img("http://[::1]/a.png"), 400, "messages[0].content[1].image_url.url"],
        ["IPv6 link-local image URL", img("http://[fe80::1]/a.png"), 400, "messages[0].content[1].image_url.url"],
        ["IPv6 ULA image URL", img("http://[fd00::1]/a.png"), 400, "messages[0].content[1].image_url.url"],
        [
          "IPv4-mapped IPv6 image URL",
          img("http://[::ffff:127.0.0.1]/a.png"),
          400,
          "messages[0].content[1].image_url.url",
        ],
        [
          "file_data URL to a private host",
          parts({ type: "file", file: { file_data: "http://192.168.1.1/doc.pdf" } }),
          400,
          "messages[0].content[1].file.file_data",
        ],
        [
          "too many image URLs",
          parts(
            ...Array.from({ length: 17 }, (_, i) => ({
              type: "image_url",
              image_url: { url: `http://10.0.0.${i}/a.png` },
            })),
          ),
          400,
          "messages",
        ],
      ];
      for (const [name, input, status, param] of corpus) {
        it(name, async () => {
          const body =
            typeof input === "string" ? input : JSON.stringify({ model: "gemini-2.5-flash", messages: U, ...input });
          const res = await post(h, body);
          expect(res.status).toBe(status);
          const json = (await res.json()) as {
            error: { message: string; type: string; param: string | null; code: string | null };
          };
          expect(json.error.type).toBe("invalid_request_error");
          expect(json.error.param).toBe(param);
          expect(json.error.message.length).toBeGreaterThan(5);
        });
      }

      it("a huge body → 413 with param null", async () => {
        const huge = chatBody({ messages: [{ role: "user", content: "x".repeat(40 * 1024 * 1024) }] });
        const res = await post(h, huge);
        expect(res.status).toBe(413);
        expect(await res.json()).toMatchObject({
          error: { type: "invalid_request_error", param: null, code: "request_too_large" },
        });
      });

      it("a data-URI image and unknown fields are accepted", async () => {
        const res = await post(
          h,
          chatBody({
            messages: [
              {
                role: "user",
                content: [
                  { type: "text", text: "what is it", cache_control: { type: "ephemeral" } },
                  { type: "image_url", image_url: { url: PNG_DATA_URI, detail: "low" } },
                ],
              },
            ],
            prompt_cache_key: "k",
            safety_identifier: "s",
            metadata: { a: 1 },
            frequency_penalty: 0,
          }),
        );
        expect(res.status).toBe(200);
        const parts = upstreamBody(h).contents[0].parts;
        expect(parts[1].inlineData).toEqual({ mimeType: "image/png", data: PNG_DATA_URI.split(",")[1] });
      });
    });
  },
);

describe("bad image URLs that pass the address guard (allowPrivateMediaUrls)", () => {
  let media: Awaited<ReturnType<typeof startMediaServer>>;
  beforeAll(async () => {
    media = await startMediaServer({
      "/page.html": (_q, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<html>not an image</html>");
      },
      "/big.png": (_q, res) => {
        res.writeHead(200, { "content-type": "image/png" });
        res.end(Buffer.alloc(4096, 7));
      },
      "/slow.png": () => {},
      "/loop": (_q, res) => {
        res.writeHead(302, { location: "/loop" });
        res.end();
      },
    });
  });
  afterAll(() => media.close());

  describeMatrix(
    "openai surface, media fetch failures",
    (fake) => {
      fake.addAccount({ email: "media@example.com", scenario: "onboarded" });
      return {
        credentials: [fake.simpleCredential("media@example.com")],
        allowPrivateMediaUrls: true,
        media: { maxBytes: 1024, timeoutMs: 300, maxRedirects: 2 },
      };
    },
    (h) => {
      const cases: [string, string, RegExp][] = [
        ["404", "/missing.png", /HTTP 404/],
        ["HTML page", "/page.html", /text\/html/],
        ["too large", "/big.png", /too large/],
        ["no answer in time", "/slow.png", /within 300 ms/],
        ["redirect loop", "/loop", /too many redirects/],
      ];
      for (const [name, path, message] of cases) {
        it(`${name} → 400 naming the part`, async () => {
          const url = `${media.url}${path}`;
          const res = await post(
            h,
            chatBody({
              messages: [
                {
                  role: "user",
                  content: [
                    { type: "text", text: "x" },
                    { type: "image_url", image_url: { url } },
                  ],
                },
              ],
            }),
          );
          expect(res.status).toBe(400);
          const body = (await res.json()) as { error: { message: string; param: string; code: string; type: string } };
          expect(body.error).toMatchObject({
            type: "invalid_request_error",
            param: "messages[0].content[1].image_url.url",
            code: "invalid_image_url",
          });
          expect(body.error.message).toMatch(message);
        });
      }

      it("connection refused → 400", async () => {
        const res = await post(
          h,
          chatBody({
            messages: [{ role: "user", content: [{ type: "image_url", image_url: "http://127.0.0.1:9/a.png" }] }],
          }),
        );
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({
          error: { param: "messages[0].content[0].image_url", code: "invalid_image_url" },
        });
      });

      it("a good URL is inlined", async () => {
        const res = await post(
          h,
          chatBody({
            messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: `${media.url}/img.png` } }] }],
          }),
        );
        expect(res.status).toBe(200);
        expect(upstreamBody(h).contents[0].parts[0]).toEqual({
          inlineData: { mimeType: "image/png", data: PNG_DATA_URI.split(",")[1] },
        });
      });
    },
  );
});
