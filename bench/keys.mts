// `npx tsdown && npx tsx bench/keys.mts`: the cost of managed client keys. The same proxy (dist/)
// in front of the fake Google, once authenticating with a static key and no managed keys, once with
// 10,000 managed keys stored (KEYS=n) and a client using one of them, with a model list, rpm, tpm
// and budgets (every check runs). Non-streaming chat, 16 connections, rounds alternated; prints
// req/s and proxy CPU per request for each, and the ratio (target: at most 5 % slower).
import { fork } from "node:child_process";
import http from "node:http";
import { fileURLToPath } from "node:url";

const KEYS = Number(process.env.KEYS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const STATIC = "bench-static-key";

if (process.env.KEYS_BENCH_ROLE === "proxy") await proxyChild();
else await main();

/** The proxy process: optionally fills the storage with managed keys first, then serves. */
async function proxyChild(): Promise<void> {
  const { createGeminiProxy } = await import(new URL("../dist/index.mjs", import.meta.url).href);
  const config = JSON.parse(process.env.BENCH_PROXY!);
  const proxy = createGeminiProxy({ ...config, authKeys: [STATIC], logger: false });
  await proxy.ready();
  const managed = Number(process.env.MANAGED ?? 0);
  let key = STATIC;
  for (let i = 0; i < managed; i++) {
    const created = await proxy.keys.create({
      name: `user-${i}`,
      models: ["gemini-2.5-*", "*-flash*"],
      rpm: 1_000_000_000,
      tpm: 1_000_000_000_000,
      daily_tokens: 1_000_000_000_000,
      monthly_tokens: 1_000_000_000_000,
    });
    if (i === managed >> 1) key = created.key;
  }
  const server = http.createServer({ keepAliveTimeout: 60_000 }, proxy.node);
  server.listen(0, "127.0.0.1", () =>
    process.send!({ type: "ready", url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, key }),
  );
  let base = process.cpuUsage();
  process.on("message", (m) => {
    if (m === "reset") {
      base = process.cpuUsage();
      process.send!({ type: "reset" });
    } else if (m === "report") {
      const cpu = process.cpuUsage(base);
      process.send!({ type: "report", cpuUs: cpu.user + cpu.system });
    } else if (m === "exit") {
      server.closeAllConnections();
      server.close();
      void proxy.close().then(() => process.exit(0));
    }
  });
}

async function main(): Promise<void> {
  const { load } = await import("./_client.ts");
  const { startFake } = await import("./_fake-child.ts");
  const { info, proc: fake } = await startFake(1);
  const start = async (managed: number) => {
    const proc = fork(fileURLToPath(import.meta.url), {
      execArgv: ["--import", "tsx"],
      env: {
        ...process.env,
        KEYS_BENCH_ROLE: "proxy",
        MANAGED: String(managed),
        BENCH_PROXY: JSON.stringify({ endpoints: info.endpoints, credentials: [info.credential] }),
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const ready: any = await new Promise((resolve) => proc.once("message", resolve));
    const ask = (m: string) =>
      new Promise<any>((resolve) => {
        const on = (msg: any) => msg.type === m && (proc.off("message", on), resolve(msg));
        proc.on("message", on);
        proc.send(m);
      });
    return { proc, ask, url: ready.url as string, key: ready.key as string };
  };
  const t0 = Date.now();
  const without = await start(0);
  const withKeys = await start(KEYS);
  console.log(`started (${KEYS} managed keys created in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  const body = JSON.stringify({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }] });
  const runs: Record<string, { rps: number[]; cpu: number[]; bad: number }> = {
    without: { rps: [], cpu: [], bad: 0 },
    with: { rps: [], cpu: [], bad: 0 },
  };
  const measure = async (name: "without" | "with", p: Awaited<ReturnType<typeof start>>) => {
    await p.ask("reset");
    const r = await load(p.url, {
      path: "/v1/chat/completions",
      body,
      headers: { authorization: `Bearer ${p.key}` },
      connections: 16,
      seconds: SECONDS,
    });
    const { cpuUs } = await p.ask("report");
    runs[name]!.rps.push(r.rps);
    runs[name]!.cpu.push(cpuUs / Math.max(1, r.rps * SECONDS));
    runs[name]!.bad += r.errors + r.non2xx;
  };
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate the order so drift on a shared machine hits both sides alike.
    if (i % 2 === 0) await measure("without", without).then(() => measure("with", withKeys));
    else await measure("with", withKeys).then(() => measure("without", without));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const w = { rps: median(runs.with!.rps), cpu: median(runs.with!.cpu) };
  const wo = { rps: median(runs.without!.rps), cpu: median(runs.without!.cpu) };
  console.log(`static key, no managed keys : ${wo.rps.toFixed(0)} req/s, ${wo.cpu.toFixed(0)} µs CPU/request`);
  console.log(`managed key of ${KEYS}      : ${w.rps.toFixed(0)} req/s, ${w.cpu.toFixed(0)} µs CPU/request`);
  console.log(
    `ratio with/without: ${((100 * w.rps) / wo.rps).toFixed(1)} % of req/s, CPU per request ${w.cpu >= wo.cpu ? "+" : ""}${((100 * (w.cpu - wo.cpu)) / wo.cpu).toFixed(1)} % (target: >= 95 %; errors ${runs.with!.bad + runs.without!.bad})`,
  );
  for (const p of [without, withKeys]) p.proc.send("exit");
  fake.send("exit");
}
