// The usage ledger: finished requests are summed in memory (synchronously, so increments never
// interleave), then flushed to the UsageStore every few seconds, before every read and on close.
// Counts a flush could not write wait for the next one. With a journal (fs storage), each record is
// also appended to the current segment before its response ends, and a flush is a compaction:
// seal the segment, add its sums with the segment's mark, delete it (journal.ts).
import type { Logger } from "../types.ts";
import type { SealedSegment, UsageJournal } from "./journal.ts";
import { COUNTED_SURFACES, type RequestRecord } from "./record.ts";
import { isUnavailable } from "../storage/coordination/types.ts";
import { maskErrorText } from "../pool/mask.ts";
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
  /** Google's message (or the proxy's), secrets redacted and emails masked. */
  message?: string;
}

export interface UsageLedger {
  /** Counts a finished request (API surfaces only); with a journal, resolves once it is written there. */
  record(record: RequestRecord): Promise<void> | undefined;
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
  /** Starts the periodic flush (and retention pruning); replays journal segments of dead processes. */
  start(): void;
  close(): Promise<void>;
}

export interface LedgerOptions {
  store: UsageStore;
  retentionDays: number;
  logger: Logger;
  flushIntervalMs?: number;
  now?: () => number;
  /** Append-only journal (fs storage); needs `store.incrementOnce`. */
  journal?: UsageJournal;
}

/**
 * Sums per bucket, then per dimension. Maps, not objects: with a thousand credentials in rotation a
 * bucket holds a thousand dimensions, and an object that large is a slow dictionary to V8.
 */
type Sums = Map<string, Map<string, UsageFields>>;

/** Sums waiting for the store, with the journal segment holding the same records (if any). */
interface Batch {
  segment?: SealedSegment;
  buckets: Sums;
}

/** One journal line: request id, start time, dimension, counters. */
interface JournalLine {
  i: string;
  t: number;
  d: string;
  f: UsageFields;
}

const RECENT_MAX = 50;
const DAY = 86_400_000;

export function createUsageLedger(options: LedgerOptions): UsageLedger {
  const { store, logger } = options;
  const journal = store.incrementOnce ? options.journal : undefined;
  const now = options.now ?? Date.now;
  let pending: Sums = new Map();
  let waiting: Batch[] = [];
  const recent: RecentError[] = [];
  let version = 0;
  let chain: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setInterval> | undefined;
  let lastPrune = 0;

  const add = (into: Sums, bucket: string, dimension: string, fields: UsageFields) => {
    let dims = into.get(bucket);
    if (!dims) into.set(bucket, (dims = new Map()));
    let sum = dims.get(dimension);
    if (!sum) dims.set(dimension, (sum = {}));
    addFields(sum, fields);
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

  const addLine = (into: Sums, line: JournalLine) => {
    add(into, hourBucket(line.t), line.d, line.f);
    add(into, dayBucket(line.t), line.d, line.f);
  };

  const write = (
    bucket: string,
    sums: Map<string, UsageFields>,
    segment: SealedSegment | undefined,
    keep: Set<string>,
  ) => {
    const dims: UsageBucket = Object.fromEntries(sums);
    if (segment) return store.incrementOnce!(bucket, dims, segment.id, (id) => keep.has(id));
    if (store.incrementMany) return store.incrementMany(bucket, dims);
    return (async () => {
      for (const [dimension, fields] of Object.entries(dims)) await store.increment(bucket, dimension, fields);
    })();
  };

  const flushNow = async () => {
    // Seal first: the segment holds exactly the records summed in `pending` (both change in record()).
    const segment = journal?.rotate();
    const unjournaled = waiting.find((batch) => !batch.segment);
    if (pending.size && !segment && unjournaled)
      for (const [bucket, dims] of pending)
        for (const [dimension, fields] of dims) add(unjournaled.buckets, bucket, dimension, fields);
    else if (pending.size) waiting.push({ segment, buckets: pending });
    else if (segment) await journal!.remove(segment);
    pending = new Map();
    const keep = journal && waiting.length ? await journal.present() : new Set<string>();
    for (const batch of waiting) {
      for (const [bucket, dims] of batch.buckets) {
        try {
          await write(bucket, dims, batch.segment, keep);
          batch.buckets.delete(bucket);
        } catch (error) {
          // A storage outage is logged once by the storage itself; the counts wait for it here.
          if (!isUnavailable(error))
            logger.warn(`usage ledger: could not write ${bucket}, will retry:`, (error as Error)?.message ?? error);
        }
      }
      // Every bucket holds the segment's sums (or its mark): the journal copy is no longer needed.
      if (batch.buckets.size === 0 && batch.segment) await journal!.remove(batch.segment);
    }
    // What was not written waits for the next flush, with its segment (a store without
    // incrementMany may have written part of a bucket: rare, logged).
    waiting = waiting.filter((batch) => batch.buckets.size > 0);
    if (now() - lastPrune > 3_600_000) {
      lastPrune = now();
      await prune().catch((error) => logger.warn("usage ledger: pruning failed:", (error as Error)?.message ?? error));
    }
  };

  const flush = () => serial(flushNow);

  // Segments of processes that died (or of this one's previous run): summed and compacted like ours.
  const replay = async () => {
    if (!journal) return;
    let lines = 0;
    for (const segment of await journal.orphans()) {
      const buckets: Sums = new Map();
      for (const line of await journal.read(segment)) {
        const l = line as JournalLine;
        if (typeof l?.t !== "number" || typeof l.d !== "string" || typeof l.f !== "object" || !l.f) continue;
        addLine(buckets, l);
        lines++;
      }
      if (buckets.size) waiting.push({ segment, buckets });
      else await journal.remove(segment);
    }
    if (lines) logger.info(`usage ledger: replayed ${lines} journaled request(s) of an earlier run`);
    await flushNow();
  };

  return {
    get version() {
      return version;
    },
    record(record) {
      if (!COUNTED_SURFACES.has(record.surface)) return undefined;
      const line: JournalLine = { i: record.id, t: record.startedAt, d: dimensionOf(record), f: fieldsOf(record) };
      addLine(pending, line);
      version++;
      const fields = line.f;
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
          message: maskErrorText(record.errorMessage),
        });
        recent.length = Math.min(recent.length, RECENT_MAX);
      }
      return journal?.append(`${JSON.stringify(line)}\n`);
    },
    flush,
    async rows(period, from = 0, to = Number.POSITIVE_INFINITY) {
      await flush();
      const rows: UsageRow[] = [];
      for (const bucket of await store.buckets()) {
        const start = bucketStart(bucket);
        if (bucketPeriod(bucket) !== period || !(start >= from && start <= to)) continue;
        for (const [dimension, fields] of Object.entries(await store.read(bucket)))
          rows.push(Object.assign({ period, start }, parseDimension(dimension), { fields }));
      }
      return rows.sort((a, b) => a.start - b.start);
    },
    reset: () =>
      serial(async () => {
        const segment = journal?.rotate();
        const dropped = [...waiting.map((b) => b.segment), segment];
        pending = new Map();
        waiting = [];
        recent.length = 0;
        version++;
        for (const s of dropped) if (s) await journal!.remove(s);
        for (const bucket of await store.buckets()) await store.remove(bucket);
      }),
    recentErrors: () => [...recent],
    start() {
      if (timer) return;
      void serial(replay).catch((error) =>
        logger.warn("usage ledger: journal replay failed:", (error as Error)?.message ?? error),
      );
      timer = setInterval(() => void flush().catch(() => {}), options.flushIntervalMs ?? 5000);
      timer.unref?.();
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await flush();
      journal?.close();
    },
  };
}
