// Go-style durations as Google writes them in error bodies ("8h44m7s", "539.477544ms",
// "69287.123456789s"). Pure string arithmetic: no clock.

const UNIT_NS: Record<string, number> = {
  h: 3_600_000_000_000,
  m: 60_000_000_000,
  s: 1_000_000_000,
  ms: 1_000_000,
  us: 1_000,
  µs: 1_000, // U+00B5 micro sign (what Go prints)
  μs: 1_000, // U+03BC greek mu
  ns: 1,
};

// One "<number><unit>" group; "ms" must be tried before "m" and "s".
const GROUP = /(\d+(?:\.\d*)?|\.\d+)(ms|us|µs|μs|ns|h|m|s)/y;

/**
 * Milliseconds for a Go-style duration, rounded up to a whole millisecond so a caller waiting
 * that long never retries early. `undefined` for anything else (including negatives).
 */
export function parseDuration(text: string): number | undefined {
  const input = text.trim();
  if (input === "") return undefined;
  if (input === "0") return 0; // Go's only unit-less duration
  let ns = 0;
  GROUP.lastIndex = 0;
  while (GROUP.lastIndex < input.length) {
    const start = GROUP.lastIndex;
    const match = GROUP.exec(input);
    if (!match || match.index !== start) return undefined;
    const [, num = "", unit = ""] = match;
    const scale = UNIT_NS[unit];
    if (scale === undefined) return undefined;
    const [whole = "", frac = ""] = num.split(".");
    // Integer and fraction separately: 0.53 * 1e9 as a float would round up a whole nanosecond.
    ns += Number(whole || "0") * scale + Math.round(Number(`0.${frac || "0"}`) * scale);
  }
  if (!Number.isFinite(ns)) return undefined;
  return Math.ceil(ns / 1_000_000);
}

/** Human form like "8h44m7s" (seconds resolution above one second, "540ms" below). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return "0s";
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  let out = h > 0 ? `${h}h` : "";
  if (m > 0 || (h > 0 && s > 0)) out += `${m}m`;
  if (s > 0 || out === "") out += `${s}s`;
  return out;
}
