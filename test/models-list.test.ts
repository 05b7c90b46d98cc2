// /v1/models and /v1beta/models add what Google's models.list offers the pooled API keys (paged,
// cached, failures ignored); an OAuth-only pool and strict mode keep the static catalogue.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, DEFAULT_MODELS, type GeminiProxy, type GeminiProxyOptions } from "../src/index.ts";
import { applyError } from "../src/pool/reactions.ts";
import { UpstreamError } from "../src/gemini/errors.ts";
import { createFakeGoogle, type FakeGoogle, type FakeGoogleOptions } from "./fake-google/index.ts";
import { authHeaders, proxyOptionsFor } from "./_setup.ts";

interface Setup {
  fake: FakeGoogle;
  proxy: GeminiProxy;
  get: (path: string) => Promise<Response>;
}

function useProxy(
  kind: "oauth" | "api_key",
  extra: GeminiProxyOptions = {},
  fakeOptions: FakeGoogleOptions = {},
): Setup {
  const s = {} as Setup;
  beforeAll(async () => {
    s.fake = await createFakeGoogle(fakeOptions);
    const options: GeminiProxyOptions = { ...extra };
    if (kind === "oauth") {
      s.fake.addAccount({ email: "alice@example.com", scenario: "onboarded" });
      options.credentials = [s.fake.simpleCredential("alice@example.com")];
    } else options.geminiApiKeys = [s.fake.addApiKey("AIzaListModelsKey000000000000")];
    s.proxy = createGeminiProxy(proxyOptionsFor(s.fake, options));
    await s.proxy.ready();
    s.get = (path) => s.proxy.fetch(new Request(`http://proxy.test${path}`, { headers: authHeaders() }));
  });
  afterAll(async () => {
    await s.proxy?.close();
    await s.fake?.close();
  });
  return s;
}

const openaiIds = async (res: Response) => ((await res.json()) as { data: { id: string }[] }).data.map((m) => m.id);
const nativeModels = async (res: Response) => ((await res.json()) as { models: Record<string, unknown>[] }).models;

describe("API keys: Google's list, paged and cached", () => {
  // Google may serve smaller pages than asked: every page must be followed.
  const s = useProxy("api_key", {}, { maxModelsPageSize: 4 });

  it("/v1/models adds Google's chat models once, after the catalogue", async () => {
    const ids = await openaiIds(await s.get("/v1/models"));
    for (const id of ["gemini-flash-latest", "gemini-2.5-flash-image", "gemma-4-31b-it", "gemini-3.5-flash-search"])
      expect(ids).toContain(id);
    expect(ids).not.toContain("gemini-embedding-001"); // no generateContent
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.indexOf("gemini-flash-latest")).toBeGreaterThan(ids.indexOf("gemini-2.5-pro-maxthinking"));
    const pages = s.fake.find({ action: "listModels" });
    expect(pages.length).toBeGreaterThan(2);
    expect(pages[0]!.query.pageToken).toBeUndefined();
    expect(pages[1]!.query.pageToken).toBeTruthy();
    // The key goes in a header, never in the URL.
    expect(pages.every((p) => p.headers["x-goog-api-key"] && !p.path.includes("AIza"))).toBe(true);
  });

  it("is cached: more lists and lookups do not ask Google again", async () => {
    const before = s.fake.find({ action: "listModels" }).length;
    await s.get("/v1/models");
    await s.get("/v1beta/models");
    await s.get("/v1/models/gemini-flash-latest");
    expect(s.fake.find({ action: "listModels" })).toHaveLength(before);
  });

  it("/v1/models/{id} knows a listed Google model, with Google's limits", async () => {
    const res = await s.get("/v1/models/gemini-2.5-flash-image");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: "gemini-2.5-flash-image",
      display_name: "Gemini 2.5 Flash Image",
      context_length: 32768,
    });
    expect((await s.get("/v1/models/gemini-9-ultra")).status).toBe(404);
  });

  it("/v1beta/models adds Google's entries as Google describes them", async () => {
    const models = await nativeModels(await s.get("/v1beta/models"));
    const names = models.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain("models/gemini-2.5-pro-search"); // ours
    expect(models.find((m) => m.name === "models/gemini-flash-latest")).toMatchObject({
      displayName: "Gemini Flash Latest",
      inputTokenLimit: 1048576,
      outputTokenLimit: 65536,
      supportedGenerationMethods: expect.arrayContaining(["generateContent"]),
      thinking: true,
    });
    const image = models.find((m) => m.name === "models/gemini-2.5-flash-image")!;
    expect(image.thinking).toBeUndefined();
    expect(names).toContain("models/gemini-embedding-001");
    const one = await s.get("/v1beta/models/gemini-flash-latest");
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ name: "models/gemini-flash-latest" });
  });
});

describe("a failing models.list is ignored", () => {
  const s = useProxy("api_key");
  it("the list is the catalogue, and the key is not cooled", async () => {
    s.fake.inject({ match: { action: "listModels" }, error: "capacity_503", times: 1 });
    const res = await s.get("/v1/models");
    expect(res.status).toBe(200);
    const ids = await openaiIds(res);
    expect(ids).toContain("gemini-2.5-pro");
    expect(ids).not.toContain("gemini-flash-latest");
    expect(s.fake.find({ action: "listModels" })).toHaveLength(1);
    expect(s.proxy.pool.list()[0]!.state.cooldowns).toEqual({});
    expect(s.proxy.pool.list()[0]!.state.status).toBe("active");
  });
});

describe("the static catalogue", () => {
  const catalogueIds = (ids: string[]) => ids.filter((id) => DEFAULT_MODELS.some((m) => id.startsWith(m.id)));

  describe("OAuth-only pool", () => {
    const s = useProxy("oauth");
    it("lists the catalogue alone, without asking Google", async () => {
      const ids = await openaiIds(await s.get("/v1/models"));
      expect(ids).toEqual(catalogueIds(ids));
      expect(ids).not.toContain("gemini-flash-latest");
      expect((await nativeModels(await s.get("/v1beta/models"))).length).toBe(ids.length);
      expect(s.fake.find({ action: "listModels" })).toHaveLength(0);
      expect((await s.get("/v1/models/gemini-flash-latest")).status).toBe(404);
    });
  });

  describe("strict mode", () => {
    const s = useProxy("api_key", { strictModels: true });
    it("keeps the closed list, even with API keys", async () => {
      const ids = await openaiIds(await s.get("/v1/models"));
      expect(ids).not.toContain("gemini-flash-latest");
      expect(ids).toContain("gemma-4-26b-a4b-it");
      expect(s.fake.find({ action: "listModels" })).toHaveLength(0);
    });
  });
});

describe("not_found never counts against a credential", () => {
  it("applyError leaves the state as it was, however often", () => {
    const state = {
      status: "active",
      failures: 0,
      cooldowns: {},
      usageCount: 3,
    } as unknown as Parameters<typeof applyError>[0];
    const error = new UpstreamError({ kind: "not_found", status: 404, message: "models/gemini-9 is not found" });
    let next = state;
    for (let i = 0; i < 5; i++) next = applyError(next, error, "gemini-9", Date.now());
    expect(next).toBe(state);
  });
});
