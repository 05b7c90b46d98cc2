// Entries that expire, kept through the proxy's storage (so every instance sharing it sees them):
// a TTL handed to the driver AND an expiry timestamp in the stored value, so drivers without TTL
// support still forget them. Ids come from clients and from Google: they are hashed into keys no
// driver can misread (`:`, `/`, `..`). Storage failures throw: each store decides what they mean.
import { createHash } from "node:crypto";
import type { StorageLike } from "./types.ts";

export interface TtlStoreOptions {
  /** Key namespace: entries live at `<prefix>:<hash of the id>`. */
  prefix: string;
  /** Seconds an entry lives. */
  ttlSec: number;
  now: () => number;
  /** Whether a stored value has the shape of a `T` (its expiry aside). */
  isValue: (value: Record<string, unknown>) => boolean;
  /** Also remove, when read, an entry of the wrong shape (by default only expired ones are removed). */
  removeMalformed?: boolean;
}

export interface TtlStore<T extends object> {
  /** The live value under `id`, or undefined; an expired entry is removed on the way (best effort). */
  get(id: string): Promise<T | undefined>;
  /** Stores `value` with its expiry. */
  set(id: string, value: T): Promise<void>;
  /** Removes every entry of the namespace that is expired or malformed. */
  sweep(): Promise<void>;
}

type Entry = Record<string, unknown> & { expiresAt?: unknown };

export function hashedKey(prefix: string, id: string): string {
  return `${prefix}:${createHash("sha256").update(id).digest("base64url")}`;
}

export function createTtlStore<T extends object>(storage: StorageLike, options: TtlStoreOptions): TtlStore<T> {
  const { prefix, ttlSec, now, isValue } = options;
  const wellFormed = (e: Entry | null): e is Entry & T => !!e && typeof e === "object" && isValue(e);
  const expired = (e: Entry): boolean => typeof e.expiresAt === "number" && e.expiresAt <= now();

  return {
    async get(id) {
      const key = hashedKey(prefix, id);
      const entry = await storage.getItem<Entry>(key);
      const valid = wellFormed(entry);
      if (valid && !expired(entry)) return entry;
      if (valid || (entry && options.removeMalformed)) await storage.removeItem(key).catch(() => {});
      return undefined;
    },
    async set(id, value) {
      await storage.setItem(hashedKey(prefix, id), { ...value, expiresAt: now() + ttlSec * 1000 }, { ttl: ttlSec });
    },
    async sweep() {
      for (const key of await storage.getKeys(prefix)) {
        const entry = await storage.getItem<Entry>(key);
        if (!wellFormed(entry) || expired(entry)) await storage.removeItem(key);
      }
    },
  };
}
