// `npx tsx bench/ab.mts name=path/to/bin.mjs [name2=path2 ...]`: several CLIs (builds of different
// commits, or one build with different flags) side by side in one interleaved run, against the same
// fake: each started once, then loaded in turn for ROUNDS rounds of SECONDS (16 connections, the
// bench's small chat request), CPU per request from /proc; prints the medians and every round. On a
// shared box a change of a few µs per request is only visible this way, next to its base and in the
// same minutes (see bench/README.md for a base built in a git worktree).
//   FLOOR=1      adds bench/floor.mjs          LIBRARY=1   adds the quiet library (bench/_proxy.mjs);
//                LIBRARY="1 defaults" also the library with its defaults (its log on this stdout)
//   FLOORS="h3 h3+journal h3+journal+log"  adds the floor with those layers (see bench/floor.mjs)
//   KEYS_<name>  n Gemini API keys in that CLI's fs storage (default: the one Code Assist account)
//   FLAGS_<name> extra `run` flags for that CLI, e.g. "--logLevel warn"
//   ROUNDS (default 10), SECONDS per round (default 4)
import { fork } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareCliHome, procCpuUs, settled, startCli } from "./_cli.ts";
import { load, roundOrder } from "./_client.ts";
import { floorEnv, startFake } from "./_fake-child.ts";

const clis = process.argv.slice(2).map((arg) => {
  const at = arg.indexOf("=");
  if (at <= 0) throw new Error(`expected name=path/to/bin.mjs, got ${arg}`);
  return {
    name: arg.slice(0, at),
    bin: resolve(arg.slice(at + 1)),
    keys: Number(process.env[`KEYS_${arg.slice(0, at)}`] ?? 0),
  };
});
const ROUNDS = Number(process.env.ROUNDS ?? 10);
const SECONDS = Number(process.env.SECONDS ?? 4);
const chat = {
  path: "/v1/chat/completions",
  headers: { authorization: "Bearer k" },
  body: JSON.stringify({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }] }),
};

const { info, proc: fake } = await startFake(Math.max(1, ...clis.map((c) => c.keys)));
const targets: { name: string; url: string; pid: number; stop: () => unknown }[] = [];
const forked = async (name: string, file: string, env: Record<string, string>) => {
  const child = fork(fileURLToPath(new URL(file, import.meta.url)), {
    execArgv: [],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await new Promise<{ url: string }>((resolve) => child.once("message", resolve));
  targets.push({ name, url: ready.url, pid: child.pid!, stop: () => child.kill() });
};
if (process.env.FLOOR) await forked("floor", "./floor.mjs", floorEnv(info, "k"));
for (const set of (process.env.FLOORS ?? "").split(" ").filter(Boolean)) {
  await forked(`floor+${set}`, "./floor.mjs", floorEnv(info, "k", set.split("+")));
}
for (const kind of (process.env.LIBRARY ?? "").split(" ").filter(Boolean)) {
  const config = { authKeys: ["k"], endpoints: info.endpoints, credentials: [info.credential] };
  const defaults = kind === "defaults";
  await forked(defaults ? "library-defaults" : "library", "./_proxy.mjs", {
    BENCH_PROXY: JSON.stringify(config),
    BENCH_DEFAULTS: defaults ? "1" : "",
  });
}
for (const cli of clis) {
  const home = prepareCliHome(`ab-${cli.name}`, info, "k", cli.keys ? { apiKeys: cli.keys } : { oauth: true });
  const flags = (process.env[`FLAGS_${cli.name}`] ?? "").split(" ").filter(Boolean);
  const running = await startCli(home, chat, [], { bin: cli.bin, args: flags });
  targets.push({
    name: cli.name,
    url: running.url,
    pid: running.proc.pid!,
    stop: () => running.stop().then(home.cleanup),
  });
}

await settled(targets.map((t) => t.pid)); // a just-started CLI may still be checking its keys
// Warm-up: a just-started process needs 3-5 s of load to reach its steady state (bench/warmup.mts).
for (const t of targets) await load(t.url, { ...chat, connections: 16, seconds: 5 });
const results = new Map(targets.map((t) => [t.name, { rps: [] as number[], cpu: [] as number[], failed: 0 }]));
for (let round = 0; round < ROUNDS; round++) {
  for (const t of roundOrder(targets, round)) {
    const before = procCpuUs(t.pid);
    const run = await load(t.url, { ...chat, connections: 16, seconds: SECONDS });
    results.get(t.name)!.rps.push(run.rps);
    results.get(t.name)!.failed += run.errors + run.non2xx;
    results.get(t.name)!.cpu.push((procCpuUs(t.pid) - before) / run.requests);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [name, r] of results)
  console.log(
    `${name.padEnd(22)} ${median(r.rps).toFixed(0).padStart(6)} req/s  ${median(r.cpu).toFixed(0).padStart(4)} µs CPU/req` +
      `   rounds: ${r.cpu.map((x) => x.toFixed(0)).join(" ")}${r.failed ? `   FAILED: ${r.failed}` : ""}`,
  );
await Promise.all(targets.map((t) => t.stop()));
fake.send("exit");
