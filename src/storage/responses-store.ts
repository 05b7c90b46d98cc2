// Stored Responses API conversations for previous_response_id: the whole history (chat-message form,
// thought signatures included) under the response id, through the proxy's storage so every instance
// sharing it can continue a conversation. Entries carry a TTL for the driver AND an expiry in the
// value (drivers without TTL support still forget them), and expired entries are swept now and then
// so an in-memory store does not grow without bound.
import { createHash } from "node:crypto";
import type { Logger } from "../options.ts";
import type { StorageLike } from "./types.ts";

export interface StoredConversation {
  /** Chat-completions messages: every earlier input and answer (instructions excluded). */
  messages: Record<string, unknown>[];
  /** The Gemini model that answered. */
  model: string;
}

export interface ResponseStore {
  /** The stored conversation, or undefined when unknown or expired. Storage failures throw. */
  load(responseId: string): Promise<StoredConversation | undefined>;
  /** Best effort: a storage failure is logged, never fails the request. */
  save(responseId: string, conversation: StoredConversation): Promise<void>;
}

export interface ResponseStoreOptions {
  /** Seconds an entry lives. Default 6 h. */
  ttlSec?: number;
  logger?: Logger;
  now?: () => number;
  /** Least time between two sweeps of expired entries, in ms. Default 10 min. */
  sweepIntervalMs?: number;
}

interface Entry extends StoredConversation {
  expiresAt: number;
}

export const DEFAULT_RESPONSE_TTL_SEC = 6 * 3600;
const PREFIX = "responses";

/** Ids come from clients: hashed into a key no driver can misread. */
export function responseKey(responseId: string): string {
  return `${PREFIX}:${createHash("sha256").update(responseId).digest("base64url")}`;
}

export function createResponseStore(storage: StorageLike, options: ResponseStoreOptions = {}): ResponseStore {
  const ttl = options.ttlSec ?? DEFAULT_RESPONSE_TTL_SEC;
  const now = options.now ?? Date.now;
  const sweepEvery = options.sweepIntervalMs ?? 10 * 60_000;
  let lastSweep = now();

  const isLive = (e: Entry | null): e is Entry =>
    !!e && typeof e === "object" && Array.isArray(e.messages) && typeof e.model === "string" && (typeof e.expiresAt !== "number" || e.expiresAt > now());

  async function sweep(): Promise<void> {
    lastSweep = now();
    for (const key of await storage.getKeys(PREFIX)) {
      const entry = await storage.getItem<Entry>(key);
      if (!isLive(entry)) await storage.removeItem(key);
    }
  }

  return {
    async load(responseId) {
      const key = responseKey(responseId);
      const entry = await storage.getItem<Entry>(key);
      if (isLive(entry)) return { messages: entry.messages, model: entry.model };
      if (entry) await storage.removeItem(key).catch(() => {});
      return undefined;
    },
    async save(responseId, conversation) {
      const entry: Entry = { ...conversation, expiresAt: now() + ttl * 1000 };
      try {
        await storage.setItem(responseKey(responseId), entry, { ttl });
        // Off the request's path: a slow sweep must not delay the answer.
        if (now() - lastSweep >= sweepEvery) sweep().catch((error: unknown) => options.logger?.warn(`stored responses: sweep failed: ${(error as Error)?.message ?? error}`));
      } catch (error) {
        options.logger?.warn(`stored responses: save failed: ${(error as Error)?.message ?? error}`);
      }
    },
  };
}
