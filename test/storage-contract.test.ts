// The storage contract (test/_storage-contract.ts) run against every backend the proxy supports:
// memory, the CLI's fs backend (atomic writes) and redis (a real redis-server on a loopback port).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStorage } from "unstorage";
import { afterAll, beforeAll } from "vitest";
import { atomicFsDriver } from "../src/storage/atomic-fs.ts";
import type { StorageLike } from "../src/storage/types.ts";
import { storageContract } from "./_storage-contract.ts";
import { checkRedis, redisStorage, startRedis, type RedisServer } from "./_redis.ts";

const clear = (storage: StorageLike) => (storage as unknown as { clear(): Promise<void> }).clear();

// One process: both "instances" share the storage object, as two proxies mounted in one host would.
const memory = createStorage() as unknown as StorageLike;
storageContract("memory", { open: () => memory, clear });

const dir = mkdtempSync(join(tmpdir(), "gcp-contract-fs-"));
const fs = createStorage({ driver: atomicFsDriver({ base: dir }) }) as unknown as StorageLike;
storageContract("fs (atomic)", {
  open: () => fs,
  clear,
  close: async () => rmSync(dir, { recursive: true, force: true }),
});

// redis: every instance opens its own connection, as separate processes do.
const withRedis = checkRedis("storage contract: redis");
let server: RedisServer | undefined;
beforeAll(async () => {
  if (withRedis) server = await startRedis();
});
afterAll(async () => {
  await server?.close();
});
storageContract("redis", { open: () => redisStorage(server!), clear }, withRedis);
