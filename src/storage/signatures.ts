// Gemini thought signatures kept server-side by OpenAI tool-call id, so a client that drops
// `extra_content` still gets its tool calls accepted by Gemini 3 (openai-compat.md 4.3). Stored through
// the proxy's storage (shared by every instance on redis/fs), with a TTL passed to the driver AND an
// expiry timestamp in the value, so drivers without TTL support still forget old entries.
import { createHash } from "node:crypto";
import type { Logger } from "../options.ts";
import type { StorageLike } from "./types.ts";

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

interface Entry {
  signature: string;
  expiresAt: number;
}

export const DEFAULT_SIGNATURE_TTL_SEC = 24 * 3600;
const PREFIX = "signatures";

/** Ids come from clients and from Google: hash them into a key no driver can misread (`:`, `/`, `..`). */
export function signatureKey(toolCallId: string): string {
  return `${PREFIX}:${createHash("sha256").update(toolCallId).digest("base64url")}`;
}

export function createSignatureStore(storage: StorageLike, options: SignatureStoreOptions = {}): SignatureStore {
  const ttl = options.ttlSec ?? DEFAULT_SIGNATURE_TTL_SEC;
  const now = options.now ?? Date.now;
  const warn = (what: string, error: unknown) => options.logger?.warn(`thought signatures: ${what} failed: ${(error as Error)?.message ?? error}`);

  async function loadOne(id: string): Promise<[string, string] | undefined> {
    const key = signatureKey(id);
    const entry = await storage.getItem<Entry>(key);
    if (!entry || typeof entry !== "object" || typeof entry.signature !== "string") return undefined;
    if (typeof entry.expiresAt === "number" && entry.expiresAt <= now()) {
      await storage.removeItem(key).catch(() => {});
      return undefined;
    }
    return [id, entry.signature];
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
    async save(entries) {
      if (entries.length === 0) return;
      const expiresAt = now() + ttl * 1000;
      try {
        await Promise.all(entries.map(([id, signature]) => storage.setItem(signatureKey(id), { signature, expiresAt } satisfies Entry, { ttl })));
      } catch (error) {
        warn("save", error);
      }
    },
  };
}
