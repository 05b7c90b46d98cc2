// What several proxy instances sharing one storage need beyond get/set: locks with expiry, atomic
// counters, and change notifications. unstorage's API has none of these, so they live here, once
// in-process (memory, fs: one process) and once on redis (every instance on the same redis).
import { setTimeout as delay } from "node:timers/promises";

/** A held lock: pass it back to `unlock`. */
export interface LockHandle {
  name: string;
  /** Random owner token: only the holder can release the lock. */
  token: string;
}

/** Fired with `true` when the shared backend becomes unreachable and `false` when it is back. */
export type StatusListener = (degraded: boolean) => void;

/** Locks, counters and pub/sub shared by every proxy instance on the same storage. */
export interface Coordinator {
  /** `memory`: this process only (memory and file drivers); `redis`: every instance on the same redis. */
  readonly kind: "memory" | "redis";
  /** True while the shared backend is unreachable (requests are then served from memory). */
  readonly degraded: boolean;
  /** Takes `name` for `ttlMs` (a crashed holder's lock expires); `undefined` when someone else holds it. */
  lock(name: string, ttlMs: number): Promise<LockHandle | undefined>;
  /** Releases a lock if this caller still owns it (compare-and-delete). */
  unlock(lock: LockHandle): Promise<boolean>;
  /** Resolves when `name` is free, or after `timeoutMs`. */
  waitUnlocked(name: string, timeoutMs: number): Promise<void>;
  /** Runs `work` holding `name`, waiting up to `waitMs` (default: `ttlMs`) to get it. */
  withLock<T>(name: string, ttlMs: number, work: () => Promise<T>, waitMs?: number): Promise<T>;
  /** Atomic increment of a counter; returns the new value. */
  incr(key: string, by?: number): Promise<number>;
  /** Atomic increments of several fields of one hash (redis HINCRBY). */
  hincrby(key: string, fields: Record<string, number>): Promise<void>;
  hgetall(key: string): Promise<Record<string, number>>;
  hdel(key: string, fields: string[]): Promise<void>;
  /** Compare-and-set of a string value (`null`: the key must not exist). */
  cas(key: string, expected: string | null, next: string): Promise<boolean>;
  get(key: string): Promise<string | null>;
  del(key: string): Promise<void>;
  /** Announces `message` (JSON-serializable) to every subscriber of `channel`, this instance included. */
  publish(channel: string, message: unknown): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(channel: string, fn: (message: unknown) => void): () => void;
  /** Resolves once messages on `channel` reach this instance (redis acknowledged the SUBSCRIBE). */
  subscribed(channel: string): Promise<void>;
  /** Degradation changes (redis lost / back). Returns the unsubscribe function. */
  onStatus(fn: StatusListener): () => void;
  dispose(): Promise<void>;
}

/** Thrown, without waiting, by shared operations while the backend is unreachable. */
export class StorageUnavailableError extends Error {
  /** Marker read by callers that stay quiet while degraded (the outage is logged once elsewhere). */
  readonly degraded = true;
  constructor(message = "shared storage is unavailable") {
    super(message);
    this.name = "StorageUnavailableError";
  }
}

export function isUnavailable(error: unknown): boolean {
  return !!error && typeof error === "object" && (error as { degraded?: unknown }).degraded === true;
}

/** Rejects with StorageUnavailableError when `promise` takes longer than `ms`: nothing waits on a dead backend. */
export function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StorageUnavailableError(`${what} timed out after ${ms} ms`)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Waits `ms` without keeping the process alive; `wake` ends the wait early (it never rejects). */
export const sleep = (ms: number, wake?: AbortSignal): Promise<void> =>
  delay(ms, undefined, { ref: false, signal: wake }).catch(() => {});
