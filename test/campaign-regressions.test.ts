// What the fault and bad-input campaign (issue 18) found holding, pinned so it keeps holding:
// spoofed Host / forwarding headers on the loopback admin, forged and replayed OAuth callbacks,
// SSRF spellings of private addresses (and redirects to them), and client aborts on every surface
// cancelling the Google request.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";
import { createMediaFetcher, MediaFetchError } from "../src/surfaces/_media-fetch.ts";
import { authHeaders, describeMatrix, listen, proxyOptionsFor, waitFor } from "./_setup.ts";
import { basic, call, loopbackOrigin, loopbackToCallback, webLoginSetup } from "./_login.ts";
import { PNG_DATA_URI, startMediaServer } from "./_openai-helpers.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

describe("loopback admin: spoofed Host and forwarding headers", () => {
  let fake: FakeGoogle;
  let proxy: GeminiProxy;
  let server: Awaited<ReturnType<typeof listen>>;
  let port: number;
  beforeAll(async () => {
    fake = await createFakeGoogle();
    proxy = createGeminiProxy(proxyOptionsFor(fake)); // no admin credentials: loopback only
    server = await listen(proxy.node);
    port = Number(new URL(server.url).port);
  });
  afterAll(async () => {
    await server.close();
    await proxy.close();
    await fake.close();
  });

  const status = (headers: Record<string, string>, method = "GET", path = "/admin/credentials") =>
    new Promise<number>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, path, method, headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });

  it("answers loopback names only", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `app.localhost:${port}`])
      expect(await status({ host }), host).toBe(200);
    for (const host of [
      "evil.example",
      `localhost.evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      "127.0.0.1@evil.example",
      `[::ffff:8.8.8.8]:${port}`,
    ])
      expect(await status({ host }), host).toBe(403);
  });

  it("treats any forwarding header as a remote client", async () => {
    const host = `127.0.0.1:${port}`;
    const spoofs: [string, string][] = [
      ["x-forwarded-for", "127.0.0.1"],
      ["forwarded", "for=127.0.0.1"],
      ["x-real-ip", "127.0.0.1"],
      ["via", "1.1 localhost"],
      ["x-forwarded-host", "localhost"],
    ];
    for (const [name, value] of spoofs) expect(await status({ host, [name]: value }), name).toBe(403);
  });

  it("refuses a cross-site state change even with a loopback Host and a forged Origin", async () => {
    const host = `127.0.0.1:${port}`;
    expect(await status({ host, "sec-fetch-site": "cross-site" }, "POST", "/admin/usage/reset")).toBe(403);
    expect(await status({ host, origin: "http://evil.example" }, "POST", "/admin/usage/reset")).toBe(403);
    expect(await status({ host, origin: "null" }, "POST", "/admin/usage/reset")).toBe(403);
  });
});

describeMatrix("forged OAuth callbacks", webLoginSetup, (h) => {
  it("no state, a made-up state or a replayed one: refused, nothing added, no code exchanged", async () => {
    h.fake.setConsent({ email: "forged@example.com" });
    const origin = loopbackOrigin(h);
    const { callback, cookie } = await loopbackToCallback(h, origin);
    const url = new URL(callback);
    const code = url.searchParams.get("code")!;
    const tokensBefore = h.fake.count({ action: "token" });
    const refused = async (target: string) => {
      const res = await call(h, target, { headers: { cookie: cookie!, authorization: basic() } });
      expect(res.status, target).toBeGreaterThanOrEqual(400);
      expect(res.status, target).toBeLessThan(500);
    };
    await refused(`${origin}/oauth2/callback?code=${encodeURIComponent(code)}`);
    await refused(`${origin}/oauth2/callback?code=${encodeURIComponent(code)}&state=${"ab".repeat(32)}`);
    await refused(`${origin}/oauth2/callback?code=${encodeURIComponent(code)}&state=%00`);
    expect(h.fake.count({ action: "token" })).toBe(tokensBefore);
    expect(h.proxy.pool.list().some((c) => c.email === "forged@example.com")).toBe(false);
    // The real callback works once; its replay is refused and exchanges nothing.
    const done = await call(h, callback, { headers: { cookie: cookie! } });
    expect(done.status).toBe(200);
    const afterFirst = h.fake.count({ action: "token" });
    await refused(callback);
    expect(h.fake.count({ action: "token" })).toBe(afterFirst);
    expect(h.proxy.pool.list().filter((c) => c.email === "forged@example.com")).toHaveLength(1);
  });

  it("a callback for someone else's login, from a browser without its cookie and no admin: refused", async () => {
    h.fake.setConsent({ email: "stolen@example.com" });
    const { callback } = await loopbackToCallback(h, loopbackOrigin(h));
    const res = await call(h, callback);
    expect([401, 303, 403]).toContain(res.status);
    expect(h.proxy.pool.list().some((c) => c.email === "stolen@example.com")).toBe(false);
  });
});

describe("SSRF: private addresses in every spelling, and redirects to them", () => {
  let media: Awaited<ReturnType<typeof startMediaServer>>;
  let port = "";
  beforeAll(async () => {
    const to = (location: string) => (_q: unknown, res: http.ServerResponse) => {
      res.writeHead(302, { location });
      res.end();
    };
    media = await startMediaServer({
      "/to-metadata": to("http://169.254.169.254/latest/meta-data/"),
      "/to-decimal": to("http://167772161/img.png"), // 10.0.0.1
      "/to-mapped": to("http://[::ffff:10.0.0.1]/img.png"),
      "/to-localhost-dot": to("http://localhost./img.png"),
    });
    port = new URL(media.url).port;
  });
  afterAll(() => media.close());

  const guarded = createMediaFetcher();
  const refusal = async (url: string) => {
    const error = await guarded.fetch(url).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, url).toBeInstanceOf(MediaFetchError);
    return (error as Error).message;
  };

  it("refuses loopback and private hosts however they are written", async () => {
    for (const host of [
      "2130706433", // decimal
      "0177.0.0.1", // octal
      "0x7f.0.0.1", // hex
      "0x7f000001",
      "127.1",
      "[::ffff:127.0.0.1]",
      "[::ffff:7f00:1]",
      "[::1]",
      "[0:0:0:0:0:0:0:1]",
      "localhost.",
      "LOCALHOST",
      "evil.example@127.0.0.1", // userinfo: the host is what follows '@'
      "user:pass@[::1]",
      "0",
      "169.254.169.254",
      "0xa9fea9fe",
    ])
      expect(await refusal(`http://${host}:${port}/img.png`), host).toMatch(/private|reserved|resolve/);
    expect(await refusal(`http://127.0.0.1:${port}\\@evil.example/img.png`)).toMatch(/private|reserved/);
  });

  it("re-checks redirects: a public-looking hop that sends to a private address is refused", async () => {
    // Only the media server's own address counts as public here.
    const onlyMedia = createMediaFetcher({ allowAddress: (a) => a === "127.0.0.1" });
    for (const path of ["/to-metadata", "/to-decimal", "/to-mapped", "/to-localhost-dot"]) {
      const error = await onlyMedia.fetch(`${media.url}${path}`).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, path).toBeInstanceOf(MediaFetchError);
      expect((error as Error).message, path).toMatch(/private|reserved|resolve/);
    }
  });
});

describeMatrix(
  "client aborts on every surface cancel the Google request",
  (fake) => {
    fake.addAccount({ email: "abort@example.com" });
    return { credentials: [fake.simpleCredential("abort@example.com")] };
  },
  (h) => {
    const cases: [string, string, unknown][] = [
      [
        "OpenAI chat",
        "/v1/chat/completions",
        { model: "gemini-2.5-flash", stream: true, messages: [{ role: "user", content: "slow" }] },
      ],
      ["Responses", "/v1/responses", { model: "gemini-2.5-flash", stream: true, input: "slow" }],
      [
        "Anthropic",
        "/v1/messages",
        { model: "gemini-2.5-flash", max_tokens: 100, stream: true, messages: [{ role: "user", content: "slow" }] },
      ],
      [
        "native",
        "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
        { contents: [{ role: "user", parts: [{ text: "slow" }] }] },
      ],
      [
        "Anthropic (non-streaming)",
        "/v1/messages",
        { model: "gemini-2.5-flash", max_tokens: 100, messages: [{ role: "user", content: "slow" }] },
      ],
      ["Responses (non-streaming)", "/v1/responses", { model: "gemini-2.5-flash", input: "slow" }],
      [
        "native generateContent",
        "/v1beta/models/gemini-2.5-flash:generateContent",
        { contents: [{ role: "user", parts: [{ text: "slow" }] }] },
      ],
      [
        "OpenAI chat with an image (non-streaming)",
        "/v1/chat/completions",
        {
          model: "gemini-2.5-flash",
          messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: PNG_DATA_URI } }] }],
        },
      ],
    ];
    for (const [name, path, body] of cases) {
      it(name, async () => {
        h.fake.reset();
        const streaming = (body as { stream?: boolean }).stream === true || path.includes("stream");
        h.fake.inject(
          streaming
            ? { stream: { text: "x".repeat(400), deltaChars: 5, chunkDelayMs: 50 } }
            : { match: { action: "generateContent" }, delayMs: 5000 },
        );
        const ac = new AbortController();
        const pending = h.request(path, {
          method: "POST",
          headers: authHeaders({ "x-api-key": "ignored" }),
          body: JSON.stringify(body),
          signal: ac.signal,
        });
        if (streaming) {
          const reader = (await pending).body!.getReader();
          await reader.read();
          ac.abort();
          await reader.cancel().catch(() => {});
        } else {
          await waitFor(() => h.fake.requests.some((r) => r.action === "generateContent"));
          ac.abort();
          await pending.catch(() => {});
        }
        await waitFor(() => h.fake.requests.some((r) => r.aborted === true), 4000);
        for (const view of h.proxy.pool.list()) expect(view.state.status).toBe("active");
      });
    }
  },
);
