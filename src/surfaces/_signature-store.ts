// Gemini thought signatures kept server-side by OpenAI tool-call id, so a client that drops
// `extra_content` still gets its tool calls accepted by Gemini 3 (docs/openai-mapping.md#parts-and-thought-signatures). Stored through
// the proxy's storage (shared by every instance on redis/fs), with a TTL passed to the driver AND an
// expiry timestamp in the value, so drivers without TTL support still forget old entries.
import type { Logger } from "../types.ts";
import { createTtlStore, hashedKey } from "../storage/ttl-store.ts";
import type { StorageLike } from "../storage/types.ts";

export interface SignatureStore {
  /** Signatures known for these tool-call ids (missing and expired ones are left out). */
  load(ids: readonly string[]): Promise<Map<string, string>>;
  save(entries: readonly (readonly [toolCallId: string, signature: string])[]): Promise<void>;
}

export interface SignatureStoreOptions {
  /** Seconds an entry lives. Default 24 h. */
  ttlSec?: number;
  logger?: Logger;
  /** Clock (tests). */
  now?: () => number;
}

export const DEFAULT_SIGNATURE_TTL_SEC = 24 * 3600;
const PREFIX = "signatures";

/** Ids come from clients and from Google: hash them into a key no driver can misread (`:`, `/`, `..`). */
export function signatureKey(toolCallId: string): string {
  return hashedKey(PREFIX, toolCallId);
}

export function createSignatureStore(storage: StorageLike, options: SignatureStoreOptions = {}): SignatureStore {
  const entries = createTtlStore<{ signature: string }>(storage, {
    prefix: PREFIX,
    ttlSec: options.ttlSec ?? DEFAULT_SIGNATURE_TTL_SEC,
    now: options.now ?? Date.now,
    isValue: (e) => typeof e.signature === "string",
  });
  const warn = (what: string, error: unknown) =>
    options.logger?.warn(`thought signatures: ${what} failed: ${(error as Error)?.message ?? error}`);

  async function loadOne(id: string): Promise<[string, string] | undefined> {
    const entry = await entries.get(id);
    return entry && [id, entry.signature];
  }

  return {
    async load(ids) {
      const found = new Map<string, string>();
      if (ids.length === 0) return found;
      try {
        for (const hit of await Promise.all([...new Set(ids)].map(loadOne))) if (hit) found.set(hit[0], hit[1]);
      } catch (error) {
        // A storage outage degrades to the documented bypass signature; it never fails the request.
        warn("load", error);
      }
      return found;
    },
    async save(pairs) {
      if (pairs.length === 0) return;
      try {
        await Promise.all(pairs.map(([id, signature]) => entries.set(id, { signature })));
      } catch (error) {
        warn("save", error);
      }
    },
  };
}
