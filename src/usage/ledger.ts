// The usage ledger: finished requests are summed in memory (synchronously, so increments never
// interleave), then flushed to the UsageStore every few seconds, before every read and on close.
// A failed flush puts its counts back, so totals stay exact across restarts.
import type { Logger } from "../types.ts";
import type { RequestRecord } from "./record.ts";
import { isUnavailable } from "../storage/coordination/types.ts";
import {
  bucketPeriod,
  bucketStart,
  dayBucket,
  dimensionOf,
  errorClassOf,
  fieldsOf,
  hourBucket,
  parseDimension,
  type Dimension,
} from "./rollup.ts";
import { addFields, type UsageBucket, type UsageFields, type UsageStore } from "./store.ts";

/** Counters of one hour or day for one dimension (model, client key, credential). */
export interface UsageRow extends Dimension {
  period: "hour" | "day";
  /** Start of the period, epoch ms (UTC). */
  start: number;
  fields: UsageFields;
}

/** A recent failed request, for the admin page. */
export interface RecentError {
  time: number;
  id: string;
  path: string;
  model?: string;
  credentialId?: string;
  clientKey?: string;
  status?: number;
  errorClass: string;
}

export interface UsageLedger {
  /** Counts a finished request (API surfaces only). */
  record(record: RequestRecord): void;
  /** Writes pending counts to the store. */
  flush(): Promise<void>;
  /** Rollup rows of one period whose start lies in [from, to] (epoch ms). */
  rows(period: "hour" | "day", from?: number, to?: number): Promise<UsageRow[]>;
  /** Deletes every rollup. */
  reset(): Promise<void>;
  /** The last failed requests, newest first (this process only). */
  recentErrors(): RecentError[];
  /** Grows with every counted request (cheap change detection for the log summary). */
  readonly version: number;
  /** Starts the periodic flush (and retention pruning). */
  start(): void;
  close(): Promise<void>;
}

export interface LedgerOptions {
  store: UsageStore;
  retentionDays: number;
  logger: Logger;
  flushIntervalMs?: number;
  now?: () => number;
}

const COUNTED = new Set(["openai", "gemini", "anthropic", "responses", "embeddings"]);
const RECENT_MAX = 50;
const DAY = 86_400_000;

export function createUsageLedger(options: LedgerOptions): UsageLedger {
  const { store, logger } = options;
  const now = options.now ?? Date.now;
  let pending = new Map<string, UsageBucket>();
  const recent: RecentError[] = [];
  let version = 0;
  let chain: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setInterval> | undefined;
  let lastPrune = 0;

  const add = (into: Map<string, UsageBucket>, bucket: string, dimension: string, fields: UsageFields) => {
    let dims = into.get(bucket);
    if (!dims) into.set(bucket, (dims = {}));
    addFields((dims[dimension] ??= {}), fields);
  };

  // Runs storage work one at a time (flushes, resets, prunes never overlap).
  const serial = (work: () => Promise<void>): Promise<void> => {
    const run = chain.then(work);
    chain = run.catch(() => {});
    return run;
  };

  const prune = async () => {
    const cutoff = now() - options.retentionDays * DAY;
    for (const bucket of await store.buckets()) {
      const start = bucketStart(bucket);
      const end = start + (bucketPeriod(bucket) === "day" ? DAY : 3_600_000);
      if (Number.isFinite(start) && end <= cutoff) await store.remove(bucket);
    }
  };

  const flushNow = async () => {
    const batch = pending;
    pending = new Map();
    for (const [bucket, dims] of batch) {
      try {
        if (store.incrementMany) await store.incrementMany(bucket, dims);
        else for (const [dimension, fields] of Object.entries(dims)) await store.increment(bucket, dimension, fields);
        batch.delete(bucket);
      } catch (error) {
        // A storage outage is logged once by the storage itself; the counts wait for it here.
        if (!isUnavailable(error))
          logger.warn(`usage ledger: could not write ${bucket}, will retry:`, (error as Error)?.message ?? error);
      }
    }
    // Put back what was not written (a store without incrementMany may have written part: rare, logged).
    for (const [bucket, dims] of batch)
      for (const [dimension, fields] of Object.entries(dims)) add(pending, bucket, dimension, fields);
    if (now() - lastPrune > 3_600_000) {
      lastPrune = now();
      await prune().catch((error) => logger.warn("usage ledger: pruning failed:", (error as Error)?.message ?? error));
    }
  };

  const flush = () => serial(flushNow);

  return {
    get version() {
      return version;
    },
    record(record) {
      if (!COUNTED.has(record.surface)) return;
      const dimension = dimensionOf(record);
      const fields = fieldsOf(record);
      add(pending, hourBucket(record.startedAt), dimension, fields);
      add(pending, dayBucket(record.startedAt), dimension, fields);
      version++;
      if (fields.errors) {
        recent.unshift({
          time: record.endedAt ?? now(),
          id: record.id,
          path: record.path,
          model: record.model,
          credentialId: record.credentialId,
          clientKey: record.clientKey,
          status: record.status,
          errorClass: errorClassOf(record),
        });
        recent.length = Math.min(recent.length, RECENT_MAX);
      }
    },
    flush,
    async rows(period, from = 0, to = Number.POSITIVE_INFINITY) {
      await flush();
      const rows: UsageRow[] = [];
      for (const bucket of await store.buckets()) {
        const start = bucketStart(bucket);
        if (bucketPeriod(bucket) !== period || !(start >= from && start <= to)) continue;
        for (const [dimension, fields] of Object.entries(await store.read(bucket)))
          rows.push({ period, start, ...parseDimension(dimension), fields });
      }
      return rows.sort((a, b) => a.start - b.start);
    },
    reset: () =>
      serial(async () => {
        pending = new Map();
        recent.length = 0;
        version++;
        for (const bucket of await store.buckets()) await store.remove(bucket);
      }),
    recentErrors: () => [...recent],
    start() {
      const ms = options.flushIntervalMs ?? 5000;
      timer ??= setInterval(() => void flush().catch(() => {}), ms);
      timer.unref?.();
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await flush();
    },
  };
}
