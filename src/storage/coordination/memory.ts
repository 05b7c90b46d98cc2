// The in-process coordinator (memory and file drivers): locks are entries in a map with an expiry,
// counters live in maps, pub/sub is an EventEmitter. Proxies in one process that share a storage
// instance share one of these, so they behave as one pool; separate processes do not (use redis).
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { runLocked } from "./_lock-loop.ts";
import { sleep, type Coordinator, type LockHandle, type StatusListener } from "./types.ts";

export function createMemoryCoordinator(): Coordinator {
  const locks = new Map<string, { token: string; until: number }>();
  const released = new EventEmitter();
  const bus = new EventEmitter();
  released.setMaxListeners(0);
  bus.setMaxListeners(0);
  const values = new Map<string, string>();
  const hashes = new Map<string, Record<string, number>>();

  const held = (name: string) => {
    const lock = locks.get(name);
    if (lock && lock.until <= Date.now()) locks.delete(name); // the holder forgot it: expired
    return locks.get(name);
  };

  const coordinator: Coordinator = {
    kind: "memory",
    degraded: false,
    async lock(name, ttlMs): Promise<LockHandle | undefined> {
      if (held(name)) return undefined;
      const token = randomUUID();
      locks.set(name, { token, until: Date.now() + ttlMs });
      return { name, token };
    },
    async unlock(lock) {
      if (held(lock.name)?.token !== lock.token) return false;
      locks.delete(lock.name);
      released.emit(lock.name);
      return true;
    },
    async waitUnlocked(name, timeoutMs) {
      const lock = held(name);
      if (!lock) return;
      const wait = Math.min(timeoutMs, Math.max(0, lock.until - Date.now()));
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          released.off(name, done);
          resolve();
        };
        const timer = setTimeout(done, wait);
        released.on(name, done);
      });
    },
    withLock(name, ttlMs, work, waitMs = ttlMs) {
      return runLocked(coordinator, name, ttlMs, work, waitMs, () => sleep(0));
    },
    async incr(key, by = 1) {
      const next = Number(values.get(key) ?? 0) + by;
      values.set(key, String(next));
      return next;
    },
    async hincrby(key, fields) {
      const hash = hashes.get(key) ?? {};
      for (const [field, by] of Object.entries(fields)) hash[field] = (hash[field] ?? 0) + by;
      hashes.set(key, hash);
    },
    async hgetall(key) {
      return { ...hashes.get(key) };
    },
    async hdel(key, fields) {
      const hash = hashes.get(key);
      for (const field of fields) if (hash) delete hash[field];
    },
    async cas(key, expected, next) {
      if ((values.get(key) ?? null) !== expected) return false;
      values.set(key, next);
      return true;
    },
    get: async (key) => values.get(key) ?? null,
    async del(key) {
      values.delete(key);
      hashes.delete(key);
    },
    async publish(channel, message) {
      // Asynchronous like redis: a publisher never runs its subscribers inside its own call stack.
      const copy = JSON.parse(JSON.stringify(message)) as unknown;
      setImmediate(() => bus.emit(channel, copy));
    },
    subscribe(channel, fn) {
      bus.on(channel, fn);
      return () => void bus.off(channel, fn);
    },
    subscribed: async () => {},
    onStatus(_fn: StatusListener) {
      return () => {}; // never degraded
    },
    async dispose() {
      bus.removeAllListeners();
    },
  };
  return coordinator;
}
