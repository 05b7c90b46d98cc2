// Every state change goes through `commit`: the status is settled, changes are announced as
// events, and the latest state is written through the credential store. Writes of one credential
// are serialized and coalesced, so a slow driver never sees them out of order. A change other
// instances steer by (status, cooldowns, quota) or of the record is written at once; one of counters
// alone (uses, last use) waits for a timer or `flush`, so requests do not each cost a write.
import type { CredentialStore } from "./store.ts";
import type { CredentialState } from "./credential.ts";
import type { Entry } from "./entry.ts";
import type { PoolEvents } from "./events.ts";
import { settleStatus } from "./reactions.ts";
import { same } from "./merge.ts";
import type { ClusterSync } from "./cluster.ts";
import { isUnavailable } from "../storage/coordination/index.ts";

export interface StateKeeper {
  /** Apply `next` to the entry, announce what changed, persist. */
  commit(entry: Entry, next: CredentialState, options?: { record?: boolean }): void;
  /** Stop writing an id (removed) and delete it from storage. */
  forget(id: string): Promise<void>;
  /** Resolves when every queued write is done. */
  flush(): Promise<void>;
  /** Takes a state read from storage (another instance's change): announced, not written back. */
  adopt(entry: Entry, next: CredentialState): void;
  /** True while a write of `id` is queued or running. */
  busy(id: string): boolean;
}

interface Queue {
  entry: Entry;
  state: boolean;
  record: boolean;
  /** Counters changed since the last write; written by the timer or `flush`. */
  lazy: boolean;
  running?: Promise<void>;
}

/** How long counter-only changes may wait before they are written. */
export const COUNTER_FLUSH_MS = 5000;
/**
 * Counter-only writes per tick. With a thousand credentials in rotation nearly every request touches
 * a different one: the rest wait for the next ticks (longest waiting first), so counters cost at most
 * this many writes every COUNTER_FLUSH_MS. The usage ledger, not these counters, is the durable
 * record of requests. Each write is a locked read-merge-write of the state on shared storage: at 50
 * per tick they took 5-7 % of the CLI's CPU per request with 1,000 API keys in rotation (profiled).
 */
export const COUNTER_WRITES_PER_TICK = 20;

/** What other instances select and report by; a change of anything else is counters only. */
const steers = (a: CredentialState, b: CredentialState): boolean =>
  a.status !== b.status ||
  a.reason !== b.reason ||
  a.link !== b.link ||
  // A success keeps the same cooldown and quota objects: no serialization on the common path.
  ((a.cooldowns !== b.cooldowns || a.quota !== b.quota) &&
    JSON.stringify([a.cooldowns, a.quota]) !== JSON.stringify([b.cooldowns, b.quota]));

/** A cooldown keeps its reason per model, not in `reason`: say which models cool and why, or that they stopped. */
function cooldownReason(before: CredentialState, after: CredentialState, now: number): string | undefined {
  if (after.status === "rate_limited") {
    const cooling = Object.entries(after.cooldowns).filter(([, cd]) => cd.until > now);
    return cooling.map(([model, cd]) => `${model}: ${cd.reason}`).join("; ") || undefined;
  }
  if (before.status === "rate_limited" && after.status === "active") return "cooldown over";
  return undefined;
}

export function createStateKeeper(
  store: CredentialStore,
  events: PoolEvents,
  warn: (...args: unknown[]) => void,
  sync?: ClusterSync,
): StateKeeper {
  const queues = new Map<string, Queue>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  function announce(id: string, before: CredentialState, after: CredentialState, now: number) {
    if (before.status !== after.status) {
      events.emit("credential:state", {
        id,
        previous: before.status,
        status: after.status,
        reason: after.reason ?? cooldownReason(before, after, now),
        link: after.link,
        at: now,
      });
    }
    // Most commits (a success) keep the same cooldowns object: nothing to compare then.
    if (before.cooldowns === after.cooldowns) return;
    const models = new Set([...Object.keys(before.cooldowns), ...Object.keys(after.cooldowns)]);
    for (const model of models) {
      const a = before.cooldowns[model];
      const b = after.cooldowns[model];
      if (a?.until === b?.until && a?.reason === b?.reason) continue;
      events.emit("credential:cooldown", { id, model, until: b?.until, reason: b?.reason, at: now });
    }
  }

  async function drain(id: string, queue: Queue) {
    while (queue.state || queue.record) {
      const { credential, state } = queue.entry;
      const what = { record: queue.record, state: queue.state };
      queue.lazy = false; // this write carries the counters too
      const writes: Promise<void>[] = [];
      if (!sync && queue.record) writes.push(store.put(credential));
      if (!sync && queue.state) writes.push(store.putState(id, state));
      queue.state = queue.record = false;
      try {
        // With a cluster sync: locked, merged with what other instances wrote, announced.
        if (sync) await sync.write(queue.entry, what);
        else await Promise.all(writes).then(() => void (queue.entry.stored ??= { credential, state }));
      } catch (error) {
        if (!isUnavailable(error))
          warn(`could not persist credential ${id}:`, error instanceof Error ? error.message : error);
      }
    }
    queue.running = undefined;
  }

  /** Writes waiting counters: all of them (flush, close) or one tick's share. */
  function writeLazy(all = false) {
    if (timer) clearTimeout(timer);
    timer = undefined;
    let budget = all ? Infinity : COUNTER_WRITES_PER_TICK;
    let left = false;
    for (const [id, queue] of [...queues]) {
      if (!queue.lazy) continue;
      if (budget-- <= 0) {
        left = true;
        break;
      }
      queue.state = true;
      queue.running ??= drain(id, queue);
      // To the back of the line: the next tick starts with those that waited.
      queues.delete(id);
      queues.set(id, queue);
    }
    if (left) timer = setTimeout(writeLazy, COUNTER_FLUSH_MS).unref();
  }

  function schedule(entry: Entry, record: boolean, urgent: boolean) {
    const id = entry.credential.id;
    let queue = queues.get(id);
    if (!queue) queues.set(id, (queue = { entry, state: false, record: false, lazy: false }));
    queue.entry = entry;
    if (!urgent && !record) {
      queue.lazy = true;
      timer ??= setTimeout(writeLazy, COUNTER_FLUSH_MS).unref();
      return;
    }
    queue.state = true;
    queue.record ||= record;
    queue.running ??= drain(id, queue);
  }

  return {
    commit(entry, next, options = {}) {
      const now = Date.now();
      const before = entry.state;
      const after = settleStatus(next, now);
      entry.state = after;
      announce(entry.credential.id, before, after, now);
      schedule(entry, options.record === true, !entry.stored || steers(before, after));
    },
    async forget(id) {
      const queue = queues.get(id);
      if (queue) {
        queue.state = queue.record = queue.lazy = false;
        await queue.running;
        queues.delete(id);
      }
      await store.remove(id);
    },
    async flush() {
      writeLazy(true);
      await Promise.all([...queues.values()].map((q) => q.running));
    },
    adopt(entry, next) {
      const before = entry.state;
      const after = settleStatus(next, Date.now());
      if (same(before, after)) return;
      entry.state = after;
      announce(entry.credential.id, before, after, Date.now());
    },
    busy: (id) => queues.get(id)?.running !== undefined,
  };
}
