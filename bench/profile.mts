// `npx tsx bench/profile.mts`: a proxy (from dist/) under --cpu-prof, profiles in /tmp/prof; rank them
// with `npx tsx bench/profile-report.mts /tmp/prof/<file>.cpuprofile`.
//   TARGET=library (default): bench/_proxy.mjs (logger off, memory storage; DEFAULTS=1 for the library's
//     defaults, its log discarded); KEYS=1000 for an API-key pool; SECONDS of load (default 10, wrk when
//     installed, 16 connections), or N requests from autocannon (8 connections) as before.
//   TARGET=floor: bench/floor.mjs, the minimal Node proxy, under the same load; LAYERS="h3+journal+log"
//     (any of them) adds those layers (see bench/floor.mjs).
//   TARGET=cli: `gemini-cli-proxy run` as `npm run bench` runs it (fs storage, ledger, info log to a
//     file); KEYS=N API keys in its fs storage (default: the one Code Assist account); SECONDS of wrk
//     load (default 10, 16 connections); STREAM=1 for streaming chat; START_ONLY=1 profiles the start-up
//     (to the first answered request) only. Prints the start-up time, req/s and the profile's name.
import { fork } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import autocannon from "autocannon";
import { prepareCliHome, startCli } from "./_cli.ts";
import { load } from "./_client.ts";
import { floorEnv, startFake } from "./_fake-child.ts";

const keys = Number(process.env.KEYS ?? 0);
const dir = process.env.PROF_DIR ?? "/tmp/prof";
const body = JSON.stringify({
  model: "gemini-2.5-flash",
  stream: process.env.STREAM === "1",
  messages: [{ role: "user", content: "hi" }],
});
const { info, proc: fake } = await startFake(Math.max(keys, 1));
mkdirSync(dir, { recursive: true });
const before = new Set(readdirSync(dir));

if (process.env.TARGET === "cli") {
  const home = prepareCliHome(
    keys ? `prof-keys${keys}` : "prof-oauth",
    info,
    "k",
    keys ? { apiKeys: keys } : { oauth: true },
  );
  const chat = {
    path: "/v1/chat/completions",
    headers: { authorization: "Bearer k" },
    body: JSON.stringify({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }] }),
  };
  const cli = await startCli(home, chat, ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
  console.log(`start-up to first answer ${cli.startupMs.toFixed(0)} ms; log ${home.log}`);
  if (process.env.START_ONLY !== "1") {
    const r = await load(cli.url, {
      path: "/v1/chat/completions",
      body,
      headers: { authorization: "Bearer k" },
      connections: 16,
      seconds: Number(process.env.SECONDS ?? 10),
    });
    console.log("rps", r.rps, "requests", r.requests, "errors", r.errors, "non2xx", r.non2xx);
  }
  console.log("exit code", await cli.stop());
} else {
  // library (bench/_proxy.mjs, logger off; DEFAULTS=1 for createGeminiProxy's defaults, log to /dev/null) or the floor (bench/floor.mjs)
  const floor = process.env.TARGET === "floor";
  const cfg = keys
    ? { authKeys: ["k"], endpoints: info.endpoints, geminiApiKeys: info.apiKeys }
    : { authKeys: ["k"], endpoints: info.endpoints, credentials: [info.credential] };
  const env = floor
    ? floorEnv(info, "k", process.env.LAYERS ? process.env.LAYERS.split("+") : [])
    : { BENCH_PROXY: JSON.stringify(cfg), BENCH_DEFAULTS: process.env.DEFAULTS ?? "" };
  const proxy = fork(new URL(floor ? "./floor.mjs" : "./_proxy.mjs", import.meta.url).pathname, {
    execArgv: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
    env: { ...process.env, ...env },
    stdio: ["ignore", process.env.DEFAULTS === "1" ? "ignore" : "inherit", "inherit", "ipc"],
  });
  const ready: any = await new Promise((r) => proxy.once("message", r));
  if (process.env.N) {
    const r = await autocannon({
      url: ready.url + "/v1/chat/completions",
      method: "POST",
      connections: 8,
      amount: Number(process.env.N),
      headers: { "content-type": "application/json", authorization: "Bearer k" },
      body,
    });
    console.log("rps", r.requests.average, "non2xx", r.non2xx);
  } else {
    const r = await load(ready.url, {
      path: "/v1/chat/completions",
      body,
      headers: { authorization: "Bearer k" },
      connections: 16,
      seconds: Number(process.env.SECONDS ?? 10),
    });
    console.log("rps", r.rps, "requests", r.requests, "errors", r.errors, "non2xx", r.non2xx);
  }
  proxy.send("exit");
  await new Promise((r) => proxy.once("exit", r));
}
fake.send("exit");
console.log(
  "profile:",
  readdirSync(dir)
    .filter((f) => !before.has(f))
    .map((f) => `${dir}/${f}`)
    .join(" "),
);
