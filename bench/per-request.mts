// `npx tsx bench/per-request.mts`: what one small non-streaming chat request costs in counts that do
// not depend on how busy the machine is: promises made (async_hooks) and bytes allocated (V8's
// sampling heap profiler, objects already collected included), for the library with `logger: false`
// and memory storage (from dist/, as users run it) or, with TARGET=floor, for bench/floor.mjs. The
// client runs in the same process; its own promise and the allocations of node's HTTP client are
// left out. TOP=n lists the n functions of the proxy that allocate the most (nearest frame of
// dist/ or the floor, else node's). KEYS=n: the library pools n Gemini API keys instead of the one
// Code Assist account.
import http from "node:http";
import { createHook } from "node:async_hooks";
import { Session } from "node:inspector/promises";
import { fileURLToPath } from "node:url";
import { floorEnv, startFake } from "./_fake-child.ts";

const keys = Number(process.env.KEYS ?? 0);
const { info, proc: fake } = await startFake(Math.max(keys, 1));
const floor = process.env.TARGET === "floor";
let port: number;
let close: () => Promise<unknown>;
if (floor) {
  Object.assign(process.env, floorEnv(info, "k"));
  const ready = new Promise<{ url: string }>((resolve) => {
    (process as { send?: unknown }).send = (m: { type: string; url: string }) => m.type === "ready" && resolve(m);
  });
  await import(new URL("./floor.mjs", import.meta.url).href); // a script: it starts its server on import
  port = Number(new URL((await ready).url).port);
  close = async () => fake.send("exit");
} else {
  const { createGeminiProxy } = await import("../dist/index.mjs");
  const proxy = createGeminiProxy({
    authKeys: ["k"],
    endpoints: info.endpoints,
    ...(keys ? { geminiApiKeys: info.apiKeys.slice(0, keys) } : { credentials: [info.credential] }),
    logger: false,
  });
  await proxy.ready();
  const server = http.createServer({ keepAliveTimeout: 60_000 }, proxy.node).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as { port: number }).port;
  close = async () => {
    server.closeAllConnections();
    server.close();
    await proxy.close();
    fake.send("exit");
  };
}

const body = JSON.stringify({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }] });
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const once = () =>
  new Promise<void>((resolve, reject) => {
    const headers = { authorization: "Bearer k", "content-type": "application/json" };
    const req = http.request(
      { port, host: "127.0.0.1", method: "POST", path: "/v1/chat/completions", agent, headers },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
        res.resume();
        res.on("end", resolve);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
for (let i = 0; i < 2000; i++) await once(); // warm: every function optimized, pools filled

// Promises: all made while N requests run one after another, less the client's one per request.
let promises = 0;
let counting = false;
const hook = createHook({
  init(_id, type) {
    if (counting && type === "PROMISE") promises++;
  },
});
hook.enable();
counting = true;
const P = 500;
for (let i = 0; i < P; i++) await once();
counting = false;
hook.disable();

// Allocation: sampled every 256 bytes, objects the GC already took included.
const session = new Session();
session.connect();
await session.post("HeapProfiler.enable");
await session.post("HeapProfiler.startSampling", {
  samplingInterval: 256,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
const N = 3000;
for (let i = 0; i < N; i++) await once();
const { profile } = (await session.post("HeapProfiler.stopSampling")) as unknown as { profile: { head: SampleNode } };

interface SampleNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SampleNode[];
}
const self = fileURLToPath(import.meta.url);
const CLIENT = /node:_http_client|node:_http_agent/;
const ours = (url: string) => /\/dist\/|floor\.mjs/.test(url) && !url.includes("node_modules");
let proxyBytes = 0;
let clientBytes = 0;
const byFrame = new Map<string, number>();
const walk = (node: SampleNode, client: boolean, nearest: string) => {
  const f = node.callFrame;
  const isClient = client || f.url.endsWith(self) || CLIENT.test(f.url);
  const here = `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*\/(dist|bench|node_modules)\//, "$1/")}:${f.lineNumber + 1}`;
  const near = ours(f.url) ? here : nearest;
  if (isClient) clientBytes += node.selfSize;
  else {
    proxyBytes += node.selfSize;
    byFrame.set(near, (byFrame.get(near) ?? 0) + node.selfSize);
  }
  for (const child of node.children) walk(child, isClient, near);
};
walk(profile.head, false, "(node and libraries, no frame of the proxy)");

console.log(
  `${floor ? "floor (bench/floor.mjs)" : `library (logger off, memory storage${keys ? `, ${keys} API keys` : ""})`}: ` +
    `${((promises - P) / P).toFixed(1)} promises and ${(proxyBytes / N / 1024).toFixed(1)} KB allocated per request ` +
    `(client's own ${(clientBytes / N / 1024).toFixed(1)} KB left out)`,
);
const top = Number(process.env.TOP ?? 0);
for (const [frame, bytes] of [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${(bytes / N).toFixed(0).padStart(7)} B  ${frame}`);
await close();
process.exit(0);
