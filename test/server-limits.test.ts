// The standalone server's connection limits (config server.headers_timeout_sec,
// server.request_timeout_sec, server.max_connections): slow clients are cut, a flood is held off at
// the cap, normal clients are served once the slow ones are gone, and long answers are never cut.
import net from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCliContext } from "../src/cli/context.ts";
import { startServer, type RunningServer } from "../src/cli/server.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { fakeEndpoints } from "./cli-config.ts";

const KEY = "limits-client-key";
const CAP = 4;
let fake: FakeGoogle;
let dir: string;
let running: RunningServer;
let port: number;

beforeAll(async () => {
  fake = await createFakeGoogle();
  dir = await mkdtemp(join(tmpdir(), "gcp-limits-"));
  const config = {
    server: { host: "127.0.0.1", port: 0, headers_timeout_sec: 0.5, request_timeout_sec: 1, max_connections: CAP },
    auth_keys: [KEY],
    gemini_api_keys: [fake.addApiKey()],
    log_level: "silent",
    data_dir: join(dir, "data"),
    usage_logging: { enabled: false },
    endpoints: fakeEndpoints(fake),
  };
  await writeFile(join(dir, "config.json"), JSON.stringify(config));
  running = await startServer(await createCliContext({ config: join(dir, "config.json") }));
  port = Number(new URL(running.url).port);
});

afterAll(async () => {
  await running?.stop("test");
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Slow {
  /** Resolves with what the server sent and how long after the start it closed the socket. */
  closed: Promise<{ text: string; afterMs: number }>;
  destroy: () => void;
}

/** A client that sends `head` then one byte of `trickle` every 100 ms. */
function slowClient(head: string, trickle: string): Slow {
  const socket = net.connect(port, "127.0.0.1");
  const start = Date.now();
  let text = "";
  let i = 0;
  socket.write(head);
  const timer = setInterval(() => i < trickle.length && !socket.destroyed && socket.write(trickle[i++]!), 100);
  socket.on("data", (d) => (text += d));
  socket.on("error", () => {});
  const closed = new Promise<{ text: string; afterMs: number }>((resolve) =>
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ text, afterMs: Date.now() - start });
    }),
  );
  return { closed, destroy: () => socket.destroy() };
}

async function models(): Promise<number> {
  const res = await fetch(`${running.url}/v1/models`, { headers: { authorization: `Bearer ${KEY}` } });
  await res.arrayBuffer();
  return res.status;
}

it("reads its three keys and applies them to node:http", () => {
  expect(running.server.headersTimeout).toBe(500);
  expect(running.server.requestTimeout).toBe(1000);
  expect(running.server.maxConnections).toBe(CAP);
});

it("holds a flood of slow header senders at max_connections, cuts them at headers_timeout, then serves", async () => {
  const slow = Array.from({ length: CAP + 2 }, () =>
    slowClient(`GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`, "x-slow: ".repeat(100)),
  );
  await new Promise((r) => setTimeout(r, 150));
  // Over the cap: the extra connections were closed on arrival, and so is a normal client's now.
  const extra = await Promise.race([
    Promise.all(slow.slice(CAP).map((s) => s.closed)),
    new Promise<undefined>((r) => setTimeout(() => r(undefined), 300)),
  ]);
  expect(extra?.every((c) => c.afterMs < 300)).toBe(true);
  await expect(models()).rejects.toThrow();
  // The slow ones are cut at the headers timeout (0.5 s, checked every 250 ms): not held for a minute.
  const cut = await Promise.all(slow.slice(0, CAP).map((s) => s.closed));
  for (const c of cut) expect(c.afterMs).toBeLessThan(2000);
  expect(cut.some((c) => c.text.startsWith("HTTP/1.1 408"))).toBe(true);
  expect(await models()).toBe(200);
});

it("cuts a client that trickles its body at request_timeout", async () => {
  const body = JSON.stringify({ model: "gemini-2.5-flash", input: "x".repeat(500) });
  const slow = slowClient(
    `POST /v1/embeddings HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    body,
  );
  const { text, afterMs } = await slow.closed;
  expect(afterMs).toBeLessThan(2500);
  expect(text.startsWith("HTTP/1.1 408")).toBe(true);
  expect(await models()).toBe(200);
});

it("never cuts an answer that streams longer than request_timeout", async () => {
  fake.inject({
    stream: { text: "one two three four five six seven eight nine ten", deltaChars: 4, chunkDelayMs: 150 },
  });
  const start = Date.now();
  const res = await fetch(`${running.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, {
    method: "POST",
    headers: { "x-goog-api-key": KEY, "content-type": "application/json" },
    body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "count" }] }] }),
  });
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(Date.now() - start).toBeGreaterThan(1300);
  expect(text).toContain('"finishReason":"STOP"');
});
