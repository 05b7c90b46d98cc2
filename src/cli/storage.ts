// The CLI's storage: fs under ~/.gemini-cli-proxy by default, memory or redis when configured.
import { createStorage } from "unstorage";
import fsLiteDriver from "unstorage/drivers/fs-lite";
import type { StorageLike } from "../storage/types.ts";
import { ConfigError, expandHome, type FileConfig } from "./config.ts";

export const DEFAULT_DATA_DIR = "~/.gemini-cli-proxy";

export async function createCliStorage(config: FileConfig["storage"], dataDir?: string): Promise<StorageLike> {
  const driver = config?.driver ?? "fs";
  if (driver === "memory") return createStorage() as unknown as StorageLike;
  if (driver === "fs") {
    const base = expandHome(dataDir ?? config?.base ?? DEFAULT_DATA_DIR);
    return createStorage({ driver: fsLiteDriver({ base }) }) as unknown as StorageLike;
  }
  if (driver === "redis") {
    const { default: redisDriver } = await import("unstorage/drivers/redis");
    return createStorage({
      driver: redisDriver({ url: config?.url ?? "redis://127.0.0.1:6379", base: config?.base ?? "gcp", maxRetriesPerRequest: 1, connectTimeout: 2000 }),
    }) as unknown as StorageLike;
  }
  throw new ConfigError(`storage.driver must be "fs", "memory" or "redis" (got ${JSON.stringify(driver)})`);
}
