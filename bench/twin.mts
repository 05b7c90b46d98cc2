// `npx tsx bench/twin.mts`: where two pool sizes differ, function by function, on a noisy box. Two
// library proxies (KEYS_A, default 1, and KEYS_B, default 1000 Gemini API keys) run in one child
// process under one CPU profiler; wrk/autocannon loads them in turn (ROUNDS, default 16, of 1 s
// unmeasured + 2 s measured each, order reversed every other round), and each sample is charged to
// the proxy whose window it fell in. Box drift hits both alike, and so does anything the process
// does in the background. Prints each side's non-idle time per request (wall-clock samples, so
// socket writes include waits) and the functions whose self time per request differs most.
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { load, roundOrder } from "./_client.ts";
import { startFake } from "./_fake-child.ts";

const counts = [Number(process.env.KEYS_A ?? 1), Number(process.env.KEYS_B ?? 1000)];
const ROUNDS = Number(process.env.ROUNDS ?? 16);
const file = process.env.PROFILE ?? "/tmp/twin-profile.json";
const { info, proc: fake } = await startFake(Math.max(...counts));
const child = fork(fileURLToPath(new URL("./_twin-child.mjs", import.meta.url)), {
  execArgv: [],
  env: { ...process.env, BENCH_TWIN: JSON.stringify({ endpoints: info.endpoints, apiKeys: info.apiKeys, counts }) },
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
const ask = (m: Record<string, unknown>) =>
  new Promise<any>((resolve) => {
    const on = (x: any) => {
      if (x.type !== m.type) return;
      child.off("message", on);
      resolve(x);
    };
    child.on("message", on);
    child.send(m);
  });
const { urls } = await new Promise<any>((resolve) => child.once("message", resolve));
const chat = {
  path: "/v1/chat/completions",
  headers: { authorization: "Bearer k" },
  body: JSON.stringify({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }] }),
  connections: 16,
};
const sides = ["A", "B"].map((name, i) => ({ name, url: urls[i] as string }));
for (const s of sides) await load(s.url, { ...chat, seconds: 5 }); // warm-up
await ask({ type: "start" });
for (let round = 0; round < ROUNDS; round++)
  for (const s of roundOrder(sides, round)) {
    await load(s.url, { ...chat, seconds: 1 });
    await ask({ type: "mark", side: s.name });
    const r = await load(s.url, { ...chat, seconds: 2 });
    await ask({ type: "mark", side: s.name, requests: r.requests });
  }
await ask({ type: "stop", file });
child.kill();
fake.kill();

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
const { profile, marks } = JSON.parse(readFileSync(file, "utf8")) as {
  profile: { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number };
  marks: { t: number; side: string; requests?: number }[];
};
const windows = [];
for (let i = 0; i + 1 < marks.length; i += 2)
  windows.push({ side: marks[i]!.side, from: marks[i]!.t, to: marks[i + 1]!.t, requests: marks[i + 1]!.requests! });
const requests: Record<string, number> = { A: 0, B: 0 };
for (const w of windows) requests[w.side]! += w.requests;
const frame = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
const name = (f: Node["callFrame"]) =>
  `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*\/(dist|node_modules)\//, "$1/").replace(/^node:/, "")}:${f.lineNumber + 1}`;
const self: Record<string, Map<string, number>> = { A: new Map(), B: new Map() };
let t = profile.startTime;
let w = 0;
for (let i = 0; i < profile.samples.length && w < windows.length; i++) {
  t += profile.timeDeltas[i]!;
  while (w < windows.length && t > windows[w]!.to) w++;
  if (w >= windows.length || t < windows[w]!.from) continue;
  const key = name(frame.get(profile.samples[i]!)!);
  const m = self[windows[w]!.side]!;
  m.set(key, (m.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
}
const busy = (side: string) =>
  [...self[side]!].filter(([k]) => !k.startsWith("(idle)")).reduce((s, [, v]) => s + v, 0) / requests[side]!;
console.log(
  `A (${counts[0]} keys): ${requests.A} requests, ${busy("A").toFixed(1)} µs non-idle per request; ` +
    `B (${counts[1]} keys): ${requests.B} requests, ${busy("B").toFixed(1)} µs`,
);
const per = (side: string, key: string) => (self[side]!.get(key) ?? 0) / requests[side]!;
const rows = [...new Set([...self.A!.keys(), ...self.B!.keys()])]
  .map((key) => ({ key, a: per("A", key), b: per("B", key) }))
  .sort((x, y) => Math.abs(y.b - y.a) - Math.abs(x.b - x.a));
console.log("  B - A      A      B  µs of self time per request");
for (const r of rows.slice(0, Number(process.env.TOP ?? 25)))
  console.log(
    `${(r.b - r.a).toFixed(2).padStart(7)} ${r.a.toFixed(2).padStart(6)} ${r.b.toFixed(2).padStart(6)}  ${r.key}`,
  );
