// `npx tsx bench/profile.mts`: the proxy (from dist/) under --cpu-prof, profiles in /tmp/prof (KEYS=1000 for an API-key pool).
import { fork } from "node:child_process";
import autocannon from "autocannon";
const keys = Number(process.env.KEYS ?? 0);
const fake = fork(new URL("./_fake.ts", import.meta.url).pathname, {
  execArgv: ["--import", "tsx"],
  env: { ...process.env, BENCH_API_KEYS: String(Math.max(keys, 1)) },
  stdio: ["ignore", "pipe", "inherit", "ipc"],
});
const info: any = await new Promise((r) => {
  let o = "";
  fake.stdout!.on("data", (d) => {
    o += d;
    if (o.includes("\n")) r(JSON.parse(o));
  });
});
const cfg = keys
  ? { authKeys: ["k"], endpoints: info.endpoints, geminiApiKeys: info.apiKeys }
  : { authKeys: ["k"], endpoints: info.endpoints, credentials: [info.credential] };
const proxy = fork(new URL("./_proxy.mjs", import.meta.url).pathname, {
  execArgv: ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"],
  env: { ...process.env, BENCH_PROXY: JSON.stringify(cfg) },
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
const ready: any = await new Promise((r) => proxy.once("message", r));
const r = await autocannon({
  url: ready.url + "/v1/chat/completions",
  method: "POST",
  connections: 8,
  amount: Number(process.env.N ?? 20000),
  headers: { "content-type": "application/json", authorization: "Bearer k" },
  body: JSON.stringify({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }] }),
});
console.log("rps", r.requests.average, "non2xx", r.non2xx);
proxy.send("exit");
await new Promise((r) => proxy.once("exit", r));
fake.send("exit");
