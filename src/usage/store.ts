// Where ledger rollups live. A bucket is one period (`hour:2026-11-27T14`, `day:2026-11-27`) holding
// counters per dimension (`key|credential|model`). The interface is HINCRBY-shaped on purpose: a redis
// store implements `increment` as HINCRBY on one hash per bucket, so instances aggregate atomically.
// The default store goes through any unstorage instance (memory, fs...) with a per-bucket mutex:
// atomic within one process, not across processes sharing a file driver.
import type { StorageLike } from "../storage/types.ts";

/** Counter name → value. */
export type UsageFields = Record<string, number>;
/** dimension → field → value */
export type UsageBucket = Record<string, UsageFields>;

/** Where usage counters live; implement it for an atomic backend (e.g. redis HINCRBY). */
export interface UsageStore {
  /** Adds `fields` to the counters of `dimension` in `bucket`, atomically. */
  increment(bucket: string, dimension: string, fields: UsageFields): Promise<void>;
  /** Adds several dimensions at once (one write per bucket for the default store). */
  incrementMany?(bucket: string, dims: UsageBucket): Promise<void>;
  /**
   * Adds the sums of one usage-journal segment, once: the bucket keeps the ids of the segments added
   * to it in the same write, so replaying a segment after a crash never counts it twice. Marks of
   * segments for which `keep` is false (their file is gone) are dropped. Only stores that can write
   * the counters and the mark in one step implement it; the journal is used only with those.
   */
  incrementOnce?(bucket: string, dims: UsageBucket, segment: string, keep: (segment: string) => boolean): Promise<void>;
  read(bucket: string): Promise<UsageBucket>;
  /** Every bucket name held (`hour:...`, `day:...`). */
  buckets(): Promise<string[]>;
  remove(bucket: string): Promise<void>;
}

const PREFIX = "usage";
/** Journal segments applied to a bucket (not a dimension: those always hold two "|"). */
const MARKS = "#journal";

export function addFields(into: UsageFields, fields: UsageFields): void {
  // for…in, not Object.entries: twice per counted request, and no pair arrays to collect.
  for (const name in fields) {
    const value = fields[name];
    if (typeof value === "number" && Number.isFinite(value) && value !== 0) into[name] = (into[name] ?? 0) + value;
  }
}

/** Bucket locks per storage object: two proxies in one process over one storage share them. */
const locksOf = new WeakMap<object, Map<string, Promise<void>>>();

/** The default usage store: counters kept in any `StorageLike` (one item per bucket). */
export function createStorageUsageStore(storage: StorageLike): UsageStore {
  let locks = locksOf.get(storage);
  if (!locks) locksOf.set(storage, (locks = new Map<string, Promise<void>>()));
  // Serialises read-modify-write per bucket; the chain is dropped once idle.
  const locked = (bucket: string, work: () => Promise<void>): Promise<void> => {
    const locks = locksOf.get(storage)!;
    const previous = locks.get(bucket) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => {});
    locks.set(bucket, tail);
    void tail.then(() => {
      if (locks.get(bucket) === tail) locks.delete(bucket);
    });
    return next;
  };
  const key = (bucket: string) => `${PREFIX}:${bucket}`;
  const load = async (bucket: string): Promise<UsageBucket> => {
    const value = await storage.getItem<UsageBucket | string>(key(bucket));
    if (!value) return {};
    return typeof value === "string" ? (JSON.parse(value) as UsageBucket) : value;
  };
  const incrementMany = (bucket: string, dims: UsageBucket) =>
    locked(bucket, async () => {
      const current = await load(bucket);
      for (const [dimension, fields] of Object.entries(dims)) addFields((current[dimension] ??= {}), fields);
      await storage.setItem(key(bucket), current);
    });
  const incrementOnce = (bucket: string, dims: UsageBucket, segment: string, keep: (segment: string) => boolean) =>
    locked(bucket, async () => {
      const current = await load(bucket);
      const marks = current[MARKS] ?? {};
      if (marks[segment]) return; // written before a crash: already counted
      for (const [dimension, fields] of Object.entries(dims)) addFields((current[dimension] ??= {}), fields);
      const kept: UsageFields = { [segment]: 1 };
      for (const id of Object.keys(marks)) if (keep(id)) kept[id] = 1;
      current[MARKS] = kept;
      await storage.setItem(key(bucket), current);
    });
  return {
    increment: (bucket, dimension, fields) => incrementMany(bucket, { [dimension]: fields }),
    incrementMany,
    incrementOnce,
    async read(bucket) {
      const current = await load(bucket);
      delete current[MARKS];
      return current;
    },
    async buckets() {
      const keys = await storage.getKeys(PREFIX);
      // unstorage normalises separators to ":"; drop our prefix and any file extension noise.
      return keys.map((k) => k.replace(/^usage:/, "")).filter((k) => /^(hour|day):/.test(k));
    },
    remove: (bucket) => locked(bucket, () => storage.removeItem(key(bucket))),
  };
}
