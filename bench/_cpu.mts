// Ad-hoc: proxy CPU per request for a few routes (not part of npm run bench).
import { fork } from "node:child_process";
import autocannon from "autocannon";
const fake = fork("/work/main/bench/_fake.ts", { execArgv: ["--import", "tsx"], env: { ...process.env, BENCH_API_KEYS: "1" }, stdio: ["ignore", "pipe", "inherit", "ipc"] });
const info: any = await new Promise((r) => { let o = ""; fake.stdout!.on("data", (d) => { o += d; if (o.includes("\n")) r(JSON.parse(o)); }); });
const cfg = { authKeys: ["k"], endpoints: info.endpoints, credentials: [info.credential] };
const proxy = fork("/work/main/bench/_proxy.ts", { execArgv: ["--import", "tsx"], env: { ...process.env, BENCH_PROXY: JSON.stringify(cfg) }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
const ready: any = await new Promise((r) => proxy.once("message", r));
const ask = (m: string) => new Promise<any>((r) => { const on = (x: any) => { if (x.type === m) { proxy.off("message", on); r(x); } }; proxy.on("message", on); proxy.send(m); });
const cases: [string, string, string | undefined][] = [
  ["GET /health", "/health", undefined],
  ["GET /v1/models", "/v1/models", undefined],
  ["native generate", "/v1beta/models/gemini-2.5-flash:generateContent", JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] })],
  ["openai chat", "/v1/chat/completions", JSON.stringify({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }] })],
];
for (const [name, path, body] of cases) {
  await autocannon({ url: ready.url + path, method: body ? "POST" : "GET", connections: 8, amount: 2000, headers: { "content-type": "application/json", authorization: "Bearer k" }, body });
  await ask("reset");
  const n = 6000;
  const r = await autocannon({ url: ready.url + path, method: body ? "POST" : "GET", connections: Number(process.env.C ?? 8), amount: n, headers: { "content-type": "application/json", authorization: "Bearer k" }, body });
  const rep = await ask("report");
  console.log(name.padEnd(18), (rep.cpuUs / n).toFixed(0), "µs/req", "lat avg", r.latency.average, "ms", "non2xx", r.non2xx);
}
proxy.send("exit"); fake.send("exit");
