// Upstream transports against the fake Google: OAuth, Code Assist wrapper/unwrapping, Gemini API,
// error classification through real HTTP, timeouts, premature close, outbound proxy.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isUpstreamError, type UpstreamError } from "../src/gemini/errors.ts";
import { createCodeAssistClient } from "../src/upstream/code-assist.ts";
import { resolveEndpoints } from "../src/upstream/endpoints.ts";
import { createGeminiApiClient } from "../src/upstream/gemini-api.ts";
import { createHttpClient, type HttpClient } from "../src/upstream/http-client.ts";
import {
  fetchTokenInfo,
  fetchUserInfo,
  GEMINI_CLI_OAUTH_CLIENT,
  refreshAccessToken,
  revokeToken,
} from "../src/upstream/oauth.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

const contents = (text: string) => [{ role: "user" as const, parts: [{ text }] }];

async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    if (isUpstreamError(error)) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("upstream transports", () => {
  let fake: FakeGoogle;
  let http: HttpClient;
  let oauth: Parameters<typeof refreshAccessToken>[0];
  let codeAssist: ReturnType<typeof createCodeAssistClient>;
  let geminiApi: ReturnType<typeof createGeminiApiClient>;
  let apiKey: string;

  beforeAll(async () => {
    fake = await createFakeGoogle();
    fake.addAccount({ email: "up@example.com", project: "proj-up" });
    apiKey = fake.addApiKey();
    http = createHttpClient({ timeouts: { connect: 5, read: 1 } });
    const endpoints = resolveEndpoints(fake.endpoints);
    oauth = { http, endpoints, client: GEMINI_CLI_OAUTH_CLIENT };
    codeAssist = createCodeAssistClient({ http, baseUrl: endpoints.codeAssist });
    geminiApi = createGeminiApiClient({ http, baseUrl: endpoints.geminiApi });
  });
  afterAll(async () => {
    await http.close();
    await fake.close();
  });

  const auth = () => ({
    kind: "oauth" as const,
    accessToken: fake.account("up@example.com").accessToken,
    project: "proj-up",
  });

  it("refreshes a token, keeps working with the new one, and reads userinfo and tokeninfo", async () => {
    const tokens = await refreshAccessToken(oauth, fake.account("up@example.com").refreshToken);
    expect(tokens.accessToken).toMatch(/\S/);
    expect(tokens.refreshToken).toBeUndefined();
    expect(tokens.expiresAt).toBeGreaterThan(Date.now() + 60_000);
    expect((await fetchUserInfo(oauth, tokens.accessToken)).email).toBe("up@example.com");
    expect(await fetchTokenInfo(oauth, tokens.accessToken)).toMatchObject({ email: "up@example.com" });
  });

  it("classifies invalid_grant after revocation as auth_revoked", async () => {
    fake.addAccount({ email: "gone@example.com" });
    const refresh = fake.account("gone@example.com").refreshToken;
    await revokeToken(oauth, refresh);
    const error = await rejection(refreshAccessToken(oauth, refresh));
    expect(error.kind).toBe("auth_revoked");
    expect(error.message).toMatch(/expired or revoked/);
  });

  it("wraps Code Assist requests like the Gemini CLI and unwraps responses", async () => {
    const res = await codeAssist.transport.generate(auth(), {
      model: "gemini-2.5-flash",
      request: { contents: contents("wrapped?") },
      sessionId: "s-1",
    });
    expect(res.candidates?.[0]?.content?.parts?.[0]?.text).toContain("wrapped?");
    expect(res.responseId).toBeTruthy();
    const sent = fake.requests.filter((r) => r.action === "generateContent").at(-1)!;
    expect(sent.body).toMatchObject({
      model: "gemini-2.5-flash",
      project: "proj-up",
      user_prompt_id: "s-1########0",
      request: { session_id: "s-1", contents: contents("wrapped?") },
    });
    expect(sent.headers.authorization).toBe(`Bearer ${auth().accessToken}`);
  });

  it("streams Code Assist SSE as parsed, unwrapped chunks", async () => {
    const chunks = [];
    for await (const c of await codeAssist.transport.stream(auth(), {
      model: "gemini-2.5-flash",
      request: { contents: contents("sse") },
    }))
      chunks.push(c);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => !("response" in c))).toBe(true);
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe("STOP");
  });

  it("survives hostile framing: split writes, multi-line data, comments, a malformed event, LF endings", async () => {
    fake.inject({
      match: { action: "streamGenerateContent" },
      stream: {
        text: "héllo 👋 世界 framing",
        deltaChars: 3,
        splitWrites: true,
        multilineData: true,
        comments: true,
        malformedEvent: true,
        lineEnding: "\n",
      },
    });
    let text = "";
    for await (const c of await codeAssist.transport.stream(auth(), {
      model: "gemini-2.5-flash",
      request: { contents: contents("x") },
    })) {
      text += c.candidates?.[0]?.content?.parts?.map((p) => p.text ?? "").join("") ?? "";
    }
    expect(text).toBe("héllo 👋 世界 framing");
  });

  it("counts tokens through Code Assist's countTokens shape", async () => {
    const res = await codeAssist.transport.countTokens(auth(), {
      model: "gemini-2.5-pro",
      request: { contents: contents("four words here now") },
    });
    expect(res.totalTokens).toBeGreaterThan(0);
    expect(fake.requests.filter((r) => r.action === "countTokens").at(-1)!.body).toEqual({
      request: { model: "models/gemini-2.5-pro", contents: contents("four words here now") },
    });
  });

  const errorCases: [string, Parameters<FakeGoogle["inject"]>[0]["error"], UpstreamError["kind"]][] = [
    ["429 RATE_LIMIT_EXCEEDED", "rate_limit", "rate_limited"],
    ["429 QUOTA_EXHAUSTED", "quota_exhausted", "quota_exhausted"],
    ["429 MODEL_CAPACITY_EXHAUSTED", "capacity", "capacity"],
    ["503 capacity", "capacity_503", "capacity"],
    ["401", "unauthenticated", "auth_expired"],
    ["403 VALIDATION_REQUIRED", "validation_required", "validation_required"],
    ["403 SERVICE_DISABLED", "service_disabled", "service_disabled"],
    ["400", "invalid_argument", "invalid_request"],
    ["404", "not_found", "not_found"],
    ["500", "internal", "upstream_unavailable"],
  ];
  for (const [name, preset, kind] of errorCases) {
    it(`classifies ${name} (unary object and streaming array forms, and the small JSON calls alike)`, async () => {
      for (const action of ["generateContent", "streamGenerateContent", "countTokens"])
        fake.inject({ match: { action }, error: preset });
      const call = { model: "gemini-2.5-pro", request: { contents: contents("x") } };
      const unary = await rejection(codeAssist.transport.generate(auth(), call));
      const streamed = await rejection(codeAssist.transport.stream(auth(), call));
      // countTokens is one of the small calls that go through ofetch: classified the same way.
      const small = await rejection(codeAssist.transport.countTokens(auth(), call));
      expect(unary.kind).toBe(kind);
      expect(streamed.kind).toBe(kind);
      const facts = (e: UpstreamError) => ({ kind: e.kind, status: e.status, reason: e.reason, message: e.message });
      expect(facts(small)).toEqual(facts(unary));
    });
  }

  it("small JSON calls: an HTML gateway page, invalid JSON and a refused connection are classified", async () => {
    fake.inject({
      match: { action: "loadCodeAssist" },
      error: { status: 502, body: null, raw: "<html><title>Bad Gateway</title></html>" },
    });
    const gateway = await rejection(codeAssist.call(auth().accessToken, "loadCodeAssist", {}));
    expect(gateway).toMatchObject({ kind: "upstream_unavailable", status: 502, message: "HTTP 502: Bad Gateway" });
    fake.inject({
      match: { action: "loadCodeAssist" },
      handler: (_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end("{not json"),
    });
    expect(await rejection(codeAssist.call(auth().accessToken, "loadCodeAssist", {}))).toMatchObject({
      kind: "upstream_unavailable",
      message: "loadCodeAssist returned invalid JSON",
    });
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = await rejection(
      fetchUserInfo({ ...oauth, endpoints: { ...oauth.endpoints, userinfo: `http://127.0.0.1:${port}/u` } }, "t"),
    );
    expect(refused).toMatchObject({ kind: "network", code: "ECONNREFUSED" });
    expect(refused.message).not.toContain("[GET]");
  });

  it("a premature close mid-stream becomes a network error for the consumer", async () => {
    fake.inject({
      match: { action: "streamGenerateContent" },
      stream: { text: "a long answer that is cut", deltaChars: 2, closeAfterEvents: 2 },
    });
    const stream = await codeAssist.transport.stream(auth(), {
      model: "gemini-2.5-flash",
      request: { contents: contents("x") },
    });
    const error = await rejection(
      (async () => {
        for await (const _ of stream) void _;
      })(),
    );
    expect(error.kind).toBe("network");
  });

  it("applies the read timeout to a stream that hangs", async () => {
    fake.inject({
      match: { action: "streamGenerateContent" },
      stream: { text: "abcdefgh", deltaChars: 2, hangAfterEvents: 1 },
    });
    const stream = await codeAssist.transport.stream(auth(), {
      model: "gemini-2.5-flash",
      request: { contents: contents("x") },
    });
    const started = Date.now();
    const error = await rejection(
      (async () => {
        for await (const _ of stream) void _;
      })(),
    );
    expect(error.kind).toBe("network");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("aborts the upstream request when the caller's signal aborts", async () => {
    fake.reset();
    fake.inject({
      match: { action: "streamGenerateContent" },
      stream: { text: "x".repeat(200), deltaChars: 2, chunkDelayMs: 30 },
    });
    const ac = new AbortController();
    const stream = await codeAssist.transport.stream(auth(), {
      model: "gemini-2.5-flash",
      request: { contents: contents("x") },
      signal: ac.signal,
    });
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    ac.abort();
    await it.next().catch(() => {});
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.requests.find((r) => r.action === "streamGenerateContent")?.aborted).toBe(true);
  });

  it("calls the Gemini API with the key header, unwrapped bodies and SSE", async () => {
    const key = { kind: "api_key" as const, apiKey };
    const res = await geminiApi.transport.generate(key, {
      model: "gemini-2.5-flash",
      request: { contents: contents("by key") },
    });
    expect(res.candidates?.[0]?.content?.parts?.[0]?.text).toContain("by key");
    const sent = fake.requests.filter((r) => r.surface === "gemini-api").at(-1)!;
    expect(sent.headers["x-goog-api-key"]).toBe(apiKey);
    expect(sent.query.key).toBeUndefined();
    let n = 0;
    for await (const _ of await geminiApi.transport.stream(key, {
      model: "gemini-2.5-flash",
      request: { contents: contents("s") },
    }))
      n++;
    expect(n).toBeGreaterThan(1);
    const bad = await rejection(
      geminiApi.transport.generate(
        { kind: "api_key", apiKey: "AIzaWrong" },
        { model: "gemini-2.5-flash", request: { contents: contents("x") } },
      ),
    );
    expect(bad.kind).toBe("auth_revoked");
  });
});

/** A minimal CONNECT proxy on loopback that records the request line of every tunnel. */
async function connectProxy() {
  const seen: string[] = [];
  const server = net.createServer((client) => {
    client.once("data", (head) => {
      const line = head.toString().split("\r\n")[0] ?? "";
      seen.push(line);
      const [host, port] = (line.split(" ")[1] ?? "").split(":");
      const upstream = net.connect(Number(port), host, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("outbound HTTP proxy", () => {
  let fake: FakeGoogle;
  let proxy: Awaited<ReturnType<typeof connectProxy>>;
  const env = { ...process.env };
  beforeAll(async () => {
    fake = await createFakeGoogle();
    fake.addAccount({ email: "px@example.com", project: "p" });
    proxy = await connectProxy();
  });
  afterAll(async () => {
    process.env = env;
    await proxy.close();
    await fake.close();
  });

  /** Generation (undici request) and a userinfo call (ofetch), each on its own client: how many were tunnelled. */
  async function tunnelled(options: Partial<Parameters<typeof createHttpClient>[0]>): Promise<number> {
    const before = proxy.seen.length;
    const token = fake.account("px@example.com").accessToken;
    const withClient = async (fn: (http: HttpClient) => Promise<void>) => {
      const http = createHttpClient({ timeouts: { connect: 5, read: 5 }, ...options });
      await fn(http).finally(() => http.close());
    };
    await withClient(async (http) => {
      const client = createCodeAssistClient({ http, baseUrl: fake.url });
      const res = await client.transport.generate(
        { kind: "oauth", accessToken: token, project: "p" },
        { model: "gemini-2.5-flash", request: { contents: contents("via proxy") } },
      );
      expect(res.candidates?.[0]?.content?.parts?.[0]?.text).toContain("via proxy");
    });
    await withClient(async (http) => {
      const endpoints = resolveEndpoints(fake.endpoints);
      const info = await fetchUserInfo({ http, endpoints, client: GEMINI_CLI_OAUTH_CLIENT }, token);
      expect(info.email).toBe("px@example.com");
    });
    const lines = proxy.seen.slice(before);
    expect(lines.every((l) => l.startsWith(`CONNECT 127.0.0.1:${new URL(fake.url).port}`))).toBe(true);
    return lines.length;
  }

  it("tunnels upstream calls, the small JSON calls included, through the configured proxy", async () => {
    expect(await tunnelled({ httpProxy: proxy.url })).toBe(2);
  });

  it("defaults to HTTP(S)_PROXY from the environment, honours NO_PROXY, and null disables it", async () => {
    process.env = { ...env, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: "" };
    expect(await tunnelled({})).toBe(2);
    expect(await tunnelled({ httpProxy: null })).toBe(0);
    process.env.NO_PROXY = "127.0.0.1";
    expect(await tunnelled({})).toBe(0);
  });
});
