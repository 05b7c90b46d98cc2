// `npx tsx bench/memory.mts`: peak RSS and heap of the proxy (from dist/) while N (default 1000) streams are open; SNAP=1 writes a heap snapshot.
// TARGET=floor measures bench/floor.mjs (the minimal Node proxy) instead; DEFAULTS=1 the library with its defaults (log discarded).
import { fork } from "node:child_process";
import { streamOnce } from "./_client.ts";
import { floorEnv, startFake } from "./_fake-child.ts";
const { info, proc: fake } = await startFake(1);
const floor = process.env.TARGET === "floor";
const env = floor
  ? floorEnv(info, "k")
  : {
      BENCH_PROXY: JSON.stringify({ authKeys: ["k"], endpoints: info.endpoints, credentials: [info.credential] }),
      BENCH_DEFAULTS: process.env.DEFAULTS ?? "",
    };
const proxy = fork(new URL(floor ? "./floor.mjs" : "./_proxy.mjs", import.meta.url).pathname, {
  execArgv: process.env.EXEC ? process.env.EXEC.split(" ") : [],
  env: { ...process.env, ...env },
  stdio: ["ignore", process.env.DEFAULTS === "1" ? "ignore" : "inherit", "inherit", "ipc"],
});
const ready: any = await new Promise((r) => proxy.once("message", r));
const ask = (m: string) =>
  new Promise<any>((r) => {
    const on = (x: any) => {
      if (x.type === m) {
        proxy.off("message", on);
        r(x);
      }
    };
    proxy.on("message", on);
    proxy.send(m);
  });
const idle = await ask("report");
console.log("idle rss", (idle.rss / 1048576).toFixed(0));
await ask("reset");
const N = Number(process.env.N ?? 1000);
if (process.env.SNAP) setTimeout(() => proxy.kill("SIGUSR2"), 1200);
const res = await Promise.allSettled(
  Array.from({ length: N }, () =>
    streamOnce(
      ready.url,
      "/v1/chat/completions",
      { authorization: "Bearer k" },
      JSON.stringify({ model: "gemini-2.5-flash-lite", stream: true, messages: [{ role: "user", content: "hi" }] }),
    ),
  ),
);
const rep = await ask("report");
const mb = (x: number) => (x / 1048576).toFixed(0);
console.log(
  "peak rss",
  mb(rep.peakRss),
  "heapUsed",
  mb(rep.atPeak.heapUsed),
  "heapTotal",
  mb(rep.atPeak.heapTotal),
  "external",
  mb(rep.atPeak.external),
  "arrayBuffers",
  mb(rep.atPeak.arrayBuffers),
  "failed",
  res.filter((r) => r.status === "rejected").length,
);
proxy.send("exit");
fake.send("exit");
