// Picks the coordinator for a storage: redis when the storage's root mount is unstorage's redis
// driver, otherwise the in-process one, shared by every proxy created over the same storage object
// (so several proxies mounted in one host still act as one pool).
import type { StorageLike } from "../types.ts";
import { createMemoryCoordinator } from "./memory.ts";
import { createRedisCoordinator } from "./redis.ts";
import { redisMountOf } from "./redis-client.ts";
import type { Coordinator } from "./types.ts";

export type { Coordinator, LockHandle, StatusListener } from "./types.ts";
export { StorageUnavailableError, bounded, isUnavailable } from "./types.ts";
export { redisMountOf, type RedisClientLike, type RedisMount } from "./redis-client.ts";
export { createMemoryCoordinator } from "./memory.ts";
export { createRedisCoordinator } from "./redis.ts";

const shared = new WeakMap<object, Coordinator>();

/** The coordinator for `storage`. Dispose the returned one: it drops only its own subscriptions. */
export function createCoordinator(storage: StorageLike): Coordinator {
  const mount = redisMountOf(storage);
  if (mount) return createRedisCoordinator(mount);
  let core = shared.get(storage);
  if (!core) shared.set(storage, (core = createMemoryCoordinator()));
  return scoped(core);
}

/** A view of a shared coordinator whose dispose() only undoes what this view subscribed. */
function scoped(core: Coordinator): Coordinator {
  const mine = new Set<() => void>();
  return {
    ...core,
    kind: core.kind,
    get degraded() {
      return core.degraded;
    },
    subscribe(channel, fn) {
      const off = core.subscribe(channel, fn);
      mine.add(off);
      return () => {
        mine.delete(off);
        off();
      };
    },
    async dispose() {
      for (const off of mine) off();
      mine.clear();
    },
  };
}
