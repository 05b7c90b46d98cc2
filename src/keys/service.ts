// `proxy.keys`: create, list, update and revoke managed client keys, plus what the HTTP layer needs
// on every request (lookup by hash, limits). Changes are made under a per-key lock and written in
// one storage write after every field was checked, so nothing is ever half-written.
import type { Coordinator } from "../storage/coordination/index.ts";
import type { StorageLike } from "../storage/types.ts";
import type { Logger } from "../types.ts";
import { hashClientKey, newClientKey, newKeyId } from "./format.ts";
import { createKeyCounters, type KeyCounters } from "./limits.ts";
import { createKeyStore, type CachedKey } from "./store.ts";
import type {
  ClientKey,
  ClientKeyInput,
  ClientKeyPatch,
  ClientKeysApi,
  ClientKeysOptions,
  ClientKeyWithUsage,
  CreatedClientKey,
  StoredClientKey,
} from "./types.ts";
import { checkInput, checkPatch } from "./validate.ts";

/** `proxy.keys.update` on an id that does not exist (or was revoked). */
export class KeyNotFoundError extends Error {
  readonly id: string;
  constructor(id: string) {
    super(`No client key with id '${id}'`);
    this.name = "KeyNotFoundError";
    this.id = id;
  }
}

export interface ClientKeyService extends ClientKeysApi {
  /** Loads the key cache (once; again after a failure). */
  ready(): Promise<void>;
  readonly loaded: boolean;
  /** The managed key a plaintext key hashes to, from memory. */
  lookup(key: string): CachedKey | undefined;
  /** True when at least one managed key exists (skips hashing otherwise). */
  readonly any: boolean;
  counters: KeyCounters;
  /** Notes a use (persisted at most once a minute per key). */
  touch(id: string, now: number): void;
  close(): Promise<void>;
}

const SEEN_EVERY_MS = 60_000;

export function publicView(record: StoredClientKey, lastUsed: number | undefined): ClientKey {
  const { hash: _hash, ...rest } = record;
  return { ...rest, last_used_at: lastUsed ? new Date(lastUsed).toISOString() : null };
}

export function createClientKeyService(deps: {
  storage: StorageLike;
  coordinator: Coordinator;
  logger: Logger;
  options?: ClientKeysOptions;
}): ClientKeyService {
  const { storage, coordinator, logger } = deps;
  const store = createKeyStore(storage, coordinator, logger, deps.options?.refreshMs ?? 2000);
  const counters = createKeyCounters(coordinator, deps.options?.syncMs ?? 250);
  const seenWritten = new Map<string, number>();
  const seenAt = new Map<string, number>();
  let loading: Promise<void> | undefined;
  let loaded = false;

  const ready = () =>
    (loading ??= store.load().then(
      () => void (loaded = true),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));

  const entry = async (id: string) => {
    await ready();
    const found = store.byId(id);
    if (!found) throw new KeyNotFoundError(id);
    return found;
  };

  const lastUsed = async (id: string) => {
    const stored = await store.seen(id);
    const local = seenAt.get(id);
    return Math.max(stored ?? 0, local ?? 0) || undefined;
  };

  const withUsage = async (record: StoredClientKey): Promise<ClientKeyWithUsage> => ({
    ...publicView(record, await lastUsed(record.id)),
    usage: await counters.usage(record.id),
  });

  return {
    ready,
    get loaded() {
      return loaded;
    },
    get any() {
      return store.size() > 0;
    },
    lookup: (key) => store.byHash(hashClientKey(key)),
    counters,
    touch(id, now) {
      seenAt.set(id, now);
      if (now - (seenWritten.get(id) ?? 0) < SEEN_EVERY_MS) return;
      seenWritten.set(id, now);
      store.markSeen(id, now).catch(() => {}); // best effort: a missed "last used" is no harm
    },

    async create(input: ClientKeyInput): Promise<CreatedClientKey> {
      const checked = checkInput(input);
      await ready();
      const key = newClientKey();
      const record: StoredClientKey = {
        id: newKeyId(),
        hash: hashClientKey(key),
        name: checked.name,
        models: checked.models ?? [],
        rpm: checked.rpm ?? null,
        tpm: checked.tpm ?? null,
        daily_tokens: checked.daily_tokens ?? null,
        monthly_tokens: checked.monthly_tokens ?? null,
        expires_at: checked.expires_at ?? null,
        disabled: checked.disabled ?? false,
        created_at: new Date().toISOString(),
        metadata: checked.metadata ?? {},
      };
      await store.save(record);
      logger.debug(`client key created: ${record.id} (${record.name})`);
      return { key, client_key: publicView(record, undefined) };
    },
    async list() {
      await ready();
      const records = store.all().map((e) => e.record);
      records.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
      return Promise.all(records.map(withUsage));
    },
    async get(id) {
      await ready();
      const found = store.byId(id);
      return found ? withUsage(found.record) : undefined;
    },
    async update(id: string, patch: ClientKeyPatch) {
      const checked = checkPatch(patch);
      const { record: current } = await entry(id);
      return coordinator.withLock(`client-keys:${id}`, 5000, async () => {
        // Under the lock, from the storage: another instance may have changed it a moment ago.
        const fresh = (await storage.getItem<StoredClientKey>(`client-keys:k:${current.hash}`)) ?? undefined;
        if (!fresh) throw new KeyNotFoundError(id);
        const next: StoredClientKey = { ...fresh, ...checked };
        await store.save(next);
        logger.debug(`client key updated: ${id} (${Object.keys(checked).join(", ") || "no change"})`);
        return publicView(next, await lastUsed(id));
      });
    },
    async revoke(id) {
      await ready();
      const found = store.byId(id);
      if (!found) return false;
      await store.remove(found.record);
      await counters.forget(id);
      seenAt.delete(id);
      seenWritten.delete(id);
      logger.debug(`client key revoked: ${id} (${found.record.name})`);
      return true;
    },
    async close() {
      store.stop();
      await counters.stop();
    },
  };
}
