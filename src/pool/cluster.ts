// How one pool stays in step with the other instances sharing its storage. Writes happen under a
// per-credential lock and merge with what storage holds (merge.ts), then announce
// `{id, kind: "state" | "record" | "removed"}`; the other instances reload that entry when the
// message arrives (pub/sub, never a poll per request). Without a reachable backend the entry is
// written as it is (the resilient storage queues it) and the instances resync when it is back.
import { bounded, isUnavailable, type Coordinator } from "../storage/coordination/index.ts";
import { sleep } from "../storage/coordination/types.ts";
import type { CredentialStore } from "./store.ts";
import { initialState, type Credential, type CredentialState } from "./credential.ts";
import type { Entry } from "./entry.ts";
import { mergeRecord, mergeState, same, withOwnCooldowns, withoutReplacedExpiry } from "./merge.ts";

/** Channel of credential change notices. */
export const CHANGES_CHANNEL = "pool:changes";
/** How long a credential's write lock lives if its holder dies. */
const WRITE_LOCK_MS = 5000;

/** A change notice; `id: "*"` asks every instance to reload everything. */
export interface ChangeNotice {
  id: string;
  kind: "state" | "record" | "removed";
  from: string;
}

export interface ClusterDeps {
  coordinator: Coordinator;
  store: CredentialStore;
  entries: Map<string, Entry>;
  instanceId: string;
  warn: (...args: unknown[]) => void;
  /** True while this instance has a write of `id` queued or running (its merge will pick up the change). */
  busy: (id: string) => boolean;
  /** Replace an entry's state with one read from storage, announcing what changed. */
  adopt: (entry: Entry, state: CredentialState) => void;
  /** The credential was removed by another instance. */
  dropped: (id: string) => void;
  /** Queue a write of the entry as it is now (through the same path as every other change). */
  persist: (entry: Entry) => void;
  /** Subscribes to "the backend is back and our queued writes landed" (default: the coordinator's status). */
  recovered?: (fn: () => void) => () => void;
}

export interface ClusterSync {
  /** Persists an entry: lock, merge with storage, write, announce. */
  write(entry: Entry, what: { record: boolean; state: boolean }): Promise<void>;
  /** Announces a removal made here. */
  removed(id: string): Promise<void>;
  /** Listens to other instances' notices. */
  start(): void;
  /** Resolves once notices reach this instance (bounded: a slow redis never blocks start-up). */
  listening(): Promise<void>;
  /** Brings one entry up to date with storage now (before an operator's change is applied to it). */
  reload(id: string): Promise<void>;
  stop(): void;
}

export const normalizeState = (saved: CredentialState | null | undefined): CredentialState => ({
  ...initialState(),
  ...saved,
  cooldowns: { ...saved?.cooldowns },
});

/** What other instances select and report by: status, its reason and link, cooldowns, quota. */
const steering = (state: CredentialState) => [state.status, state.reason, state.link, state.cooldowns, state.quota];

export function createClusterSync(deps: ClusterDeps): ClusterSync {
  const { coordinator, store, entries, instanceId } = deps;
  const reloading = new Map<string, { again: boolean; run: Promise<void> }>();
  let unsubscribe: (() => void) | undefined;
  let stopRecovery: (() => void) | undefined;

  const announce = (id: string, kind: ChangeNotice["kind"]) =>
    coordinator
      .publish(CHANGES_CHANNEL, { id, kind, from: instanceId } satisfies ChangeNotice)
      .catch((error: unknown) => {
        if (!isUnavailable(error))
          deps.warn(`could not announce a change of credential ${id}:`, (error as Error)?.message ?? error);
      });

  // Lock, read, merge, write. Returns false when the credential was removed elsewhere.
  async function mergeAndWrite(
    entry: Entry,
    mine: { credential: Credential; state: CredentialState },
    what: { record: boolean; state: boolean },
  ) {
    const id = mine.credential.id;
    const [storedCred, storedState] = await Promise.all([
      store.get(id),
      what.state ? store.getState(id) : Promise.resolve(null),
    ]);
    if (!storedCred && entry.stored?.credential) return undefined; // removed by another instance
    const credential = mergeRecord(entry.stored?.credential, mine.credential, storedCred);
    // A 401 on a token another instance has replaced meanwhile must not land as `expired` on the new one.
    const state = withoutReplacedExpiry(
      what.state
        ? mergeState(entry.stored?.state, mine.state, storedState)
        : storedState
          ? normalizeState(storedState)
          : mine.state,
      entry.stored?.credential,
      mine.credential,
      storedCred,
    );
    if (what.record || !storedCred) await store.put(credential);
    if (what.state || !storedCred) await store.putState(id, state);
    return { credential, state };
  }

  async function write(entry: Entry, what: { record: boolean; state: boolean }) {
    const mine = { credential: entry.credential, state: entry.state };
    const previous = entry.stored?.state;
    const id = mine.credential.id;
    let merged: { credential: Credential; state: CredentialState } | undefined;
    try {
      merged = await coordinator.withLock(`cred:${id}`, WRITE_LOCK_MS, () => mergeAndWrite(entry, mine, what));
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      // Backend down: write ours as is (queued by the resilient storage); instances resync on recovery.
      await Promise.all([what.record ? store.put(mine.credential) : undefined, store.putState(id, mine.state)]);
      merged = mine;
    }
    if (!merged) return deps.dropped(id);
    entry.stored = merged;
    // Rebase whatever changed here while the write ran onto what was stored.
    entry.credential =
      entry.credential === mine.credential
        ? merged.credential
        : mergeRecord(mine.credential, entry.credential, merged.credential);
    deps.adopt(entry, entry.state === mine.state ? merged.state : mergeState(mine.state, entry.state, merged.state));
    // Counters alone (uses, last use) are merged on every write and need no notice: announcing them
    // made every other instance re-read the credential after each request.
    if (what.record || !previous || !same(steering(previous), steering(merged.state)))
      await announce(id, what.record ? "record" : "state");
  }

  // `recovering`: storage may hold an older view than ours (writes queued in an outage land blindly).
  async function reloadOne(id: string, recovering = false): Promise<void> {
    // Our own write may already have read storage before the change landed: let it finish first
    // (bounded, so steady traffic cannot starve the reload; the rebase below is safe either way).
    for (const end = Date.now() + 1000; deps.busy(id) && Date.now() < end;) await sleep(5);
    const [credential, saved] = await Promise.all([store.get(id), store.getState(id)]);
    const entry = entries.get(id);
    if (!credential) {
      if (entry && entry.stored?.credential) deps.dropped(id);
      return;
    }
    const state = normalizeState(saved);
    if (!entry) {
      entries.set(id, { credential, state, pending: 0, stored: { credential, state } });
      return;
    }
    const base = entry.stored;
    const own = entry.state.cooldowns;
    const mine = entry.credential;
    entry.stored = { credential, state };
    entry.credential = mergeRecord(base?.credential, mine, credential);
    // Storage's new token comes with the end of the expiry that token replaced.
    const merged = withoutReplacedExpiry(
      mergeState(base?.state, entry.state, state),
      base?.credential,
      mine,
      credential,
    );
    const kept = recovering ? withOwnCooldowns(merged, own) : merged;
    deps.adopt(entry, kept);
    // Storage lost a cooldown we learnt: write it back so every instance steers clear of the model.
    if (kept !== merged) deps.persist(entry);
  }

  async function reloadAll(): Promise<void> {
    const stored = await store.list();
    if (stored.length === 0 && entries.size > 0) {
      // Storage came back empty (a redis without persistence restarted): put back what we know.
      for (const entry of [...entries.values()]) {
        entry.stored = undefined;
        await write(entry, { record: true, state: true });
      }
      return;
    }
    const ids = new Set([...entries.keys(), ...stored.map((c) => c.id)]);
    for (const id of ids) await reloadOne(id, true);
  }

  // One reload per id at a time; a notice arriving meanwhile triggers one more pass.
  function schedule(id: string) {
    const running = reloading.get(id);
    if (running) return void (running.again = true);
    const slot = { again: false, run: Promise.resolve() };
    reloading.set(id, slot);
    slot.run = (async () => {
      try {
        do {
          slot.again = false;
          await (id === "*" ? reloadAll() : reloadOne(id)).catch((error: unknown) => {
            if (!isUnavailable(error))
              deps.warn(`could not reload credential ${id}:`, (error as Error)?.message ?? error);
          });
        } while (slot.again);
      } finally {
        reloading.delete(id);
      }
    })();
  }

  function onNotice(message: unknown) {
    const notice = message as Partial<ChangeNotice> | null;
    if (!notice || typeof notice.id !== "string" || notice.from === instanceId) return;
    if (notice.kind === "removed") {
      if (entries.has(notice.id)) deps.dropped(notice.id);
      return;
    }
    schedule(notice.id);
  }

  return {
    write,
    async removed(id) {
      await announce(id, "removed");
    },
    async reload(id) {
      schedule(id);
      await reloading.get(id)?.run.catch(() => {});
    },
    listening: () =>
      bounded(coordinator.subscribed(CHANGES_CHANNEL), 2000, "subscribing to pool changes").catch(() => {}),
    start() {
      unsubscribe ??= coordinator.subscribe(CHANGES_CHANNEL, onNotice);
      // Back from an outage: catch up on what others wrote, and ask them to catch up on ours.
      const onBack = () => {
        schedule("*");
        void announce("*", "state");
      };
      stopRecovery ??= deps.recovered
        ? deps.recovered(onBack)
        : coordinator.onStatus((degraded) => !degraded && onBack());
    },
    stop() {
      unsubscribe?.();
      stopRecovery?.();
      unsubscribe = stopRecovery = undefined;
    },
  };
}
