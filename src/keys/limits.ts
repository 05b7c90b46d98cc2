// Per-key counters: requests and tokens per minute, day and month. The hot path only reads and adds
// in memory; a sync loop pushes the local increments to the coordinator (one HINCRBY batch per
// key) and reads back the totals of every instance (HGETALL), so on redis the limits hold across
// instances within one sync period, and on memory/fs storage they count in this process.
import type { Coordinator } from "../storage/coordination/index.ts";
import { isUnavailable } from "../storage/coordination/index.ts";
import { periodsAt } from "./periods.ts";
import type { KeyUsageCount } from "./types.ts";

type Fields = Record<string, number>;

interface Counter {
  shared: Fields;
  pending: Fields;
  /** Last local use: keys used in the last two minutes keep syncing (others' counts). */
  usedAt: number;
}

/** The limits one check needs (a stored key's fields). */
export interface KeyLimits {
  id: string;
  rpm: number | null;
  tpm: number | null;
  daily_tokens: number | null;
  monthly_tokens: number | null;
}

/** Why a request is refused, in words any surface can show. */
export interface LimitRefusal {
  code: "rate_limit_exceeded" | "budget_exceeded";
  message: string;
  retryAfterMs: number;
}

export const usageKey = (id: string): string => `client-keys:usage:${id}`;

export interface KeyCounters {
  /** A key not seen lately starts from the shared totals: resolves once they are read (else undefined). */
  warm(id: string): Promise<void> | undefined;
  /** Counts the request, or says why it must wait. */
  admit(limits: KeyLimits, now?: number): LimitRefusal | undefined;
  /** Adds a finished request's tokens. */
  addTokens(id: string, tokens: number, now?: number): void;
  /** Usage today and this month, from the shared counters (admin views). */
  usage(id: string): Promise<{ today: KeyUsageCount; month: KeyUsageCount }>;
  /** Last local use (epoch ms), if any since start. */
  lastUsed(id: string): number | undefined;
  forget(id: string): Promise<void>;
  /** Pushes pending increments and pulls totals now. */
  sync(): Promise<void>;
  stop(): Promise<void>;
}

const sumOf = (c: Counter, field: string) => (c.shared[field] ?? 0) + (c.pending[field] ?? 0);
const until = (at: number) => new Date(at).toISOString();

export function createKeyCounters(coordinator: Coordinator, syncMs: number): KeyCounters {
  const counters = new Map<string, Counter>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let syncing: Promise<void> | undefined;
  let lastPrune = 0;

  const counter = (id: string): Counter => {
    let c = counters.get(id);
    if (!c) counters.set(id, (c = { shared: {}, pending: {}, usedAt: 0 }));
    return c;
  };
  const add = (c: Counter, fields: Fields) => {
    for (const [k, v] of Object.entries(fields)) c.pending[k] = (c.pending[k] ?? 0) + v;
  };
  const schedule = () => {
    if (timer) return;
    timer = setInterval(() => void run(), syncMs);
    timer.unref?.();
  };

  async function syncOne(id: string, c: Counter, now: number, prune: boolean): Promise<void> {
    const batch = c.pending;
    c.pending = {};
    try {
      await coordinator.hincrby(usageKey(id), batch);
      const totals = await coordinator.hgetall(usageKey(id));
      if (prune) {
        const p = periodsAt(now);
        const stale = Object.keys(totals).filter((f) => isStale(f, p.minute, p.day, p.month));
        if (stale.length) await coordinator.hdel(usageKey(id), stale);
      }
      c.shared = totals;
    } catch (error) {
      add(c, batch); // kept for the next sync; counts stay local meanwhile
      if (!isUnavailable(error)) throw error;
    }
  }

  async function run(): Promise<void> {
    if (syncing) return syncing;
    syncing = (async () => {
      const now = Date.now();
      const prune = now - lastPrune > 60_000;
      if (prune) lastPrune = now;
      const work: Promise<void>[] = [];
      for (const [id, c] of counters) {
        const active = now - c.usedAt < 120_000;
        if (Object.keys(c.pending).length || active) work.push(syncOne(id, c, now, prune).catch(() => {}));
        else counters.delete(id); // idle: read afresh on next use
      }
      await Promise.all(work);
      if (!counters.size && timer) {
        clearInterval(timer);
        timer = undefined;
      }
    })().finally(() => (syncing = undefined));
    return syncing;
  }

  const warming = new Map<string, Promise<void>>();

  return {
    warm(id) {
      if (counters.has(id)) return undefined;
      let pending = warming.get(id);
      if (!pending) {
        pending = coordinator
          .hgetall(usageKey(id))
          .then(
            (totals) => {
              const c = counter(id);
              c.shared = totals;
            },
            () => void counter(id), // backend away: count locally from zero
          )
          .finally(() => warming.delete(id));
        warming.set(id, pending);
      }
      return pending;
    },
    admit(limits, now = Date.now()) {
      const c = counter(limits.id);
      const p = periodsAt(now);
      if (limits.monthly_tokens !== null && sumOf(c, `mt:${p.month}`) >= limits.monthly_tokens)
        return {
          code: "budget_exceeded",
          message: `This API key's monthly token budget (${limits.monthly_tokens}) is spent; it resets at ${until(p.monthEnds)}.`,
          retryAfterMs: p.monthEnds - now,
        };
      if (limits.daily_tokens !== null && sumOf(c, `dt:${p.day}`) >= limits.daily_tokens)
        return {
          code: "budget_exceeded",
          message: `This API key's daily token budget (${limits.daily_tokens}) is spent; it resets at ${until(p.dayEnds)}.`,
          retryAfterMs: p.dayEnds - now,
        };
      if (limits.rpm !== null && sumOf(c, `r:${p.minute}`) >= limits.rpm)
        return {
          code: "rate_limit_exceeded",
          message: `Rate limit of ${limits.rpm} requests per minute reached for this API key.`,
          retryAfterMs: p.minuteEnds - now,
        };
      if (limits.tpm !== null && sumOf(c, `t:${p.minute}`) >= limits.tpm)
        return {
          code: "rate_limit_exceeded",
          message: `Rate limit of ${limits.tpm} tokens per minute reached for this API key.`,
          retryAfterMs: p.minuteEnds - now,
        };
      add(c, { [`r:${p.minute}`]: 1, [`dr:${p.day}`]: 1, [`mr:${p.month}`]: 1 });
      c.usedAt = now;
      schedule();
      return undefined;
    },
    addTokens(id, tokens, now = Date.now()) {
      if (!(tokens > 0)) return;
      const p = periodsAt(now);
      const c = counter(id);
      add(c, { [`t:${p.minute}`]: tokens, [`dt:${p.day}`]: tokens, [`mt:${p.month}`]: tokens });
      c.usedAt = now;
      schedule();
    },
    async usage(id) {
      const p = periodsAt(Date.now());
      let shared: Fields = {};
      try {
        shared = await coordinator.hgetall(usageKey(id));
      } catch (error) {
        if (!isUnavailable(error)) throw error;
        shared = counters.get(id)?.shared ?? {};
      }
      const pending = counters.get(id)?.pending ?? {};
      const n = (f: string) => (shared[f] ?? 0) + (pending[f] ?? 0);
      return {
        today: { requests: n(`dr:${p.day}`), tokens: n(`dt:${p.day}`) },
        month: { requests: n(`mr:${p.month}`), tokens: n(`mt:${p.month}`) },
      };
    },
    lastUsed: (id) => counters.get(id)?.usedAt || undefined,
    async forget(id) {
      counters.delete(id);
      await coordinator.del(usageKey(id)).catch(() => {});
    },
    sync: () => run(),
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await run().catch(() => {});
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

/** Fields of past windows (minutes before the last one, days and months gone by). */
function isStale(field: string, minute: number, day: string, month: string): boolean {
  const [kind, at = ""] = field.split(":");
  if (kind === "r" || kind === "t") return Number(at) < minute - 1;
  if (kind === "dr" || kind === "dt") return at < day && at.slice(0, 6) < month; // keep this month's days
  if (kind === "mr" || kind === "mt") return at < String(Number(month) - 100); // about a year
  return false;
}
