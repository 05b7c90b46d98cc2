// Bodies over the cap sent chunked (no Content-Length to refuse up front): every surface answers
// 413 in its own error shape, never a bare 499, and closes the connection cleanly, so the client
// reads the 413 and its next request (on a new connection) is served at once.
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";
import { ADMIN, adminHeaders } from "./_admin.ts";
import { CLIENT_KEY, listen, proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

const CAP = 4096;
const ADMIN_CAP = 2 * 1024 * 1024; // admin bodies have their own, smaller-than-default cap

interface Case {
  path: string;
  shape: (body: any) => void;
  /** Bytes to send in all: well over the route's cap. */
  total: number;
  headers: Record<string, string>;
}

const apiHeaders = { authorization: `Bearer ${CLIENT_KEY}`, "content-type": "application/json" };
const openaiShape = (body: any) =>
  expect(body.error).toMatchObject({ type: "invalid_request_error", code: "request_too_large" });
const CASES: Case[] = [
  { path: "/v1/chat/completions", shape: openaiShape, total: 8 * CAP, headers: apiHeaders },
  { path: "/v1/responses", shape: openaiShape, total: 8 * CAP, headers: apiHeaders },
  { path: "/v1/embeddings", shape: openaiShape, total: 8 * CAP, headers: apiHeaders },
  {
    path: "/v1/messages",
    shape: (body) => expect(body).toMatchObject({ type: "error", error: { type: "request_too_large" } }),
    total: 8 * CAP,
    headers: { "x-api-key": CLIENT_KEY, "content-type": "application/json" },
  },
  {
    path: "/v1beta/models/gemini-2.5-flash:generateContent",
    shape: (body) => expect(body.error).toMatchObject({ code: 413 }),
    total: 8 * CAP,
    headers: { "x-goog-api-key": CLIENT_KEY, "content-type": "application/json" },
  },
  {
    path: "/admin/credentials/add",
    shape: (body) => expect(body.error.message).toMatch(/too large/),
    total: ADMIN_CAP + 256 * 1024,
    headers: { ...adminHeaders(), "content-type": "application/json" },
  },
];

let fake: FakeGoogle;
let proxy: GeminiProxy;
let server: Awaited<ReturnType<typeof listen>>;
let port: number;

beforeAll(async () => {
  fake = await createFakeGoogle();
  fake.addAccount({ email: "body@example.com" });
  proxy = createGeminiProxy(
    proxyOptionsFor(fake, {
      credentials: [fake.simpleCredential("body@example.com")],
      geminiApiKeys: [fake.addApiKey()],
      admin: ADMIN,
      maxBodySize: CAP,
    }),
  );
  await proxy.ready();
  server = await listen(proxy.node);
  port = Number(new URL(server.url).port);
});

afterAll(async () => {
  await server?.close();
  await proxy?.close();
  await fake?.close();
});

interface RawAnswer {
  head: string;
  body: string;
  /** ms from the answer's first byte until the server closed the connection (-1: never). */
  closedAfterMs: number;
}

/** Sends the headers and keeps writing chunks (as a client uploading a big file does) until the answer. */
function rawChunkedPost(c: Case): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let text = "";
    let firstByteAt = 0;
    let sent = 0;
    const chunk = "x".repeat(16 * 1024);
    const head = Object.entries({ ...c.headers, host: `127.0.0.1:${port}`, "transfer-encoding": "chunked" })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join("");
    socket.write(`POST ${c.path} HTTP/1.1\r\n${head}\r\n`);
    const pump = setInterval(() => {
      if (socket.destroyed || firstByteAt || socket.writableEnded) return;
      if (sent < c.total) {
        socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
        sent += chunk.length;
      }
    }, 2);
    const giveUp = setTimeout(() => finish(-1), 4000);
    const finish = (closedAfterMs: number) => {
      clearInterval(pump);
      clearTimeout(giveUp);
      socket.destroy();
      const [headPart = "", ...rest] = text.split("\r\n\r\n");
      if (!headPart) return reject(new Error(`no answer on ${c.path}`));
      resolve({ head: headPart.toLowerCase(), body: rest.join("\r\n\r\n"), closedAfterMs });
    };
    socket.on("data", (d) => {
      firstByteAt ||= Date.now();
      text += d;
    });
    socket.on("error", () => {}); // a write racing the close may fail; the answer is what counts
    socket.on("close", () => finish(firstByteAt ? Date.now() - firstByteAt : -1));
  });
}

/** The JSON of a (possibly chunked) HTTP/1.1 body. */
function parseBody(head: string, body: string): unknown {
  if (!head.includes("transfer-encoding: chunked")) return JSON.parse(body);
  let out = "";
  let rest = body;
  for (;;) {
    const eol = rest.indexOf("\r\n");
    const size = parseInt(rest.slice(0, eol), 16);
    if (!size) break;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
  return JSON.parse(out);
}

async function timedHealth(agent?: http.Agent): Promise<{ status: number; ms: number }> {
  const start = Date.now();
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/v1/models", agent, headers: apiHeaders }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
  });
  return { status, ms: Date.now() - start };
}

describe("chunked bodies over max_body_size [node:http, raw socket]", () => {
  for (const c of CASES) {
    it(`${c.path}: 413 in the surface's shape, Connection: close, closed at once, next request served`, async () => {
      const answer = await rawChunkedPost(c);
      expect(answer.head).toMatch(/^http\/1\.1 413/);
      expect(answer.head).toContain("connection: close");
      c.shape(parseBody(answer.head, answer.body));
      expect(answer.closedAfterMs).toBeGreaterThanOrEqual(0);
      expect(answer.closedAfterMs).toBeLessThan(1500);
      const next = await timedHealth();
      expect(next.status).toBe(200);
      expect(next.ms).toBeLessThan(1000);
    });
  }
});

describe("chunked bodies over max_body_size [node:http, keep-alive agent]", () => {
  for (const c of CASES) {
    it(`${c.path}: the agent's next request is served at once`, async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        expect((await timedHealth(agent)).status).toBe(200); // a kept-alive socket now exists
        const answer = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
          (resolve, reject) => {
            const req = http.request(
              { host: "127.0.0.1", port, path: c.path, method: "POST", agent, headers: c.headers },
              (res) => {
                let body = "";
                res.setEncoding("utf8");
                res.on("data", (d: string) => (body += d));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
              },
            );
            req.on("error", (error) => reject(error));
            const chunk = Buffer.alloc(16 * 1024, 120);
            let sent = 0;
            const pump = () => {
              while (sent < c.total && !req.destroyed) {
                sent += chunk.length;
                if (!req.write(chunk)) return void req.once("drain", pump);
              }
              if (!req.destroyed) req.end();
            };
            pump();
          },
        );
        expect(answer.status).toBe(413);
        expect(answer.headers.connection).toBe("close");
        c.shape(JSON.parse(answer.body));
        const next = await timedHealth(agent);
        expect(next.status).toBe(200);
        expect(next.ms).toBeLessThan(1000);
      } finally {
        agent.destroy();
      }
    });
  }
});

describe("chunked bodies over max_body_size [proxy.fetch]", () => {
  for (const c of CASES) {
    it(`${c.path}: 413 in the surface's shape, not a 499`, async () => {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= c.total) return controller.close();
          sent += 16 * 1024;
          controller.enqueue(new Uint8Array(16 * 1024).fill(120));
        },
      });
      const request = new Request(`http://localhost${c.path}`, {
        method: "POST",
        headers: c.headers,
        body,
        duplex: "half",
      } as RequestInit);
      const res = await proxy.fetch(request);
      expect(res.status).toBe(413);
      expect(res.headers.get("connection")).toBe("close");
      c.shape(await res.json());
    });
  }
});

it("a body within the cap still works on the kept-alive connection (no close)", async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(
        { host: "127.0.0.1", port, path: "/v1/chat/completions", method: "POST", agent, headers: apiHeaders },
        resolve,
      );
      req.on("error", reject);
      req.write(JSON.stringify({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }] }));
      req.end();
    });
    res.resume();
    expect(res.statusCode).toBe(200);
    expect(res.headers.connection).toBe("keep-alive");
  } finally {
    agent.destroy();
  }
});
