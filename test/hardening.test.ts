// Hostile input found in review: oversized bodies on public routes, JSON nested to overflow a
// serializer, inherited property names as model ids, and a spoofed Host on a "local" request.
import http from "node:http";
import { expect, it } from "vitest";
import { ADMIN } from "./_admin.ts";
import { authHeaders, describeMatrix } from "./_setup.ts";

/** JSON text nested `depth` levels deep, built as text (the test's own JSON.stringify would overflow). */
const DEEP = `${"[".repeat(5000)}"x"${"]".repeat(5000)}`;
const withDeep = (body: unknown) => JSON.stringify(body).replace('"__DEEP__"', DEEP);

describeMatrix(
  "hardening",
  (fake) => {
    fake.addAccount({ email: "hard@example.com" });
    return {
      credentials: [fake.simpleCredential("hard@example.com")],
      geminiApiKeys: [fake.addApiKey()],
      admin: ADMIN,
    };
  },
  (h) => {
    it("POST /login refuses a body over its small cap before buffering it (413)", async () => {
      const res = await h.request("/login", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `username=a&password=${"x".repeat(64 * 1024)}`,
      });
      expect(res.status).toBe(413);
    });

    it("deeply nested JSON is a 400 on every surface, and costs no credential anything", async () => {
      const deep = "__DEEP__";
      const cases: [string, unknown][] = [
        [
          "/v1beta/models/gemini-2.5-flash:generateContent",
          { contents: [{ role: "user", parts: [{ text: "hi", x: deep }] }] },
        ],
        [
          "/v1/chat/completions",
          {
            model: "gemini-2.5-flash",
            messages: [{ role: "user", content: "hi" }],
            response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object", x: deep } } },
          },
        ],
        [
          "/v1/responses",
          {
            model: "gemini-2.5-flash",
            input: "hi",
            text: { format: { type: "json_schema", name: "x", schema: { x: deep } } },
          },
        ],
        [
          "/v1/messages",
          { model: "gemini-2.5-flash", max_tokens: 10, messages: [{ role: "user", content: "hi" }], metadata: deep },
        ],
      ];
      for (const [path, body] of cases) {
        const res = await h.request(path, {
          method: "POST",
          headers: authHeaders({ "x-api-key": "ignored" }),
          body: withDeep(body),
        });
        expect(res.status, path).toBe(400);
      }
      for (const view of h.proxy.pool.list()) expect(view.state.status).toBe("active");
    });

    it("model ids named after Object members are unknown models, not crashes", async () => {
      for (const model of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
        const res = await h.request("/v1/embeddings", {
          method: "POST",
          headers: authHeaders(),
          body: JSON.stringify({ model, input: "x" }),
        });
        expect(res.status, model).toBeGreaterThanOrEqual(400);
        expect(res.status, model).toBeLessThan(500);
      }
    });
  },
);

it("a loopback client naming another Host in an absolute request line is not 'local'", async () => {
  const { createFakeGoogle } = await import("./fake-google/index.ts");
  const { createGeminiProxy } = await import("../src/index.ts");
  const { listen, proxyOptionsFor } = await import("./_setup.ts");
  const fake = await createFakeGoogle();
  const proxy = createGeminiProxy(proxyOptionsFor(fake)); // no admin credentials: loopback-only admin
  const server = await listen(proxy.node);
  try {
    const port = new URL(server.url).port;
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(
          { host: "127.0.0.1", port, path: "http://localhost/admin/credentials", headers: { host } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end();
      });
    expect(await status(`localhost:${port}`)).toBe(200);
    expect(await status("evil.example")).toBe(403);
  } finally {
    await server.close();
    await proxy.close();
    await fake.close();
  }
});
