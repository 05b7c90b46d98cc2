// The redis coordinator: locks are SET NX PX with a random owner token and a Lua compare-and-delete
// unlock, counters are INCRBY/HINCRBY, a Lua script does compare-and-set, and notifications go
// through pub/sub on a duplicated connection. Commands use their own connection that fails fast
// (no offline queue, no retries), so while redis is down nothing waits: callers get a
// StorageUnavailableError at once and the coordinator reports `degraded`.
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { runLocked } from "./_lock-loop.ts";
import type { RedisClientLike, RedisMount } from "./redis-client.ts";
import {
  StorageUnavailableError,
  bounded,
  sleep,
  type Coordinator,
  type LockHandle,
  type StatusListener,
} from "./types.ts";

/** Longest a single redis command may take before it counts as an outage. */
export const COMMAND_TIMEOUT_MS = 2000;

const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) redis.call('PUBLISH', KEYS[2], ARGV[2]) return 1 else return 0 end`;
const CAS = `local v = redis.call('GET', KEYS[1])
if (ARGV[1] == '1' and v == false) or (ARGV[1] == '0' and v == ARGV[2]) then redis.call('SET', KEYS[1], ARGV[3]) return 1 end
return 0`;

export function createRedisCoordinator(mount: RedisMount): Coordinator {
  const { prefix } = mount;
  const connect = {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: COMMAND_TIMEOUT_MS,
    lazyConnect: false,
  };
  const cmd: RedisClientLike = mount.client.duplicate(connect);
  const sub: RedisClientLike = mount.client.duplicate({ connectTimeout: COMMAND_TIMEOUT_MS, lazyConnect: false });
  const status = new EventEmitter();
  const local = new EventEmitter(); // full channel → subscribers in this instance
  const acks = new Map<string, Promise<void>>();
  local.setMaxListeners(0);
  const unlockedChannel = `${prefix}coord:unlocked`;
  let degraded = false;
  let everReady = false;
  let disposed = false;

  const setDegraded = (value: boolean) => {
    if (disposed || degraded === value) return;
    degraded = value;
    status.emit("change", value);
  };
  // Without an error listener ioredis prints "Unhandled error event" on every reconnect attempt.
  const quiet = () => {};
  cmd.on("error", quiet);
  sub.on("error", quiet);
  // The storage's own client too (the outage is logged once by the resilient storage instead).
  mount.client.on("error", quiet);
  cmd.on("ready", () => {
    everReady = true;
    setDegraded(false);
  });
  // A first connection that fails counts too: redis down at start is an outage that ends at "ready".
  cmd.on("close", () => setDegraded(true));
  cmd.on("end", () => setDegraded(true));
  sub.on("message", ((channel: string, raw: string) => {
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return; // not ours
    }
    local.emit(channel, message);
  }) as never);

  // The first commands may run before the connection is up: they share one bounded wait for it.
  let firstConnect: Promise<void> | undefined;
  const ready = async (): Promise<RedisClientLike> => {
    if (cmd.status === "ready") return cmd;
    if (!everReady && !disposed) {
      await (firstConnect ??= bounded(
        new Promise<void>((resolve) => {
          const done = () => {
            cmd.off("ready", done);
            resolve();
          };
          cmd.on("ready", done);
        }),
        COMMAND_TIMEOUT_MS,
        "connecting to redis",
      ).catch(() => setDegraded(true)));
      if (cmd.status === "ready") return cmd;
    }
    throw new StorageUnavailableError("redis is unreachable");
  };
  const run = async <T>(what: string, fn: (c: RedisClientLike) => Promise<T>): Promise<T> => {
    const client = await ready();
    try {
      return await bounded(fn(client), COMMAND_TIMEOUT_MS, `redis ${what}`);
    } catch (error) {
      if (error instanceof StorageUnavailableError || cmd.status !== "ready")
        throw new StorageUnavailableError(`redis ${what}: ${(error as Error).message}`);
      throw error;
    }
  };

  const lockKey = (name: string) => `${prefix}lock:${name}`;

  const coordinator: Coordinator = {
    kind: "redis",
    get degraded() {
      return degraded;
    },
    async lock(name, ttlMs): Promise<LockHandle | undefined> {
      const token = randomUUID();
      const ok = await run("lock", (c) => c.set(lockKey(name), token, "PX", Math.max(1, Math.ceil(ttlMs)), "NX"));
      return ok === "OK" ? { name, token } : undefined;
    },
    async unlock(lock) {
      const done = await run("unlock", (c) =>
        c.eval(UNLOCK, 2, lockKey(lock.name), unlockedChannel, lock.token, JSON.stringify(lock.name)),
      );
      return done === 1;
    },
    async waitUnlocked(name, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const woken = new AbortController();
      const wake = (released: unknown) => {
        if (released === name) woken.abort();
      };
      const stop = coordinator.subscribe("coord:unlocked", wake);
      try {
        // The release notice wakes us at once; the short poll covers a holder that died (its lock expires).
        while (!woken.signal.aborted && Date.now() < deadline) {
          const ttl = await run("pttl", (c) => c.pttl(lockKey(name)));
          if (ttl < 0) return; // -2: free; -1 cannot happen (we always set PX)
          await sleep(Math.min(50, ttl, deadline - Date.now()), woken.signal);
        }
      } finally {
        stop();
      }
    },
    withLock(name, ttlMs, work, waitMs = ttlMs) {
      return runLocked(coordinator, name, ttlMs, work, waitMs);
    },
    incr: (key, by = 1) => run("incrby", (c) => c.incrby(prefix + key, by)),
    async hincrby(key, fields) {
      const entries = Object.entries(fields).filter(([, by]) => by !== 0);
      if (entries.length === 0) return;
      await run("hincrby", async (c) => {
        const multi = c.multi();
        for (const [field, by] of entries) multi.hincrby(prefix + key, field, by);
        await multi.exec();
      });
    },
    async hgetall(key) {
      const raw = await run("hgetall", (c) => c.hgetall(prefix + key));
      return Object.fromEntries(Object.entries(raw).map(([field, value]) => [field, Number(value)]));
    },
    async hdel(key, fields) {
      if (fields.length) await run("hdel", (c) => c.hdel(prefix + key, ...fields));
    },
    async cas(key, expected, next) {
      const done = await run("cas", (c) =>
        c.eval(CAS, 1, prefix + key, expected === null ? "1" : "0", expected ?? "", next),
      );
      return done === 1;
    },
    get: (key) => run("get", (c) => c.get(prefix + key)),
    async del(key) {
      await run("del", (c) => c.del(prefix + key));
    },
    async publish(channel, message) {
      await run("publish", (c) => c.publish(`${prefix}${channel}`, JSON.stringify(message)));
    },
    subscribe(channel, fn) {
      const full = `${prefix}${channel}`;
      // ioredis re-subscribes after a reconnect; the first acknowledgement is kept for subscribed().
      if (local.listenerCount(full) === 0)
        acks.set(
          full,
          sub.subscribe(full).then(
            () => {},
            () => {},
          ),
        );
      local.on(full, fn);
      return () => {
        local.off(full, fn);
        if (local.listenerCount(full) === 0 && !disposed) sub.unsubscribe(full).catch(() => {});
      };
    },
    subscribed: (channel) => acks.get(`${prefix}${channel}`) ?? Promise.resolve(),
    onStatus(fn: StatusListener) {
      status.on("change", fn);
      return () => void status.off("change", fn);
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      local.removeAllListeners();
      status.removeAllListeners();
      mount.client.off("error", quiet);
      // quit() waits for a reply that never comes while redis is down: disconnect at once then.
      for (const c of [cmd, sub]) {
        if (c.status === "ready") await bounded(c.quit(), 500, "quit").catch(() => c.disconnect());
        else c.disconnect();
      }
    },
  };
  return coordinator;
}
