// The CLI's storage: fs under ~/.gemini-cli-proxy by default, memory or redis when configured.
// Writes are tracked, so a command or a shutdown can wait until the pool's state has landed.
import { createStorage } from "unstorage";
import { atomicFsDriver } from "../storage/atomic-fs.ts";
import type { StorageLike } from "../storage/types.ts";
import type { CliSettings } from "./settings.ts";

export interface CliStorage extends StorageLike {
  /** Resolves when every write started so far has finished. */
  idle(): Promise<void>;
}

function tracked(storage: StorageLike): CliStorage {
  const pending = new Set<Promise<unknown>>();
  const track = <T>(promise: Promise<T>): Promise<T> => {
    pending.add(promise);
    promise.then(
      () => pending.delete(promise),
      () => pending.delete(promise),
    );
    return promise;
  };
  return {
    getItem: (key, opts) => storage.getItem(key, opts),
    getKeys: (base, opts) => storage.getKeys(base, opts),
    hasItem: storage.hasItem ? (key, opts) => storage.hasItem!(key, opts) : undefined,
    setItem: (key, value, opts) => track(storage.setItem(key, value, opts)),
    removeItem: (key, opts) => track(storage.removeItem(key, opts)),
    async idle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    async dispose() {
      while (pending.size) await Promise.allSettled([...pending]);
      await storage.dispose?.();
    },
    // The proxy finds the redis client through the root mount (shared locks, counters, pub/sub).
    ...("getMount" in storage
      ? { getMount: (key?: string) => (storage as { getMount(k?: string): unknown }).getMount(key) }
      : {}),
  };
}

export async function createCliStorage(settings: CliSettings["storage"]): Promise<CliStorage> {
  if (settings.driver === "memory") return tracked(createStorage());
  if (settings.driver === "redis") {
    const { default: redisDriver } = await import("unstorage/drivers/redis").catch((error: unknown) => {
      throw missingPackageError(error, "ioredis", "storage.driver is redis") ?? error;
    });
    const driver = redisDriver({
      url: settings.url ?? "redis://127.0.0.1:6379",
      base: settings.base,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
    });
    return tracked(createStorage({ driver }));
  }
  // Write-then-rename: a crash mid-write never leaves a truncated record (fs-lite writes in place).
  return tracked(createStorage({ driver: atomicFsDriver({ base: settings.base }) }));
}

/** One clear line for an optional peer dependency that is not installed (undefined for other errors). */
export function missingPackageError(error: unknown, pkg: string, why: string): Error | undefined {
  const { code, message = "" } = (error ?? {}) as { code?: string; message?: string };
  const missing =
    (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
    (message.includes(`'${pkg}'`) || message.includes(`"${pkg}"`));
  return missing
    ? new Error(
        `${why}, which needs the optional package ${pkg}: install it with \`npm i ${pkg}\` next to gemini-cli-proxy`,
      )
    : undefined;
}
