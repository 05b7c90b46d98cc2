// `npx tsx bench/profile-report.mts PROFILE.cpuprofile [FROM_MS] [TO_MS]`: ranks a --cpu-prof profile.
// Frames in dist/ are mapped back to their src/ file through the bundle's `//#region src/...` markers.
//   1. where the time went: our code (src/), each dependency, Node internals, GC, idle
//   2. self time of our functions
//   3. time "caused" by our functions: each sample goes to the innermost src/ frame on its stack, so a
//      JSON.stringify or a consola call lands on the function of ours that made it
//   4. self time of every function (any origin)
//   5. time by the nearest library on the stack: each sample goes to the innermost frame of our code
//      or of a dependency, so Node's work (socket writes, the HTTP parser) lands on whoever asked for it
// FROM_MS/TO_MS limit the samples to a window, in ms since the profile started (e.g. skip start-up);
// a negative FROM_MS counts back from the end.
// REQUESTS=n (requests served in that window) adds µs per request, to compare two profiles.
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
const [file, fromArg, toArg] = process.argv.slice(2);
if (!file) throw new Error("usage: profile-report.mts PROFILE.cpuprofile [FROM_MS] [TO_MS]");
const prof = JSON.parse(readFileSync(file, "utf8")) as {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
};
// A negative FROM_MS counts back from the end of the profile (-10000: the last 10 s, e.g. the load).
const from = (Number(fromArg ?? 0) < 0 ? prof.endTime - prof.startTime : 0) + Number(fromArg ?? 0) * 1000;
const to = toArg ? Number(toArg) * 1000 : Infinity;

const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// dist file → sorted [line, src path] region starts
const regions = new Map<string, { line: number; src: string | undefined }[]>();
function srcOf(url: string, line: number): string | undefined {
  if (!url.includes("/dist/") || url.includes("/node_modules/")) return undefined;
  let list = regions.get(url);
  if (!list) {
    list = [];
    try {
      readFileSync(new URL(url), "utf8")
        .split("\n")
        .forEach((text, i) => {
          const m = /^\/\/#(region|endregion)\s*(\S*)/.exec(text);
          if (m) list!.push({ line: i, src: m[1] === "region" ? m[2] : undefined });
        });
    } catch {}
    regions.set(url, list);
  }
  let src: string | undefined;
  for (const r of list) {
    if (r.line > line) break;
    src = r.src;
  }
  return src ?? url.replace(/^.*\/dist\//, "dist/");
}

type Origin = { kind: "ours" | "dep" | "node" | "vm"; label: string; where: string };
const origins = new Map<number, Origin>();
function origin(n: Node): Origin {
  let o = origins.get(n.id);
  if (o) return o;
  const { url, lineNumber, functionName } = n.callFrame;
  const name = functionName || "(anonymous)";
  if (url.includes("/dist/") && !url.includes("/node_modules/")) {
    const src = srcOf(url, lineNumber)!;
    o = {
      kind: src.startsWith("src/") ? "ours" : "dep",
      label: name,
      where: `${src} (${url.replace(/^.*\/dist\//, "dist/")}:${lineNumber + 1})`,
    };
  } else if (url.includes("/node_modules/")) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
    o = { kind: "dep", label: name, where: `${pkg?.[1]}/${pkg?.[2]}:${lineNumber + 1}` };
  } else if (url.startsWith("node:") || (url === "" && !name.startsWith("("))) {
    o = { kind: "node", label: name, where: url || "(native)" };
  } else if (!url) {
    o = { kind: "vm", label: name, where: "" };
  } else {
    o = { kind: "dep", label: name, where: `${url}:${lineNumber + 1}` };
  }
  origins.set(n.id, o);
  return o;
}
const bucket = (o: Origin) =>
  o.kind === "ours"
    ? "our code (src/)"
    : o.kind === "node"
      ? "Node internals + builtins"
      : o.kind === "vm"
        ? o.label
        : `dep: ${/^((?:@[^/]+\/)?[^/:]+)/.exec(o.where)?.[1]}`;

const self = new Map<string, number>();
const caused = new Map<string, number>();
const buckets = new Map<string, number>();
const nearest = new Map<string, number>();
let total = 0;
let t = prof.startTime;
for (let i = 0; i < prof.samples.length; i++) {
  t += prof.timeDeltas[i] ?? 0;
  if (t - prof.startTime < from || t - prof.startTime > to) continue;
  const dt = prof.timeDeltas[i + 1] ?? 0;
  const node = byId.get(prof.samples[i]!)!;
  const o = origin(node);
  total += dt;
  const key = `${o.kind}\t${o.label}\t${o.where}`;
  self.set(key, (self.get(key) ?? 0) + dt);
  buckets.set(bucket(o), (buckets.get(bucket(o)) ?? 0) + dt);
  let lib: Node | undefined = node;
  while (lib && origin(lib).kind !== "ours" && origin(lib).kind !== "dep") lib = byId.get(parent.get(lib.id) ?? -1);
  const nkey = o.label === "(idle)" ? "(idle)" : lib ? bucket(origin(lib)) : "(no library frame: GC, microtasks, Node)";
  nearest.set(nkey, (nearest.get(nkey) ?? 0) + dt);
  if (o.kind !== "vm") {
    let up: Node | undefined = node;
    while (up && origin(up).kind !== "ours") up = byId.get(parent.get(up.id) ?? -1);
    const c = up ? origin(up) : undefined;
    const ckey = c ? `${c.label}\t${c.where}` : "(no src/ frame on the stack)\t";
    caused.set(ckey, (caused.get(ckey) ?? 0) + dt);
  }
}

// REQUESTS=n (the load's request count) adds µs per request to every line.
const perRequest = Number(process.env.REQUESTS ?? 0);
const ms = (us: number) =>
  `${(us / 1000).toFixed(0).padStart(6)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %${perRequest ? ` ${(us / perRequest).toFixed(1).padStart(7)} µs/req` : ""}`;
const top = (m: Map<string, number>, n: number, filter: (k: string) => boolean = () => true) =>
  [...m]
    .filter(([k]) => filter(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n);

console.log(
  `${file}\nsampled ${(total / 1000).toFixed(0)} ms${from || to !== Infinity ? ` (window ${from / 1000}-${to === Infinity ? "end" : to / 1000} ms)` : ""}\n`,
);
console.log("== where the time went");
for (const [k, v] of top(buckets, 25)) console.log(`${ms(v)}  ${k}`);
console.log("\n== self time, our code (src/)");
for (const [k, v] of top(self, Number(process.env.TOP ?? 30), (k) => k.startsWith("ours\t"))) {
  const [, label, where] = k.split("\t");
  console.log(`${ms(v)}  ${label}  ${where}`);
}
console.log("\n== time caused by our functions (self + the deps/Node code they call, down to the next src/ frame)");
for (const [k, v] of top(caused, Number(process.env.TOP ?? 30))) {
  const [label, where] = k.split("\t");
  console.log(`${ms(v)}  ${label}  ${where}`);
}
console.log("\n== the same, by src/ file");
const byFile = new Map<string, number>();
for (const [k, v] of caused) {
  const file = (k.split("\t")[1] ?? "").replace(/ \(.*$/, "") || "(no src/ frame on the stack)";
  byFile.set(file, (byFile.get(file) ?? 0) + v);
}
for (const [k, v] of top(byFile, Number(process.env.TOP ?? 30))) console.log(`${ms(v)}  ${k}`);
console.log("\n== self time, all code");
for (const [k, v] of top(self, Number(process.env.TOP ?? 30))) {
  const [kind, label, where] = k.split("\t");
  console.log(`${ms(v)}  [${kind}] ${label}  ${where}`);
}
console.log("\n== time by the nearest library on the stack (Node's work charged to whoever asked for it)");
for (const [k, v] of top(nearest, 25)) console.log(`${ms(v)}  ${k}`);
