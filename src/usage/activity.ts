// The admin page's overview: requests, errors, tokens and median latency over the last hour and the
// last day, for this process. One O(1) update per finished request (a minute slot in a ring of a
// day's minutes, a duration in a bounded ring); reading sums the slots and sorts the few durations.
import { COUNTED_SURFACES, type RequestRecord } from "./record.ts";

/** Totals over one window. */
export interface ActivityWindow {
  requests: number;
  errors: number;
  /** errors / requests (0 without requests). */
  errorRate: number;
  tokens: number;
  /** Median duration of the window's requests among the last `LATENCY_SAMPLES`, ms; null without any. */
  p50Ms: number | null;
}

export interface ActivitySnapshot {
  hour: ActivityWindow;
  day: ActivityWindow;
  /** When counting started (process start or the last reset), epoch ms: windows never reach further back. */
  since: number;
}

export interface Activity {
  observe(record: RequestRecord): void;
  snapshot(now?: number): ActivitySnapshot;
  reset(): void;
}

const MINUTE = 60_000;
const SLOTS = 24 * 60;
/** Latencies kept for the median: a bounded ring, newest overwriting oldest. */
export const LATENCY_SAMPLES = 2048;

export function createActivity(clock: () => number = Date.now): Activity {
  const minuteOf = new Float64Array(SLOTS).fill(-1);
  const requests = new Uint32Array(SLOTS);
  const errors = new Uint32Array(SLOTS);
  const tokens = new Float64Array(SLOTS);
  const latency = new Float64Array(LATENCY_SAMPLES);
  const latencyAt = new Float64Array(LATENCY_SAMPLES).fill(-1);
  let next = 0;
  let since = clock();

  const windowOf = (now: number, minutes: number): ActivityWindow => {
    const current = Math.floor(now / MINUTE);
    let r = 0;
    let e = 0;
    let t = 0;
    for (let m = current - minutes + 1; m <= current; m++) {
      const i = m % SLOTS;
      if (minuteOf[i] !== m) continue;
      r += requests[i]!;
      e += errors[i]!;
      t += tokens[i]!;
    }
    const from = now - minutes * MINUTE;
    const durations: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) if (latencyAt[i]! > from) durations.push(latency[i]!);
    durations.sort((a, b) => a - b);
    const p50Ms = durations.length ? durations[Math.floor((durations.length - 1) / 2)]! : null;
    return { requests: r, errors: e, errorRate: r ? e / r : 0, tokens: t, p50Ms };
  };

  return {
    observe(record) {
      if (!COUNTED_SURFACES.has(record.surface)) return;
      const end = record.endedAt ?? clock();
      const m = Math.floor(end / MINUTE);
      const i = m % SLOTS;
      if (minuteOf[i] !== m) {
        minuteOf[i] = m;
        requests[i] = 0;
        errors[i] = 0;
        tokens[i] = 0;
      }
      requests[i]!++;
      // As the ledger counts them: neither a success nor a client that left is an error.
      if (record.outcome !== "success" && record.outcome !== "cancelled") errors[i]!++;
      tokens[i]! += record.usage?.total ?? 0;
      latency[next] = Math.max(0, end - record.startedAt);
      latencyAt[next] = end;
      next = (next + 1) % LATENCY_SAMPLES;
    },
    snapshot(now = clock()) {
      return { hour: windowOf(now, 60), day: windowOf(now, SLOTS), since };
    },
    reset() {
      minuteOf.fill(-1);
      latencyAt.fill(-1);
      since = clock();
    },
  };
}
