// Child of bench/twin.mts: two library proxies (KEYS_A and KEYS_B Gemini API keys, logger off,
// memory storage) in this one process under one CPU profiler. The parent loads them in turn and
// marks each measured window here, so a sample's time tells which proxy it served.
import http from "node:http";
import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
import { createGeminiProxy } from "../dist/index.mjs";

const { endpoints, apiKeys, counts } = JSON.parse(process.env.BENCH_TWIN ?? "{}");
const serve = async (n) => {
  const proxy = createGeminiProxy({ authKeys: ["k"], endpoints, geminiApiKeys: apiKeys.slice(0, n), logger: false });
  await proxy.ready();
  const server = http.createServer({ keepAliveTimeout: 60_000 }, proxy.node);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${server.address().port}`;
};
const urls = [];
for (const n of counts) urls.push(await serve(n));
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
const marks = [];
// V8's profile times and process.hrtime are both CLOCK_MONOTONIC, in µs here.
const now = () => Number(process.hrtime.bigint() / 1000n);
process.on("message", async (m) => {
  if (m.type === "start") await session.post("Profiler.start");
  else if (m.type === "mark") marks.push({ t: now(), ...m });
  else if (m.type === "stop") {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(m.file, JSON.stringify({ profile, marks }));
  }
  process.send({ type: m.type });
});
process.send({ type: "ready", urls });
