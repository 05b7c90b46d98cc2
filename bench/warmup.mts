// `npx tsx bench/warmup.mts`: how a freshly started CLI comes up to speed. Starts the fake and
// `gemini-cli-proxy run` with KEYS Gemini API keys in its fs storage (default 1000; as `npm run
// bench` prepares them), waits for both to go idle, then loads it (wrk, 16 connections, the bench's
// small chat request) in WINDOWS one-second windows (default 8) and prints req/s and CPU per request
// of each: the first seconds of a new process run unoptimized code. bench/run.ts gives every
// contender BENCH_WARMUP seconds of unmeasured load for this reason.
import { prepareCliHome, settled, startCli } from "./_cli.ts";
import { load } from "./_client.ts";
import { startFake } from "./_fake-child.ts";

const keys = Number(process.env.KEYS ?? 1000);
const windows = Number(process.env.WINDOWS ?? 8);
const { info, proc: fake } = await startFake(keys);
const body = JSON.stringify({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }] });
const probe = { path: "/v1/chat/completions", headers: { authorization: "Bearer k" }, body };
const home = prepareCliHome(`warmup${keys}`, info, "k", { apiKeys: keys });
try {
  const cli = await startCli(home, probe);
  const idle = await settled([cli.proc.pid!, fake.pid!]);
  console.log(`${keys} key(s): start-up to first answer ${cli.startupMs.toFixed(0)} ms, idle after ${idle} ms`);
  for (let i = 0; i < windows; i++) {
    cli.probe.reset();
    const r = await load(cli.url, { ...probe, connections: 16, seconds: 1 });
    const cpu = cli.probe.report().cpuUs / r.requests;
    console.log(
      `second ${i + 1}: ${r.rps.toFixed(0).padStart(5)} req/s, ${cpu.toFixed(0).padStart(4)} µs CPU per request`,
    );
  }
  await cli.stop();
} finally {
  fake.send("exit");
  home.cleanup();
}
