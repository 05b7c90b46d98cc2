// Where managed keys live: one storage item per key under `client-keys:k:<sha256 of the key>`, and
// an in-memory map by hash and by id that every lookup reads (no storage read per request). Each
// change writes a new version item and announces itself on `client-keys:changed`; other instances
// reload that key at once, and a poll of the version item (one read every `refreshMs`) catches a
// notice lost while redis was away, and changes made by another process on the same fs storage
// (the CLI next to a running server).
import { isUnavailable } from "../storage/coordination/index.ts";
import { mapBounded } from "../storage/map-bounded.ts";
import { randomUUID } from "node:crypto";
import type { Coordinator } from "../storage/coordination/index.ts";
import type { StorageLike } from "../storage/types.ts";
import type { Logger } from "../types.ts";
import { compileModels } from "./glob.ts";
import type { StoredClientKey } from "./types.ts";

export const KEY_PREFIX = "client-keys:k";
const SEEN_PREFIX = "client-keys:seen";
const VERSION = "client-keys:version";
export const CHANGED = "client-keys:changed";

/** A stored key with its compiled model test and expiry, as lookups need it. */
export interface CachedKey {
  record: StoredClientKey;
  allows: (model: string) => boolean;
  expiresAt: number | undefined;
}

export interface KeyStore {
  load(): Promise<void>;
  byHash(hash: string): CachedKey | undefined;
  byId(id: string): CachedKey | undefined;
  all(): CachedKey[];
  size(): number;
  /** Writes a record (already checked) and tells every instance. */
  save(record: StoredClientKey): Promise<void>;
  remove(record: StoredClientKey): Promise<void>;
  seen(id: string): Promise<number | undefined>;
  markSeen(id: string, at: number): Promise<void>;
  stop(): void;
}

const itemKey = (hash: string) => `${KEY_PREFIX}:${hash}`;

function cached(record: StoredClientKey): CachedKey {
  const at = record.expires_at ? Date.parse(record.expires_at) : undefined;
  return { record, allows: compileModels(record.models), expiresAt: Number.isNaN(at) ? undefined : at };
}

export function createKeyStore(
  storage: StorageLike,
  coordinator: Coordinator,
  logger: Logger,
  refreshMs: number,
): KeyStore {
  const hashes = new Map<string, CachedKey>();
  const ids = new Map<string, CachedKey>();
  let version: string | null = null;
  let poll: ReturnType<typeof setInterval> | undefined;
  let unsubscribe: (() => void) | undefined;

  const put = (entry: CachedKey) => {
    const old = ids.get(entry.record.id);
    if (old && old.record.hash !== entry.record.hash) hashes.delete(old.record.hash);
    hashes.set(entry.record.hash, entry);
    ids.set(entry.record.id, entry);
  };
  const drop = (hash: string) => {
    const entry = hashes.get(hash);
    hashes.delete(hash);
    if (entry && ids.get(entry.record.id) === entry) ids.delete(entry.record.id);
  };

  const readVersion = async () => (await storage.getItem<{ version?: string }>(VERSION))?.version ?? null;

  async function reloadOne(hash: string): Promise<void> {
    const record = await storage.getItem<StoredClientKey>(itemKey(hash));
    if (record && record.hash === hash) put(cached(record));
    else drop(hash);
  }

  async function reloadAll(): Promise<void> {
    const seenVersion = await readVersion().catch(() => version);
    const keys = await storage.getKeys(KEY_PREFIX);
    const next = new Map<string, CachedKey>();
    // A few at a time: thousands of keys must not open thousands of reads at once.
    const records = await mapBounded(keys, (key) => storage.getItem<StoredClientKey>(key));
    for (const record of records) if (record?.hash && record.id) next.set(record.hash, cached(record));
    hashes.clear();
    ids.clear();
    for (const entry of next.values()) put(entry);
    version = seenVersion;
  }

  const announce = async (hash: string) => {
    version = randomUUID();
    await storage.setItem(VERSION, { version });
    await coordinator.publish(CHANGED, { hash }).catch(() => {});
  };

  return {
    async load() {
      unsubscribe ??= coordinator.subscribe(CHANGED, (message) => {
        const hash = (message as { hash?: unknown })?.hash;
        if (typeof hash === "string")
          reloadOne(hash).catch((error) => logger.warn(`client keys: reload failed: ${(error as Error).message}`));
      });
      await coordinator.subscribed(CHANGED).catch(() => {});
      await reloadAll().catch((error: unknown) => {
        // Shared storage down at start: serve without managed keys; the poll loads them once it answers.
        if (!isUnavailable(error)) throw error;
        version = "not loaded";
        logger.warn("client keys: storage unreachable at start; managed keys load when it is back");
      });
      poll ??= setInterval(() => {
        readVersion()
          .then((current) => (current !== version ? reloadAll() : undefined))
          .catch(() => {}); // redis away: keep serving from memory
      }, refreshMs);
      poll.unref?.();
    },
    byHash: (hash) => hashes.get(hash),
    byId: (id) => ids.get(id),
    all: () => [...ids.values()],
    size: () => ids.size,
    async save(record) {
      await storage.setItem(itemKey(record.hash), record);
      put(cached(record));
      await announce(record.hash);
    },
    async remove(record) {
      await storage.removeItem(itemKey(record.hash));
      await storage.removeItem(`${SEEN_PREFIX}:${record.id}`).catch(() => {});
      drop(record.hash);
      await announce(record.hash);
    },
    async seen(id) {
      const item = await storage.getItem<{ at?: number }>(`${SEEN_PREFIX}:${id}`).catch(() => null);
      return typeof item?.at === "number" ? item.at : undefined;
    },
    async markSeen(id, at) {
      await storage.setItem(`${SEEN_PREFIX}:${id}`, { at });
    },
    stop() {
      if (poll) clearInterval(poll);
      poll = undefined;
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}
