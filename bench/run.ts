// `npm run bench`: the in-repo fake Google, a minimal Node proxy (the floor), the library and the CLI
// on loopback, each in its own process, measured side by side in one run. Prints a table against the
// targets and writes bench/results.json.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, closeSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareCliHome, settled, startCli, type CliHome, type RunningCli } from "./_cli.ts";
import {
  HAS_WRK,
  combineLoads,
  load,
  median,
  pairedMedianRatio,
  roundOrder,
  sequentialLatency,
  streamOnce,
  type LoadResult,
} from "./_client.ts";
import { translationBench } from "./_translation.ts";
import { floorEnv, startFake } from "./_fake-child.ts";

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const KEY = "bench-key";
const PREDECESSOR_RPS = 320; // Python predecessor in front of a Node fake, same machine kind (issue figures)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 24);
// Throughput comparisons run in interleaved rounds (A B C A B C ...) of SECONDS / ROUNDS each, so drift
// on a shared box hits every contender alike. Twelve rounds of 2 s: with four, the ratios of one run
// moved by ±0.07 from run to run on the 2-core VM; with twelve, by about ±0.02.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
/**
 * Seconds of unmeasured load per target before the measured rounds (BENCH_WARMUP). A freshly started
 * proxy (or floor) needs 3-5 s of load to reach its steady state, one key or a thousand alike
 * (bench/warmup.mts); with 1 s, the first measured round of a just-started contender ran at 0.2-0.6x
 * its later ones and decided the 1 vs 1,000 credentials rows.
 */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP ?? 5);
/**
 * Seconds of unmeasured load at the start of every round (BENCH_ROUND_WARMUP): a contender has been
 * idle for the other contenders' rounds, and its first second back under load is not its steady
 * state (see bench/README.md, "Rounds").
 */
const ROUND_WARMUP_SECONDS = Number(process.env.BENCH_ROUND_WARMUP ?? 1);
const STARTS = 3; // CLI start-ups per pool size (median)

/** CPU time since reset() and peak RSS, of one measured process. */
interface Probe {
  reset: () => Promise<void> | void;
  report: () => Promise<{ cpuUs: number; peakRss: number }> | { cpuUs: number; peakRss: number };
}

interface Child extends Probe {
  proc: ChildProcess;
  url: string;
  ask: (m: string) => Promise<any>;
}

/** A forked child speaking bench/_child.mjs's reset/report/exit; `log` takes its stdout and stderr. */
async function startChild(file: string, env: Record<string, string>, log?: string): Promise<Child> {
  const fd = log ? openSync(log, "a") : undefined;
  const proc = fork(here(file), {
    // Plain node, as users run it: the children are .mjs, and tsx's loader (the bench's own
    // execArgv, which fork passes on by default) added some 24 MB to each child's RSS.
    execArgv: [],
    env: { ...process.env, ...env },
    stdio: ["ignore", fd ?? "inherit", fd ?? "inherit", "ipc"],
  });
  if (fd !== undefined) closeSync(fd);
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
    proc.once("exit", (c) => reject(new Error(`${file} exited ${c}`)));
  });
  return { proc, ask, url: ready.url, reset: () => ask("reset"), report: () => ask("report") };
}

const startProxy = (config: object, opts: { defaults?: boolean; log?: string } = {}) =>
  startChild(
    "./_proxy.mjs",
    { BENCH_PROXY: JSON.stringify(config), ...(opts.defaults ? { BENCH_DEFAULTS: "1" } : {}) },
    opts.log,
  );

const stop = (proc: ChildProcess) => new Promise<void>((r) => (proc.once("exit", () => r()), proc.send("exit")));

const chatBody = (model: string, stream = false) =>
  JSON.stringify({ model, stream, messages: [{ role: "user", content: "hi" }] });
const wrapped = (info: any, model: string) =>
  JSON.stringify({ model, project: info.project, request: { contents: [{ role: "user", parts: [{ text: "hi" }] }] } });

const cliProbe = (cli: RunningCli): Probe => ({ reset: () => cli.probe.reset(), report: () => cli.probe.report() });

interface Measured {
  rps: number;
  cpuUsPerRequest: number;
  load: LoadResult & { runs: LoadResult[] };
}

/** The same load on each target, in ROUNDS interleaved rounds of SECONDS / ROUNDS each. */
async function interleaved(
  targets: Record<string, { url: string; path: string; body: string; headers: Record<string, string>; probe?: Probe }>,
): Promise<Record<string, Measured>> {
  const runs: Record<string, LoadResult[]> = {};
  const cpu: Record<string, number> = {};
  const seconds = Math.max(1, Math.round(SECONDS / ROUNDS));
  // Unmeasured warm-up: a process that just started is still compiling its hot path, which made the
  // first round of each target its slowest by up to 40 % (more code, later steady state).
  const loadOf = (t: (typeof targets)[string], seconds: number) =>
    load(t.url, { path: t.path, body: t.body, headers: t.headers, connections: 16, seconds });
  for (const t of Object.values(targets)) await loadOf(t, WARMUP_SECONDS);
  const order = Object.entries(targets);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, t] of roundOrder(order, round)) {
      if (ROUND_WARMUP_SECONDS > 0) await loadOf(t, ROUND_WARMUP_SECONDS);
      await t.probe?.reset();
      const r = await loadOf(t, seconds);
      const rep = await t.probe?.report();
      (runs[name] ??= []).push(r);
      cpu[name] = (cpu[name] ?? 0) + (rep?.cpuUs ?? NaN);
    }
  }
  return Object.fromEntries(
    Object.entries(runs).map(([name, rs]) => {
      const l = combineLoads(rs);
      return [name, { rps: l.rps, cpuUsPerRequest: cpu[name]! / l.requests, load: l }];
    }),
  );
}

/**
 * Proxy CPU per forwarded chunk: `streams` streams of 250 chunks per target, 8 at a time, in ROUNDS
 * interleaved rounds (the CLI's /proc CPU time comes in 10 ms ticks: 400 streams keep that under 1 %).
 */
async function streamCpu(
  targets: Record<string, { url: string; probe: Probe }>,
  streams = 400,
): Promise<Record<string, { cpuUsPerChunk: number; failed: number }>> {
  const auth = { authorization: `Bearer ${KEY}` };
  const cpu: Record<string, number> = {};
  const failed: Record<string, number> = {};
  const perRound = Math.ceil(streams / ROUNDS / 8) * 8;
  const order = Object.entries(targets);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, t] of roundOrder(order, round)) {
      await t.probe.reset();
      for (let i = 0; i < perRound; i += 8) {
        const done = await Promise.all(
          Array.from({ length: 8 }, () =>
            streamOnce(t.url, "/v1/chat/completions", auth, chatBody("gemini-2.5-flash", true)),
          ),
        );
        failed[name] = (failed[name] ?? 0) + done.filter((d) => d.status !== 200).length;
      }
      cpu[name] = (cpu[name] ?? 0) + (await t.probe.report()).cpuUs;
    }
  }
  return Object.fromEntries(
    Object.keys(targets).map((name) => [
      name,
      { cpuUsPerChunk: cpu[name]! / (perRound * ROUNDS * 250), failed: failed[name]! },
    ]),
  );
}

/** 1,000 streams open together (flash-lite: 50 chunks 100 ms apart): peak RSS and failed streams. */
async function manyStreams(url: string, probe: Probe): Promise<{ peakRssMb: number; failed: number }> {
  await probe.reset();
  const many = await Promise.allSettled(
    Array.from({ length: 1000 }, () =>
      streamOnce(
        url,
        "/v1/chat/completions",
        { authorization: `Bearer ${KEY}` },
        chatBody("gemini-2.5-flash-lite", true),
      ),
    ),
  );
  const mem = await probe.report();
  return {
    peakRssMb: mem.peakRss / 1048576,
    failed: many.filter((r) => r.status === "rejected" || r.value.status !== 200).length,
  };
}

/** BENCH_ONLY=streams: stream CPU per chunk and 1,000 open streams, floor and CLI only. */
async function streamRows(floor: Child, cli: RunningCli, phase: (what: string) => void): Promise<Row[]> {
  phase(`streaming CPU per chunk: floor and CLI x ${ROUNDS} rounds`);
  const sc = await streamCpu({ floor: { url: floor.url, probe: floor }, cli: { url: cli.url, probe: cliProbe(cli) } });
  const [sFloor, sCli] = [sc.floor!, sc.cli!];
  const ratio = sCli.cpuUsPerChunk / sFloor.cpuUsPerChunk;
  phase("1,000 concurrent streams (floor, CLI)");
  const mFloor = await manyStreams(floor.url, floor);
  const mCli = await manyStreams(cli.url, cliProbe(cli));
  return [
    {
      name: "streaming CPU/chunk: CLI vs floor",
      value: `${x(ratio)} (CLI ${sCli.cpuUsPerChunk.toFixed(2)} µs, floor ${sFloor.cpuUsPerChunk.toFixed(2)} µs; failed ${sCli.failed + sFloor.failed})`,
      target: "<= 1.5× floor's",
      ok: ratio <= 1.5 && sCli.failed === 0,
    },
    {
      name: "1,000 concurrent streams: CLI",
      value: `${mCli.peakRssMb.toFixed(0)} MB peak RSS, ${mCli.failed} errors (floor ${mFloor.peakRssMb.toFixed(0)} MB, ${mFloor.failed} errors)`,
      target: "<= 150 MB, 0 errors",
      ok: mCli.peakRssMb <= 150 && mCli.failed === 0,
    },
  ];
}

const x = (n: number) => `${n.toFixed(2)}×`;
const pct = (n: number) => `${n >= 0 ? "+" : ""}${n.toFixed(1)} %`;

async function main() {
  const started = performance.now();
  const phase = (what: string) =>
    console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${what}`);
  const rows: Row[] = [];
  const results: Record<string, any> = {
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    node: process.version,
    benchSeconds: SECONDS,
    rounds: ROUNDS,
    loadavgStart: loadavg(),
  };
  const fake = await startFake();
  const { info } = fake;
  const auth = { authorization: `Bearer ${KEY}` };
  const direct = { authorization: `Bearer ${info.accessToken}` };
  const logs = mkdtempSync(join(tmpdir(), "gcp-bench-logs-"));
  const homes: CliHome[] = [];

  // BENCH_ONLY=streams: the floor and the CLI alone, the stream CPU and 1,000-streams rows (about a
  // minute), for streaming work; results.json untouched.
  if (process.env.BENCH_ONLY === "streams") {
    phase("starting the fake, the floor and the CLI");
    const floorOnly = await startChild("./floor.mjs", floorEnv(info, KEY));
    const home = prepareCliHome("oauth", info, KEY, { oauth: true });
    const cliOnly = await startCli(home, {
      path: "/v1/chat/completions",
      headers: auth,
      body: chatBody("gemini-2.5-flash"),
    });
    rows.push(...(await streamRows(floorOnly, cliOnly, phase)));
    await Promise.all([stop(floorOnly.proc), cliOnly.stop(), stop(fake.proc)]);
    home.cleanup();
    rmSync(logs, { recursive: true, force: true });
    return printRows(rows, results, started);
  }

  phase("starting the fake, the floor, the library (quiet and defaults) and the CLI");
  // Every contender on the same fake, the same account (Code Assist), the same load.
  const oauth = { authKeys: [KEY], endpoints: info.endpoints, credentials: [info.credential] };
  const proxy = await startProxy(oauth); // logger: false, memory storage (the historical rows)
  const floor = await startChild("./floor.mjs", floorEnv(info, KEY));
  // The same floor again: its ratio to the first is what this run's noise makes of two equal contenders.
  const floorAgain = await startChild("./floor.mjs", floorEnv(info, KEY));
  const libDefaults = await startProxy(oauth, { defaults: true, log: join(logs, "library-defaults.log") });
  const cliHome = prepareCliHome("oauth", info, KEY, { oauth: true });
  homes.push(cliHome);
  const chatProbe = { path: "/v1/chat/completions", headers: auth, body: chatBody("gemini-2.5-flash") };
  const cli = await startCli(cliHome, chatProbe);
  await settled([
    cli.proc.pid!,
    floor.proc.pid!,
    floorAgain.proc.pid!,
    proxy.proc.pid!,
    libDefaults.proc.pid!,
    fake.proc.pid!,
  ]);

  phase(`non-streaming load: 6 targets x ${ROUNDS} rounds`);
  // 1. Non-streaming throughput, 16 connections, interleaved: the fake alone is the ceiling, the floor the reference.
  const chat = (url: string, probe?: Probe) => ({ url, ...chatProbe, probe });
  const tp = await interleaved({
    ceiling: {
      url: info.url,
      path: "/v1internal:generateContent",
      body: wrapped(info, "gemini-2.5-flash"),
      headers: direct,
    },
    floor: chat(floor.url, floor),
    cli: chat(cli.url, cliProbe(cli)),
    libraryDefaults: chat(libDefaults.url, libDefaults),
    library: chat(proxy.url, proxy),
    floorAgain: chat(floorAgain.url, floorAgain),
  });
  await stop(floorAgain.proc);
  const ceiling = tp.ceiling!.load;
  const through = tp.library!.load;
  const cpuPerRequest = tp.library!.cpuUsPerRequest;
  const ratio = (name: string) => tp[name]!.rps / tp.floor!.rps;
  const cpuRatio = (name: string) => tp[name]!.cpuUsPerRequest / tp.floor!.cpuUsPerRequest;
  const paired = (name: string) => pairedMedianRatio(tp[name]!.load, tp.floor!.load);
  const errs = (name: string) => tp[name]!.load.errors + tp[name]!.load.non2xx;
  results.throughput = {
    generator: HAS_WRK ? "wrk" : "autocannon",
    ceiling,
    proxy: through,
    proxyCpuUsPerRequest: cpuPerRequest,
    floor: { ...tp.floor, ratioToFloor: 1 },
    floorAgain: {
      ...tp.floorAgain,
      ratioToFloor: ratio("floorAgain"),
      cpuRatioToFloor: cpuRatio("floorAgain"),
      pairedMedianRatio: paired("floorAgain"),
    },
    cli: { ...tp.cli, ratioToFloor: ratio("cli"), cpuRatioToFloor: cpuRatio("cli"), pairedMedianRatio: paired("cli") },
    libraryDefaults: {
      ...tp.libraryDefaults,
      ratioToFloor: ratio("libraryDefaults"),
      cpuRatioToFloor: cpuRatio("libraryDefaults"),
      pairedMedianRatio: paired("libraryDefaults"),
    },
    libraryQuiet: {
      ratioToFloor: ratio("library"),
      cpuRatioToFloor: cpuRatio("library"),
      pairedMedianRatio: paired("library"),
    },
  };
  rows.push({
    name: "floor: minimal node:http + undici (16 conn)",
    value: `${tp.floor!.rps.toFixed(0)} req/s, ${tp.floor!.cpuUsPerRequest.toFixed(0)} µs CPU/req, errors ${errs("floor")}`,
    target: "(the reference: 1.00×)",
    ok: null,
  });
  rows.push({
    name: "  noise: the same floor, second process",
    value: `${x(ratio("floorAgain"))} floor (paired median ${x(paired("floorAgain"))}; CPU/req ${x(cpuRatio("floorAgain"))})`,
    target: "(1.00× on a quiet box)",
    ok: null,
  });
  rows.push({
    name: "CLI as run (fs, ledger, info log to file)",
    value: `${x(ratio("cli"))} floor (${tp.cli!.rps.toFixed(0)} req/s; CPU/req ${x(cpuRatio("cli"))}, ${tp.cli!.cpuUsPerRequest.toFixed(0)} µs; paired median ${x(paired("cli"))})`,
    target: ">= 0.85× floor",
    ok: ratio("cli") >= 0.85 && errs("cli") === 0,
  });
  rows.push({
    name: "library defaults in node:http",
    value: `${x(ratio("libraryDefaults"))} floor (${tp.libraryDefaults!.rps.toFixed(0)} req/s; CPU/req ${x(cpuRatio("libraryDefaults"))}, ${tp.libraryDefaults!.cpuUsPerRequest.toFixed(0)} µs; paired median ${x(paired("libraryDefaults"))})`,
    target: ">= 0.90× floor",
    ok: ratio("libraryDefaults") >= 0.9 && errs("libraryDefaults") === 0,
  });
  rows.push({
    name: "library, logger off, memory storage",
    value: `${x(ratio("library"))} floor (CPU/req ${x(cpuRatio("library"))}; paired median ${x(paired("library"))})`,
    target: "(as the rows below)",
    ok: null,
  });
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

  // BENCH_ONLY=chat: the non-streaming rows alone (about 3 minutes), for profiling work; results.json untouched.
  if (process.env.BENCH_ONLY === "chat") {
    await Promise.all([stop(proxy.proc), stop(floor.proc), stop(libDefaults.proc), cli.stop(), stop(fake.proc)]);
    for (const h of homes) h.cleanup();
    rmSync(logs, { recursive: true, force: true });
    return printRows(rows, results, started);
  }

  phase("latency at one connection");
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

  phase("streaming: first byte and CPU per chunk");
  // 3. Streaming: first byte added by the proxy, and CPU per forwarded chunk (proxy, CLI, floor).
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
  const sc = await streamCpu({
    floor: { url: floor.url, probe: floor },
    cli: { url: cli.url, probe: cliProbe(cli) },
    libraryDefaults: { url: libDefaults.url, probe: libDefaults },
    library: { url: proxy.url, probe: proxy },
  });
  const [sFloor, sCli, sDefaults, sQuiet] = [sc.floor!, sc.cli!, sc.libraryDefaults!, sc.library!];
  const perChunk = sQuiet.cpuUsPerChunk;
  const cliChunkRatio = sCli.cpuUsPerChunk / sFloor.cpuUsPerChunk;
  results.streaming = {
    ttfbDirectMs: median(streamDirect),
    ttfbProxyMs: median(streamProxy),
    cpuUsPerChunk: perChunk,
    floorCpuUsPerChunk: sFloor.cpuUsPerChunk,
    cliCpuUsPerChunk: sCli.cpuUsPerChunk,
    libraryDefaultsCpuUsPerChunk: sDefaults.cpuUsPerChunk,
    cliRatioToFloor: cliChunkRatio,
    libraryDefaultsRatioToFloor: sDefaults.cpuUsPerChunk / sFloor.cpuUsPerChunk,
    libraryQuietRatioToFloor: perChunk / sFloor.cpuUsPerChunk,
    failed: sFloor.failed + sCli.failed + sDefaults.failed + sQuiet.failed,
  };
  rows.push({
    name: "streaming: proxy CPU per chunk",
    value: `${perChunk.toFixed(2)} µs (${x(perChunk / sFloor.cpuUsPerChunk)} floor)`,
    target: "< 15 µs",
    ok: perChunk < 15,
  });
  rows.push({
    name: "streaming CPU/chunk: CLI vs floor",
    value: `${x(cliChunkRatio)} (CLI ${sCli.cpuUsPerChunk.toFixed(2)} µs, floor ${sFloor.cpuUsPerChunk.toFixed(2)} µs)`,
    target: "<= 1.5× floor's",
    ok: cliChunkRatio <= 1.5 && sCli.failed === 0,
  });
  rows.push({
    name: "streaming CPU/chunk: library defaults",
    value: `${x(sDefaults.cpuUsPerChunk / sFloor.cpuUsPerChunk)} (${sDefaults.cpuUsPerChunk.toFixed(2)} µs)`,
    target: "(info)",
    ok: null,
  });

  phase("1,000 concurrent streams (library, floor, CLI)");
  // 4. 1,000 concurrent open streams: memory and errors (slow streams on flash-lite).
  const mQuiet = await manyStreams(proxy.url, proxy);
  results.concurrentStreams = mQuiet;
  rows.push({
    name: "1,000 concurrent streams: peak RSS",
    value: `${mQuiet.peakRssMb.toFixed(0)} MB, ${mQuiet.failed} errors`,
    target: "< 250 MB, 0 errors",
    ok: mQuiet.peakRssMb < 250 && mQuiet.failed === 0,
  });
  const mFloor = await manyStreams(floor.url, floor);
  const mCli = await manyStreams(cli.url, cliProbe(cli));
  results.concurrentStreams = { ...mQuiet, floor: mFloor, cli: mCli };
  rows.push({
    name: "1,000 concurrent streams: CLI",
    value: `${mCli.peakRssMb.toFixed(0)} MB peak RSS, ${mCli.failed} errors (floor ${mFloor.peakRssMb.toFixed(0)} MB)`,
    target: "<= 150 MB, 0 errors",
    ok: mCli.peakRssMb <= 150 && mCli.failed === 0,
  });
  await Promise.all([stop(proxy.proc), stop(floor.proc), stop(libDefaults.proc), cli.stop()]);

  phase("library: 1 vs 1,000 API keys");
  // 5. Pool size: 1 vs 1,000 credentials (API keys), same load (library, logger off).
  const one = await startProxy({ authKeys: [KEY], endpoints: info.endpoints, geminiApiKeys: info.apiKeys.slice(0, 1) });
  const thousand = await startProxy({ authKeys: [KEY], endpoints: info.endpoints, geminiApiKeys: info.apiKeys });
  const keyPools = await interleaved({ one: chat(one.url, one), thousand: chat(thousand.url, thousand) });
  await Promise.all([stop(one.proc), stop(thousand.proc)]);
  const [r1, r1000] = [keyPools.one!.load, keyPools.thousand!.load];
  const delta = (100 * (r1000.rps - r1.rps)) / r1.rps;
  results.poolSize = {
    one: r1,
    thousand: r1000,
    deltaPct: delta,
    cpuUsPerRequest: { one: keyPools.one!.cpuUsPerRequest, thousand: keyPools.thousand!.cpuUsPerRequest },
  };
  rows.push({
    name: "1 vs 1,000 credentials req/s",
    value: `${r1.rps.toFixed(0)} vs ${r1000.rps.toFixed(0)} (${pct(delta)}; CPU/req ${keyPools.one!.cpuUsPerRequest.toFixed(0)} vs ${keyPools.thousand!.cpuUsPerRequest.toFixed(0)} µs)`,
    target: "within 10 %",
    ok: Math.abs(delta) <= 10,
  });

  phase("CLI: 1 vs 1,000 API keys in fs storage (import, start-ups, load)");
  // 6. The CLI with 1 and with 1,000 API keys in its fs storage: start-up (spawn -> first answered
  // request, alternated, median of STARTS) and throughput (interleaved).
  const home1 = prepareCliHome("keys1", info, KEY, { apiKeys: 1 });
  const home1000 = prepareCliHome("keys1000", info, KEY, { apiKeys: 1000 });
  homes.push(home1, home1000);
  const startups: { one: number[]; thousand: number[] } = { one: [], thousand: [] };
  let cli1: RunningCli | undefined;
  let cli1000: RunningCli | undefined;
  for (let i = 0; i < STARTS; i++) {
    const last = i === STARTS - 1;
    const a = await startCli(home1, chatProbe);
    startups.one.push(a.startupMs);
    if (last) cli1 = a;
    else await a.stop();
    const b = await startCli(home1000, chatProbe);
    startups.thousand.push(b.startupMs);
    if (last) cli1000 = b;
    else await b.stop();
  }
  const wait = await settled([cli1!.proc.pid!, cli1000!.proc.pid!, fake.proc.pid!]);
  phase(`both CLIs and the fake idle after ${(wait / 1000).toFixed(1)} s; interleaved load`);
  const pool = await interleaved({
    one: chat(cli1!.url, cliProbe(cli1!)),
    thousand: chat(cli1000!.url, cliProbe(cli1000!)),
  });
  await Promise.all([cli1!.stop(), cli1000!.stop()]);
  const cliDelta = (100 * (pool.thousand!.rps - pool.one!.rps)) / pool.one!.rps;
  const cliPairedDelta = 100 * (pairedMedianRatio(pool.thousand!.load, pool.one!.load) - 1);
  const s1 = median(startups.one);
  const s1000 = median(startups.thousand);
  results.cliPoolSize = {
    one: pool.one,
    thousand: pool.thousand,
    deltaPct: cliDelta,
    pairedMedianDeltaPct: cliPairedDelta,
  };
  results.cliStartup = {
    oneMs: startups.one,
    thousandMs: startups.thousand,
    medianOneMs: s1,
    medianThousandMs: s1000,
    ratio: s1000 / s1,
  };
  rows.push({
    name: "CLI 1 vs 1,000 credentials req/s",
    value: `${pool.one!.rps.toFixed(0)} vs ${pool.thousand!.rps.toFixed(0)} (${pct(cliDelta)}; CPU/req ${pool.one!.cpuUsPerRequest.toFixed(0)} vs ${pool.thousand!.cpuUsPerRequest.toFixed(0)} µs; paired median ${pct(cliPairedDelta)})`,
    target: "within 5 %",
    ok: Math.abs(cliDelta) <= 5,
  });
  rows.push({
    name: "CLI start-up to first answer, 1,000 vs 1",
    value: `${x(s1000 / s1)} (${s1000.toFixed(0)} ms vs ${s1.toFixed(0)} ms, median of ${STARTS})`,
    target: "<= 2× one credential",
    ok: s1000 / s1 <= 2,
  });

  // 7. A 1 MB conversation: request translation time (in process).
  const tr = translationBench();
  results.translation = tr;
  rows.push({
    name: "1 MB conversation translated",
    value: `${tr.medianMs.toFixed(2)} ms (median of ${tr.runs})`,
    target: "< 20 ms",
    ok: tr.medianMs < 20,
  });

  await stop(fake.proc);
  for (const h of homes) h.cleanup();
  rmSync(logs, { recursive: true, force: true });
  printRows(rows, results, started);
  await writeFile(here("./results.json"), `${JSON.stringify({ ...results, rows }, null, 2)}\n`);
  console.log("\nwrote bench/results.json");
}

type Row = { name: string; value: string; target: string; ok: boolean | null };

function printRows(rows: Row[], results: Record<string, any>, started: number): void {
  results.runtimeSec = (performance.now() - started) / 1000;
  results.loadavgEnd = loadavg();
  const width = Math.max(...rows.map((r) => r.name.length));
  const vwidth = Math.max(...rows.map((r) => r.value.length));
  console.log(
    `\ngemini-cli-proxy bench — ${results.date}, ${results.cpus} cores, Node ${process.version}, ${results.runtimeSec.toFixed(0)} s\n`,
  );
  const busy = Math.max(results.loadavgStart[1], results.loadavgEnd[1]);
  if (busy > results.cpus)
    console.log(
      `load average ${busy.toFixed(1)} on ${results.cpus} cores: other work competed for the CPU, req/s ratios are unreliable (CPU/req ratios less so)\n`,
    );
  for (const r of rows)
    console.log(
      `${r.ok === null ? "    " : r.ok ? "ok  " : "MISS"} ${r.name.padEnd(width)}  ${r.value.padEnd(vwidth)}  target ${r.target}`,
    );
}

await main();
