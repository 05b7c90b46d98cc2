// A path whose percent-encoding does not decode is the client's mistake: a 400 in the shape of the
// surface the path belongs to (judged by what precedes the broken escape), never h3's generic body.
import http from "node:http";
import { expect, it } from "vitest";
import { CLIENT_KEY, describeMatrix } from "./_setup.ts";

const CASES: [path: string, surface: "gemini" | "openai" | "anthropic"][] = [
  ["/v1beta/models/%ff%fe", "gemini"],
  ["/v1beta/models/gemini-2.5-flash%zz:generateContent", "gemini"],
  ["/v1/models/%E0%A4%A", "openai"],
  ["/v1/chat/completions%", "openai"],
  ["/v1/messages%zz", "anthropic"],
];

function expectShape(surface: string, body: Record<string, any>, path: string): void {
  if (surface === "gemini") {
    expect(body.error, path).toMatchObject({ code: 400, status: "INVALID_ARGUMENT" });
    expect(body.error.message, path).toMatch(/percent-encoding/);
  } else if (surface === "anthropic") {
    expect(body, path).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect(body.error.message, path).toMatch(/percent-encoding/);
  } else {
    expect(body.error, path).toMatchObject({ type: "invalid_request_error", code: "invalid_path" });
    expect(body.error.message, path).toMatch(/percent-encoding/);
  }
}

describeMatrix(
  "malformed percent-encoding in the path",
  (fake) => {
    fake.addAccount({ email: "paths@example.com" });
    return { credentials: [fake.simpleCredential("paths@example.com")] };
  },
  (h) => {
    it("answers 400 in the surface's own error shape", async () => {
      for (const [path, surface] of CASES) {
        const method = path.includes("chat") || path.includes("messages") || path.includes(":") ? "POST" : "GET";
        const res = await h.request(path, {
          method,
          headers: { authorization: `Bearer ${CLIENT_KEY}`, "content-type": "application/json" },
          body: method === "POST" ? "{}" : undefined,
        });
        expect(res.status, path).toBe(400);
        expectShape(surface, (await res.json()) as Record<string, any>, path);
      }
      expect(h.fake.count({ action: "generateContent" })).toBe(0);
    });
  },
);

it("also under a basePath, through node:http with the raw bytes on the wire", async () => {
  const { createFakeGoogle } = await import("./fake-google/index.ts");
  const { createGeminiProxy } = await import("../src/index.ts");
  const { listen, proxyOptionsFor } = await import("./_setup.ts");
  const fake = await createFakeGoogle();
  const proxy = createGeminiProxy(proxyOptionsFor(fake, { basePath: "/gemini" }));
  const server = await listen(proxy.node);
  try {
    const port = Number(new URL(server.url).port);
    for (const [path, surface] of CASES) {
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          { host: "127.0.0.1", port, path: `/gemini${path}`, headers: { authorization: `Bearer ${CLIENT_KEY}` } },
          (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => (text += chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on("error", reject);
        req.end();
      });
      expect(status, path).toBe(400);
      expectShape(surface, JSON.parse(body), path);
    }
  } finally {
    await server.close();
    await proxy.close();
    await fake.close();
  }
});
