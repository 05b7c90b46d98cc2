// Stored Responses API conversations for previous_response_id: the whole history (neutral turns,
// thought signatures included; entries written before that form are treated as unknown) under the response id, through the proxy's storage so every instance
// sharing it can continue a conversation. Entries carry a TTL for the driver AND an expiry in the
// value (drivers without TTL support still forget them), and expired entries are swept now and then
// so an in-memory store does not grow without bound.
import type { ChatTurn } from "../../chat/types.ts";
import type { Logger } from "../../types.ts";
import { createTtlStore, hashedKey } from "../../storage/ttl-store.ts";
import type { StorageLike } from "../../storage/types.ts";

export interface StoredConversation {
  /** Neutral turns: every earlier input and answer (instructions excluded). */
  turns: ChatTurn[];
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

export const DEFAULT_RESPONSE_TTL_SEC = 6 * 3600;
const PREFIX = "responses";

/** Ids come from clients: hashed into a key no driver can misread. */
export function responseKey(responseId: string): string {
  return hashedKey(PREFIX, responseId);
}

export function createResponseStore(storage: StorageLike, options: ResponseStoreOptions = {}): ResponseStore {
  const now = options.now ?? Date.now;
  const sweepEvery = options.sweepIntervalMs ?? 10 * 60_000;
  let lastSweep = now();
  const entries = createTtlStore<StoredConversation>(storage, {
    prefix: PREFIX,
    ttlSec: options.ttlSec ?? DEFAULT_RESPONSE_TTL_SEC,
    now,
    isValue: (e) => Array.isArray(e.turns) && typeof e.model === "string",
    // An unreadable conversation can never be continued: it goes at once, not at the next sweep.
    removeMalformed: true,
  });

  return {
    async load(responseId) {
      const entry = await entries.get(responseId);
      return entry && { turns: entry.turns, model: entry.model };
    },
    async save(responseId, conversation) {
      try {
        await entries.set(responseId, conversation);
        // Off the request's path: a slow sweep must not delay the answer.
        if (now() - lastSweep >= sweepEvery) {
          lastSweep = now();
          entries
            .sweep()
            .catch((error: unknown) =>
              options.logger?.warn(`stored responses: sweep failed: ${(error as Error)?.message ?? error}`),
            );
        }
      } catch (error) {
        options.logger?.warn(`stored responses: save failed: ${(error as Error)?.message ?? error}`);
      }
    },
  };
}
