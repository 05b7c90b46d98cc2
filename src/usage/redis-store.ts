// The UsageStore on redis: one hash per bucket, one HINCRBY per counter, so any number of instances
// add to the same totals without a read-modify-write (the default store's per-process mutex can't
// span processes). Bucket names are kept in a registry hash for `buckets()`.
import type { Coordinator } from "../storage/coordination/index.ts";
import type { StorageLike } from "../storage/types.ts";
import { createStorageUsageStore, type UsageBucket, type UsageFields, type UsageStore } from "./store.ts";

/** Hash of bucket names (fields) → increments seen; one hash per bucket holds its counters. */
const REGISTRY = "usage-buckets";
const bucketKey = (bucket: string) => `usage-bucket:${bucket}`;
/** dimension and counter name in one hash field (the unit separator appears in neither). */
const SEP = "\u001f";

/** Atomic usage counters shared by every instance on the same redis (picked automatically with redis storage). */
export function createRedisUsageStore(coordinator: Coordinator): UsageStore {
  const incrementMany = async (bucket: string, dims: UsageBucket): Promise<void> => {
    const fields: Record<string, number> = {};
    for (const [dimension, counters] of Object.entries(dims)) {
      for (const [name, value] of Object.entries(counters)) {
        if (typeof value === "number" && Number.isFinite(value) && value !== 0)
          fields[`${dimension}${SEP}${name}`] = Math.round(value);
      }
    }
    if (Object.keys(fields).length === 0) return;
    await coordinator.hincrby(bucketKey(bucket), fields);
    await coordinator.hincrby(REGISTRY, { [bucket]: 1 });
  };
  return {
    increment: (bucket, dimension, fields: UsageFields) => incrementMany(bucket, { [dimension]: fields }),
    incrementMany,
    async read(bucket) {
      const out: UsageBucket = {};
      for (const [field, value] of Object.entries(await coordinator.hgetall(bucketKey(bucket)))) {
        const at = field.lastIndexOf(SEP);
        if (at < 0 || !Number.isFinite(value)) continue;
        (out[field.slice(0, at)] ??= {})[field.slice(at + 1)] = value;
      }
      return out;
    },
    async buckets() {
      return Object.keys(await coordinator.hgetall(REGISTRY)).filter((b) => /^(hour|day):/.test(b));
    },
    async remove(bucket) {
      await coordinator.del(bucketKey(bucket));
      await coordinator.hdel(REGISTRY, [bucket]);
    },
  };
}

/** The usage store a proxy uses by default: HINCRBY on redis, the storage itself otherwise. */
export function defaultUsageStore(storage: StorageLike, coordinator: Coordinator): UsageStore {
  return coordinator.kind === "redis" ? createRedisUsageStore(coordinator) : createStorageUsageStore(storage);
}
