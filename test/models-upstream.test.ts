// Every model Google serves reaches Google, through the OpenAI, Anthropic and native surfaces, over a
// Code Assist account (with Code Assist's wire names) and over an API key; unknown gemini-* ids go to
// Google and its 404 comes back in each surface's shape without hurting the credential; strict mode
// refuses them (docs/upstream.md#catalogue).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy, type GeminiProxyOptions } from "../src/index.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { authHeaders, proxyOptionsFor } from "./_setup.ts";

const CATALOGUE_NEW = [
  "gemini-3.5-flash",
  "gemini-3-flash",
  "gemini-3.1-pro-preview-customtools",
  "gemini-3.1-flash-lite-preview",
  "gemma-4-31b-it",
  "gemma-4-26b-a4b-it",
];
/** Models Google shipped after the catalogue was written: Gemini API only. */
const SHIPPED_LATER = ["gemini-flash-latest", "gemini-2.5-flash-image"];

/** What Code Assist expects on the wire. */
const CODE_ASSIST_WIRE: Record<string, string> = { "gemini-3.5-flash": "gemini-3-flash" };

type Surface = "openai" | "anthropic" | "native";
const SURFACES: Surface[] = ["openai", "anthropic", "native"];

interface Setup {
  fake: FakeGoogle;
  proxy: GeminiProxy;
  call: (surface: Surface, model: string) => Promise<Response>;
}

function request(proxy: GeminiProxy, surface: Surface, model: string): Promise<Response> {
  const text = `hello ${model}`;
  const [path, body] =
    surface === "openai"
      ? ["/v1/chat/completions", { model, messages: [{ role: "user", content: text }] }]
      : surface === "anthropic"
        ? ["/v1/messages", { model, max_tokens: 256, messages: [{ role: "user", content: text }] }]
        : [`/v1beta/models/${model}:generateContent`, { contents: [{ role: "user", parts: [{ text }] }] }];
  return proxy.fetch(
    new Request(`http://proxy.test${path}`, { method: "POST", headers: authHeaders(), body: JSON.stringify(body) }),
  );
}

/** The answer's text, whatever the surface's shape. */
async function answerText(surface: Surface, res: Response): Promise<string> {
  const body = (await res.json()) as Record<string, any>;
  if (surface === "openai") return body.choices[0].message.content;
  if (surface === "anthropic") return body.content.map((b: { text?: string }) => b.text ?? "").join("");
  return body.candidates[0].content.parts.map((p: { text?: string }) => p.text ?? "").join("");
}

function useProxy(kind: "oauth" | "api_key" | "both", extra: GeminiProxyOptions = {}): Setup {
  const s = {} as Setup;
  beforeAll(async () => {
    s.fake = await createFakeGoogle();
    const options: GeminiProxyOptions = { ...extra };
    if (kind !== "api_key") {
      s.fake.addAccount({ email: "alice@example.com", scenario: "onboarded" });
      options.credentials = [s.fake.simpleCredential("alice@example.com")];
    }
    if (kind !== "oauth") options.geminiApiKeys = [s.fake.addApiKey("AIzaModelsTestKey0000000000000")];
    s.proxy = createGeminiProxy(proxyOptionsFor(s.fake, options));
    await s.proxy.ready();
    s.call = (surface, model) => request(s.proxy, surface, model);
  });
  afterAll(async () => {
    await s.proxy?.close();
    await s.fake?.close();
  });
  return s;
}

/** The credential is as healthy as before: no failure counted, no cooldown, still active. */
function expectUnharmed(proxy: GeminiProxy): void {
  for (const c of proxy.pool.list()) {
    expect(c.state.status).toBe("active");
    expect(c.state.failures).toBe(0);
    expect(c.state.cooldowns).toEqual({});
  }
}

describe("a Code Assist account", () => {
  const s = useProxy("oauth");
  for (const model of CATALOGUE_NEW) {
    for (const surface of SURFACES) {
      it(`${model} through ${surface} reaches Code Assist as ${CODE_ASSIST_WIRE[model] ?? model}`, async () => {
        const res = await s.call(surface, model);
        expect(res.status).toBe(200);
        const wire = CODE_ASSIST_WIRE[model] ?? model;
        const upstream = s.fake.last({ action: "generateContent" })!;
        expect(upstream.surface).toBe("code-assist");
        expect((upstream.body as { model: string }).model).toBe(wire);
        expect(await answerText(surface, res)).toContain(`Echo from ${wire}`);
        // Gemma takes no thinking config from the proxy.
        const tc = (upstream.body as any).request.generationConfig?.thinkingConfig;
        if (model.startsWith("gemma-")) expect(tc).toBeUndefined();
      });
    }
  }

  it("countTokens uses the wire name too (models/ prefix)", async () => {
    const res = await s.proxy.fetch(
      new Request("http://proxy.test/v1beta/models/gemini-3.5-flash:countTokens", {
        method: "POST",
        headers: authHeaders(),
        body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "count me" }] }] }),
      }),
    );
    expect(res.status).toBe(200);
    expect((s.fake.last({ action: "countTokens" })!.body as any).request.model).toBe("models/gemini-3-flash");
  });

  it("quota buckets reported under the wire name also count for the client id", async () => {
    const id = s.proxy.pool.list()[0]!.id;
    const buckets = await s.proxy.pool.refreshQuota(id);
    expect(buckets?.["gemini-3-flash"]).toBeDefined();
    expect(buckets?.["gemini-3.5-flash"]).toEqual(buckets?.["gemini-3-flash"]);
  });

  for (const model of SHIPPED_LATER) {
    for (const surface of SURFACES) {
      it(`${model} (not served by Code Assist) → Google's 404 in the ${surface} shape, credential unharmed`, async () => {
        const before = s.fake.find({ action: "generateContent", model }).length;
        const res = await s.call(surface, model);
        expect(res.status).toBe(404);
        expect(s.fake.find({ action: "generateContent", model })).toHaveLength(before + 1);
        expectUnharmed(s.proxy);
      });
    }
  }
});

describe("an API key", () => {
  const s = useProxy("api_key");
  for (const model of [...CATALOGUE_NEW, ...SHIPPED_LATER]) {
    for (const surface of SURFACES) {
      it(`${model} through ${surface} reaches the Gemini API as ${model}`, async () => {
        const res = await s.call(surface, model);
        expect(res.status).toBe(200);
        const upstream = s.fake.last({ action: "generateContent" })!;
        expect(upstream.surface).toBe("gemini-api");
        expect(upstream.model).toBe(model);
        expect(await answerText(surface, res)).toContain(`Echo from ${model}`);
        // No thinking config for models whose rules the proxy does not know or that take none.
        if (!model.startsWith("gemini-3"))
          expect((upstream.body as any).generationConfig?.thinkingConfig).toBeUndefined();
      });
    }
  }
});

describe("unknown gemini-* ids go to Google", () => {
  const s = useProxy("both");
  // [surface, status, what the body looks like]
  const shapes: [Surface, Record<string, unknown>][] = [
    ["openai", { error: { type: "invalid_request_error", code: "model_not_found", param: "model" } }],
    ["anthropic", { type: "error", error: { type: "not_found_error" } }],
    ["native", { error: { code: 404, status: "NOT_FOUND" } }],
  ];
  for (const [surface, shape] of shapes) {
    // The native path names the model in the URL, where a `models/` prefix cannot go.
    const ids = ["gemini-9-ultra", "gemini-9-ultra-nothinking", "gemma-9-2b-it-search"];
    for (const model of surface === "native" ? ids : [...ids, "models/gemini-9-ultra-maxthinking"]) {
      it(`${model} through ${surface}: Google's 404 in the surface's shape, credentials unharmed`, async () => {
        const bare = model.replace(/^models\//, "").replace(/-(nothinking|maxthinking|search)$/, "");
        const before = s.fake.find({ action: "generateContent", model: bare }).length;
        const res = await s.call(surface, model);
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject(shape);
        // Both kinds were asked (Code Assist and the Gemini API list different models), with the bare id.
        const asked = s.fake.find({ action: "generateContent", model: bare }).slice(before);
        expect(asked.map((r) => r.surface).sort()).toEqual(["code-assist", "gemini-api"]);
        expectUnharmed(s.proxy);
      });
    }
  }

  it("a model only one kind serves is answered by that kind whichever credential is leased first", async () => {
    for (let i = 0; i < 4; i++) {
      const res = await s.call("openai", "gemini-flash-latest");
      expect(res.status).toBe(200);
      expect(s.fake.last({ action: "generateContent" })!.surface).toBe("gemini-api");
    }
    expect(
      s.fake.find({ action: "generateContent", model: "gemini-flash-latest", surface: "code-assist" }).length,
    ).toBeGreaterThan(0);
    expectUnharmed(s.proxy);
  });

  it("non-Gemini ids answer 404 without asking Google", async () => {
    const before = s.fake.requests.length;
    for (const surface of SURFACES) expect((await s.call(surface, "gpt-4o")).status).toBe(404);
    expect(s.fake.requests.length).toBe(before);
  });
});

describe("strictModels", () => {
  const s = useProxy("api_key", { strictModels: true });
  for (const surface of SURFACES) {
    it(`refuses an unknown gemini id through ${surface} without asking Google`, async () => {
      const before = s.fake.requests.length;
      const res = await s.call(surface, "gemini-flash-latest");
      expect(res.status).toBe(404);
      expect(s.fake.requests.length).toBe(before);
      expect((await s.call(surface, "gemini-3.5-flash")).status).toBe(200);
    });
  }
});
