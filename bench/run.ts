// `npm run bench`: the in-repo fake Google and the proxy on loopback, each in its own process,
// measured side by side in one run. Prints a table against the targets and writes bench/results.json.
import { fork, type ChildProcess } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { HAS_WRK, load, median, sequentialLatency, streamOnce } from "./_client.ts";
import { translationBench } from "./_translation.ts";

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const KEY = "bench-key";
const PREDECESSOR_RPS = 320; // Python predecessor in front of a Node fake, same machine kind (issue figures)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

interface Child {
  proc: ChildProcess;
  ask: (m: string) => Promise<any>;
}

function spawnTs(file: string, env: Record<string, string>): ChildProcess {
  return fork(here(file), {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
}

async function startFake(): Promise<{ info: any; proc: ChildProcess }> {
  const proc = spawnTs("./_fake.ts", {});
  const info = await new Promise<any>((resolve, reject) => {
    let out = "";
    proc.stdout!.on("data", (d) => {
      out += d;
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)));
    });
    proc.once("exit", (c) => reject(new Error(`fake exited ${c}`)));
  });
  return { info, proc };
}

async function startProxy(config: object): Promise<Child & { url: string }> {
  const proc = fork(here("./_proxy.mjs"), {
    env: { ...process.env, BENCH_PROXY: JSON.stringify(config) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ask = (m: string) =>
    new Promise<any>((resolve) => {
      const on = (msg: any) => {
        if (msg.type === m) {
          proc.off("message", on);
          resolve(msg);
        }
      };
      proc.on("message", on);
      proc.send(m);
    });
  const ready = await new Promise<any>((resolve, reject) => {
    proc.once("message", resolve);
    proc.once("exit", (c) => reject(new Error(`proxy exited ${c}`)));
  });
  return { proc, ask, url: ready.url };
}

const stop = (proc: ChildProcess) => new Promise<void>((r) => (proc.once("exit", () => r()), proc.send("exit")));

const chatBody = (model: string, stream = false) =>
  JSON.stringify({ model, stream, messages: [{ role: "user", content: "hi" }] });
const wrapped = (info: any, model: string) =>
  JSON.stringify({ model, project: info.project, request: { contents: [{ role: "user", parts: [{ text: "hi" }] }] } });

async function main() {
  const rows: { name: string; value: string; target: string; ok: boolean | null }[] = [];
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    node: process.version,
  };
  const fake = await startFake();
  const { info } = fake;
  const auth = { authorization: `Bearer ${KEY}` };
  const direct = { authorization: `Bearer ${info.accessToken}` };
  const proxy = await startProxy({ authKeys: [KEY], endpoints: info.endpoints, credentials: [info.credential] });

  // 1. Non-streaming throughput, 16 connections: the fake alone is the ceiling.
  const ceiling = await load(info.url, {
    path: "/v1internal:generateContent",
    body: wrapped(info, "gemini-2.5-flash"),
    headers: direct,
    connections: 16,
    seconds: SECONDS,
  });
  await proxy.ask("reset");
  const through = await load(proxy.url, {
    path: "/v1/chat/completions",
    body: chatBody("gemini-2.5-flash"),
    headers: auth,
    connections: 16,
    seconds: SECONDS,
  });
  const cpuRun = await proxy.ask("report");
  const cpuPerRequest = cpuRun.cpuUs / (through.rps * SECONDS);
  results.throughput = {
    generator: HAS_WRK ? "wrk" : "autocannon",
    ceiling,
    proxy: through,
    proxyCpuUsPerRequest: cpuPerRequest,
  };
  rows.push({
    name: "non-streaming chat req/s (16 conn)",
    value: `${through.rps.toFixed(0)} (fake alone ${ceiling.rps.toFixed(0)}; errors ${through.errors + through.non2xx})`,
    target: `>= ${10 * PREDECESSOR_RPS} (10x predecessor) and >= 30% of fake`,
    ok:
      through.rps >= 10 * PREDECESSOR_RPS && through.rps >= 0.3 * ceiling.rps && through.errors + through.non2xx === 0,
  });
  rows.push({
    name: "  ratio to fake alone",
    value: `${((100 * through.rps) / ceiling.rps).toFixed(1)} %`,
    target: ">= 30 %",
    ok: through.rps >= 0.3 * ceiling.rps,
  });
  rows.push({
    name: "  proxy CPU per request",
    value: `${cpuPerRequest.toFixed(0)} µs (load: ${HAS_WRK ? "wrk" : "autocannon"})`,
    target: "(steadier than req/s on a shared box)",
    ok: null,
  });

  // 2. Added latency at one connection: sequential requests, high-resolution clock.
  const d1 = median(
    await sequentialLatency(info.url, "/v1internal:generateContent", direct, wrapped(info, "gemini-2.5-flash"), 1500),
  );
  const p1 = median(
    await sequentialLatency(proxy.url, "/v1/chat/completions", auth, chatBody("gemini-2.5-flash"), 1500),
  );
  const added = p1 - d1;
  results.latency1 = { directP50Ms: d1, proxyP50Ms: p1, addedP50Ms: added };
  rows.push({
    name: "added latency p50 (1 conn)",
    value: `${added.toFixed(2)} ms (direct ${d1.toFixed(2)} ms, proxy ${p1.toFixed(2)} ms)`,
    target: "< 2 ms",
    ok: added < 2,
  });

  // 3. Streaming: first byte added by the proxy, and proxy CPU per forwarded chunk.
  const streamDirect: number[] = [];
  const streamProxy: number[] = [];
  let lastTotal = 0;
  for (let i = 0; i < 30; i++) {
    streamDirect.push(
      (
        await streamOnce(
          info.url,
          "/v1internal:streamGenerateContent?alt=sse",
          direct,
          wrapped(info, "gemini-2.5-flash"),
        )
      ).firstByteMs,
    );
    const t = await streamOnce(proxy.url, "/v1/chat/completions", auth, chatBody("gemini-2.5-flash", true));
    streamProxy.push(t.firstByteMs);
    lastTotal = t.totalMs;
  }
  const ttfbAdded = median(streamProxy) - median(streamDirect);
  rows.push({
    name: "streaming: first byte added (median)",
    value: `${ttfbAdded.toFixed(2)} ms (whole stream ${lastTotal.toFixed(1)} ms)`,
    target: "forwarded without buffering",
    ok: null,
  });
  await proxy.ask("reset");
  const streams = 200;
  const chunksPerStream = 250;
  for (let i = 0; i < streams; i += 8) {
    await Promise.all(
      Array.from({ length: 8 }, () =>
        streamOnce(proxy.url, "/v1/chat/completions", auth, chatBody("gemini-2.5-flash", true)),
      ),
    );
  }
  const cpu = await proxy.ask("report");
  const perChunk = cpu.cpuUs / (streams * chunksPerStream);
  results.streaming = { ttfbDirectMs: median(streamDirect), ttfbProxyMs: median(streamProxy), cpuUsPerChunk: perChunk };
  rows.push({
    name: "streaming: proxy CPU per chunk",
    value: `${perChunk.toFixed(2)} µs`,
    target: "< 15 µs",
    ok: perChunk < 15,
  });

  // 4. 1,000 concurrent open streams: memory and errors (slow streams on flash-lite).
  await proxy.ask("reset");
  const many = await Promise.allSettled(
    Array.from({ length: 1000 }, () =>
      streamOnce(proxy.url, "/v1/chat/completions", auth, chatBody("gemini-2.5-flash-lite", true)),
    ),
  );
  const mem = await proxy.ask("report");
  const failed = many.filter((r) => r.status === "rejected" || r.value.status !== 200).length;
  results.concurrentStreams = { peakRssMb: mem.peakRss / 1048576, failed };
  rows.push({
    name: "1,000 concurrent streams: peak RSS",
    value: `${(mem.peakRss / 1048576).toFixed(0)} MB, ${failed} errors`,
    target: "< 250 MB, 0 errors",
    ok: mem.peakRss < 250 * 1048576 && failed === 0,
  });
  await stop(proxy.proc);

  // 5. Pool size: 1 vs 1,000 credentials (API keys), same load.
  const one = await startProxy({ authKeys: [KEY], endpoints: info.endpoints, geminiApiKeys: info.apiKeys.slice(0, 1) });
  const r1 = await load(one.url, {
    path: "/v1/chat/completions",
    body: chatBody("gemini-2.5-flash"),
    headers: auth,
    connections: 16,
    seconds: SECONDS,
  });
  await stop(one.proc);
  const thousand = await startProxy({ authKeys: [KEY], endpoints: info.endpoints, geminiApiKeys: info.apiKeys });
  const r1000 = await load(thousand.url, {
    path: "/v1/chat/completions",
    body: chatBody("gemini-2.5-flash"),
    headers: auth,
    connections: 16,
    seconds: SECONDS,
  });
  await stop(thousand.proc);
  const delta = (100 * (r1000.rps - r1.rps)) / r1.rps;
  results.poolSize = { one: r1, thousand: r1000, deltaPct: delta };
  rows.push({
    name: "1 vs 1,000 credentials req/s",
    value: `${r1.rps.toFixed(0)} vs ${r1000.rps.toFixed(0)} (${delta >= 0 ? "+" : ""}${delta.toFixed(1)} %)`,
    target: "within 10 %",
    ok: Math.abs(delta) <= 10,
  });

  // 6. A 1 MB conversation: request translation time (in process).
  const tr = translationBench();
  results.translation = tr;
  rows.push({
    name: "1 MB conversation translated",
    value: `${tr.medianMs.toFixed(2)} ms (median of ${tr.runs})`,
    target: "< 20 ms",
    ok: tr.medianMs < 20,
  });

  await stop(fake.proc);
  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(`\ngemini-cli-proxy bench — ${results.date}, ${results.cpus} cores, Node ${process.version}\n`);
  for (const r of rows)
    console.log(
      `${r.ok === null ? "    " : r.ok ? "ok  " : "MISS"} ${r.name.padEnd(width)}  ${r.value.padEnd(48)} target ${r.target}`,
    );
  await writeFile(here("./results.json"), `${JSON.stringify({ ...results, rows }, null, 2)}\n`);
  console.log("\nwrote bench/results.json");
}

await main();
