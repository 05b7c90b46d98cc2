// Degraded mode for a shared (redis) storage. While redis is unreachable the proxy keeps serving
// from the pool's in-memory state: reads fail at once (no 10 s ioredis retries on the request path),
// writes are queued (last write per key wins) and land when redis is back. Every call is bounded by
// a timeout. The outage is logged once when it starts and once when it ends, never per request.
import type { Logger } from "../types.ts";
import { StorageUnavailableError, bounded, isUnavailable, type Coordinator } from "./coordination/index.ts";
import type { StorageLike } from "./types.ts";

/** What `/health` shows about the storage. */
export interface StorageStatus {
  /** `redis` when instances share state through redis, `local` otherwise. */
  backend: "redis" | "local";
  /** True while redis is unreachable: requests are served from memory, writes wait in a queue. */
  degraded: boolean;
  /** Epoch ms when the current outage began. */
  since?: number;
  /** Writes waiting for redis. */
  queuedWrites: number;
}

export interface ResilientStorage extends StorageLike {
  status(): StorageStatus;
  /** Writes the queue now (also done automatically when redis is back). */
  flushQueue(): Promise<void>;
  /** Called after redis came back and the queued writes landed. */
  onRecovered(fn: () => void): () => void;
  /** Stops listening to the coordinator (the wrapped storage is not disposed). */
  detach(): void;
}

type Queued =
  | { op: "set"; value: unknown; opts?: Record<string, unknown>; at: number }
  | { op: "remove"; opts?: Record<string, unknown>; at: number };

/** Longest a storage call may take before it counts as an outage. */
export const STORAGE_TIMEOUT_MS = 2500;
/** Cap on queued keys during a long outage (oldest dropped first, logged once). */
const MAX_QUEUED = 10_000;
const CONNECTION_ERROR = /connect|closed|ECONN|EPIPE|ETIMEDOUT|MaxRetries|writeable|offline/i;

export function createResilientStorage(
  storage: StorageLike,
  coordinator: Coordinator,
  logger: Pick<Logger, "warn" | "info">,
): ResilientStorage {
  const queue = new Map<string, Queued>();
  const recovered = new Set<() => void>();
  let since: number | undefined;
  let flushing: Promise<void> | undefined;
  let droppedLogged = false;

  const isOutage = (error: unknown) =>
    isUnavailable(error) || coordinator.degraded || CONNECTION_ERROR.test((error as Error)?.message ?? "");

  const enterOutage = () => {
    if (since !== undefined) return;
    since = Date.now();
    logger.warn(
      "storage: redis is unreachable; serving from the last known state in memory, writes are queued until it is back.",
    );
  };

  const enqueue = (key: string, item: Queued) => {
    enterOutage();
    queue.delete(key); // re-insert: the queue stays in write order
    queue.set(key, item);
    if (queue.size > MAX_QUEUED) {
      queue.delete(queue.keys().next().value!);
      if (!droppedLogged)
        logger.warn(`storage: more than ${MAX_QUEUED} writes queued during the redis outage; the oldest are dropped.`);
      droppedLogged = true;
    }
  };

  const write = async (key: string, item: Queued) => {
    if (item.op === "set") {
      // A TTL counts from when the write was made, not from when it lands.
      const ttl = item.opts?.ttl;
      const opts =
        typeof ttl === "number"
          ? { ...item.opts, ttl: Math.max(1, Math.ceil(ttl - (Date.now() - item.at) / 1000)) }
          : item.opts;
      await bounded(storage.setItem(key, item.value, opts), STORAGE_TIMEOUT_MS, `storage write ${key}`);
    } else await bounded(storage.removeItem(key, item.opts), STORAGE_TIMEOUT_MS, `storage remove ${key}`);
  };

  const flushQueue = () =>
    (flushing ??= (async () => {
      let written = 0;
      try {
        if (coordinator.degraded) return; // still down (e.g. close() during an outage): not "back"
        for (const [key, item] of [...queue]) {
          if (coordinator.degraded) return;
          await write(key, item);
          if (queue.get(key) === item) queue.delete(key); // unless a newer write was queued meanwhile
          written++;
        }
      } catch (error) {
        if (!isOutage(error)) logger.warn("storage: a queued write failed:", (error as Error)?.message ?? error);
        return;
      } finally {
        flushing = undefined;
      }
      if (queue.size > 0 || since === undefined) return;
      logger.info(
        `storage: redis is back after ${Math.round((Date.now() - since) / 1000)} s; ${written} queued write(s) landed.`,
      );
      since = undefined;
      droppedLogged = false;
      for (const fn of recovered) fn();
    })());

  const stopStatus = coordinator.onStatus((degraded) => {
    if (degraded) enterOutage();
    else void flushQueue();
  });

  const mutate = async (key: string, item: Queued) => {
    if (coordinator.degraded || queue.size > 0) return enqueue(key, item); // keep write order behind the queue
    try {
      await write(key, item);
    } catch (error) {
      if (!isOutage(error)) throw error;
      enqueue(key, item);
    }
  };

  const read = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    if (coordinator.degraded) throw new StorageUnavailableError(`${what}: redis is unreachable`);
    try {
      return await bounded(call(), STORAGE_TIMEOUT_MS, what);
    } catch (error) {
      if (isOutage(error)) {
        enterOutage();
        throw error instanceof StorageUnavailableError
          ? error
          : new StorageUnavailableError(`${what}: ${(error as Error).message}`);
      }
      throw error;
    }
  };

  const wrapped: ResilientStorage & { getMount?: unknown } = {
    async getItem<T>(key: string, opts?: Record<string, unknown>) {
      const queued = queue.get(key);
      if (queued) return (queued.op === "set" ? structuredClone(queued.value) : null) as T | null; // read your own queued write
      return read(`storage read ${key}`, () => storage.getItem<T>(key, opts));
    },
    async hasItem(key, opts) {
      const queued = queue.get(key);
      if (queued) return queued.op === "set";
      return read(`storage read ${key}`, () =>
        storage.hasItem ? storage.hasItem(key, opts) : storage.getItem(key, opts).then((v) => v !== null),
      );
    },
    getKeys: (base, opts) => read(`storage keys ${base ?? ""}`, () => storage.getKeys(base, opts)),
    setItem: (key, value, opts) => mutate(key, { op: "set", value, opts, at: Date.now() }),
    removeItem: (key, opts) => mutate(key, { op: "remove", opts, at: Date.now() }),
    dispose: storage.dispose ? () => storage.dispose!() : undefined,
    status: () => ({
      backend: coordinator.kind === "redis" ? "redis" : "local",
      degraded: coordinator.degraded || since !== undefined,
      since,
      queuedWrites: queue.size,
    }),
    flushQueue,
    onRecovered(fn) {
      recovered.add(fn);
      return () => void recovered.delete(fn);
    },
    detach: stopStatus,
  };
  // Keep the redis mount reachable through the wrapper (the usage store and tests look for it).
  const getMount = (storage as { getMount?: (key?: string) => unknown }).getMount;
  if (typeof getMount === "function") wrapped.getMount = (key?: string) => getMount.call(storage, key);
  return wrapped;
}
