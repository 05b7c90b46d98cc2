// Bench client helpers: autocannon runs and raw streaming requests with first-byte timing.
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";

export interface LoadResult {
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Requests completed in the run (wrk's count; autocannon's total). */
  requests: number;
}

/** wrk (C, cheap on CPU) when installed: more of the 2 cores stay with the proxy and the fake. */
export const HAS_WRK = spawnSync("wrk", ["--version"]).error === undefined;

function ms(text: string | undefined): number {
  if (!text) return NaN;
  const n = Number.parseFloat(text);
  return text.endsWith("us") ? n / 1000 : text.endsWith("ms") ? n : text.endsWith("s") ? n * 1000 : n;
}

function loadWithWrk(url: string, opts: LoadOptions): LoadResult {
  const script = join(tmpdir(), `gcp-bench-${process.pid}.lua`);
  const headers = { "content-type": "application/json", ...opts.headers };
  writeFileSync(
    script,
    `wrk.method = "POST"\nwrk.body = ${JSON.stringify(opts.body)}\n${Object.entries(headers)
      .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
      .join("\n")}\n`,
  );
  const out = execFileSync("wrk", [
    "-t2",
    `-c${opts.connections}`,
    `-d${opts.seconds}s`,
    "--latency",
    "-s",
    script,
    url + opts.path,
  ]).toString();
  const pct = (p: string) => ms(new RegExp(`\\s${p}%\\s+(\\S+)`).exec(out)?.[1]);
  return {
    rps: Number.parseFloat(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? "0"),
    p50: pct("50"),
    p90: pct("90"),
    p99: pct("99"),
    errors: Number(/Socket errors:.*?(\d+)/.exec(out)?.[1] ?? 0),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
  };
}

interface LoadOptions {
  path: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
}

export async function load(url: string, opts: LoadOptions): Promise<LoadResult> {
  if (HAS_WRK) return loadWithWrk(url, opts);
  const result = await autocannon({
    url: url + opts.path,
    method: "POST",
    connections: opts.connections,
    duration: opts.seconds,
    headers: { "content-type": "application/json", ...opts.headers },
    body: opts.body,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

/** Several runs of the same load as one: mean req/s and percentiles, summed counts; the runs are kept. */
export function combineLoads(runs: LoadResult[]): LoadResult & { runs: LoadResult[] } {
  const mean = (f: (r: LoadResult) => number) => runs.reduce((s, r) => s + f(r), 0) / runs.length;
  const sum = (f: (r: LoadResult) => number) => runs.reduce((s, r) => s + f(r), 0);
  return {
    rps: mean((r) => r.rps),
    p50: mean((r) => r.p50),
    p90: mean((r) => r.p90),
    p99: mean((r) => r.p99),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
    requests: sum((r) => r.requests),
    runs,
  };
}

export interface StreamTiming {
  status: number;
  firstByteMs: number;
  totalMs: number;
  bytes: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

export function streamOnce(
  base: string,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<StreamTiming> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstByteMs = -1;
    let bytes = 0;
    const req = http.request(
      `${base}${path}`,
      { method: "POST", agent, headers: { "content-type": "application/json", ...headers } },
      (res) => {
        res.on("data", (chunk: Buffer) => {
          if (firstByteMs < 0) firstByteMs = performance.now() - started;
          bytes += chunk.length;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, firstByteMs, totalMs: performance.now() - started, bytes }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Sequential requests on one keep-alive connection, timed with a high-resolution clock (ms). */
export async function sequentialLatency(
  base: string,
  path: string,
  headers: Record<string, string>,
  body: string,
  count: number,
): Promise<number[]> {
  const one = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    times.push(
      await new Promise<number>((resolve, reject) => {
        const t0 = performance.now();
        const req = http.request(
          `${base}${path}`,
          { method: "POST", agent: one, headers: { "content-type": "application/json", ...headers } },
          (res) => {
            res.resume();
            res.on("end", () => resolve(performance.now() - t0));
          },
        );
        req.on("error", reject);
        req.end(body);
      }),
    );
  }
  one.destroy();
  return times;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
};

/**
 * The median over rounds of `a`'s req/s divided by `b`'s in the same round (both of an interleaved
 * run): each ratio compares two contenders measured seconds apart, so a slow spell of the box that
 * falls on one round moves one ratio, not the whole sum. Reported beside the sums, not instead.
 */
export function pairedMedianRatio(a: { runs: LoadResult[] }, b: { runs: LoadResult[] }): number {
  const ratios = a.runs.map((r, i) => r.rps / b.runs[i]!.rps).sort((x, y) => x - y);
  const mid = ratios.length >> 1;
  return ratios.length % 2 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
}

/**
 * The order of round `round` of an interleaved run. A contender measured right after another one
 * inherits what that one left on the box (its writes still going to disk, a fake still busy with
 * its sockets), so the orders form a balanced Latin square (Williams' design): over every n rounds
 * (2n for an odd n) each contender comes first and last equally often and follows every other
 * contender equally often. With two contenders it is A B, B A. BENCH_ORDER=reverse gives the orders
 * used until 2026-12-07 (A B C …, then reversed every other round: each contender had only two
 * predecessors, and the library with its defaults followed the CLI in half its rounds).
 */
export function roundOrder<T>(items: readonly T[], round: number): readonly T[] {
  const n = items.length;
  if (process.env.BENCH_ORDER === "reverse") return round % 2 ? [...items].reverse() : items;
  if (n < 2) return items;
  // First row 0, 1, n-1, 2, n-2, …; row r adds r to each (mod n). For an odd n a row and its mirror.
  const first = Array.from({ length: n }, (_, j) => (j % 2 ? (j + 1) / 2 : (n - j / 2) % n));
  const row = n % 2 ? Math.floor(round / 2) % n : round % n;
  const order = first.map((j) => items[(j + row) % n]!);
  return n % 2 && round % 2 ? order.reverse() : order;
}
