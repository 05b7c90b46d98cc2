// Which credential serves a model next: pure ordering of the usable candidates. Healthy before
// suspected, then priority, then remaining quota; inside the best group the strategy decides.
import { USABLE_STATUSES, type CredentialState } from "./credential.ts";
import { cooldownFor } from "./reactions.ts";

/** How the pool picks among usable credentials of the same priority. */
export type SelectionStrategy = "round-robin" | "least-used" | "fill-first";

export const SELECTION_STRATEGIES: readonly SelectionStrategy[] = ["round-robin", "least-used", "fill-first"];

export interface Candidate {
  id: string;
  weight: number;
  priority: number;
  createdAt: number;
  state: CredentialState;
  /** Leases not yet reported. */
  pending: number;
}

/** Smooth weighted round-robin memory (nginx's algorithm): current weight per credential id. */
export type RoundRobinMemory = Map<string, number>;

export function isUsableFor(state: CredentialState, model: string, now: number): boolean {
  return USABLE_STATUSES.has(state.status) && !cooldownFor(state, model, now);
}

/** 0 healthy (a cooldown that ran out counts as healthy: the next use is its probe), 1 suspected. */
export function healthTier(state: CredentialState): number {
  return state.status === "suspected" ? 1 : 0;
}

/** Remaining quota in quarters (4 = plenty or unknown, 0 = none), so small differences don't defeat the strategy. */
export function quotaRank(state: CredentialState, model: string): number {
  const fraction = state.quota?.[model]?.remainingFraction;
  return fraction === undefined ? 4 : Math.max(0, Math.min(4, Math.ceil(fraction * 4)));
}

function groupKey(c: Candidate, model: string): number[] {
  return [healthTier(c.state), -c.priority, -quotaRank(c.state, model)];
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function strategyCompare(strategy: SelectionStrategy): (a: Candidate, b: Candidate) => number {
  const stable = (a: Candidate, b: Candidate) => a.createdAt - b.createdAt || a.id.localeCompare(b.id);
  if (strategy !== "least-used") return stable;
  const load = (c: Candidate) => (c.state.usageCount + c.pending) / c.weight;
  return (a, b) => load(a) - load(b) || (a.state.lastUsedAt ?? 0) - (b.state.lastUsedAt ?? 0) || stable(a, b);
}

function roundRobinPick(group: Candidate[], memory: RoundRobinMemory): Candidate {
  let total = 0;
  let best: Candidate | undefined;
  for (const c of group) {
    const current = (memory.get(c.id) ?? 0) + c.weight;
    memory.set(c.id, current);
    total += c.weight;
    if (!best || current > memory.get(best.id)!) best = c;
  }
  memory.set(best!.id, memory.get(best!.id)! - total);
  return best!;
}

/** Usable candidates in the order to try them. Advances the round-robin memory by one pick. */
export function orderCandidates(
  candidates: Candidate[],
  model: string,
  strategy: SelectionStrategy,
  memory: RoundRobinMemory,
  now: number,
): Candidate[] {
  const keyed = candidates.filter((c) => isUsableFor(c.state, model, now)).map((c) => ({ c, key: groupKey(c, model) }));
  const byStrategy = strategyCompare(strategy);
  keyed.sort((a, b) => compareKeys(a.key, b.key) || byStrategy(a.c, b.c));
  const ordered = keyed.map((k) => k.c);
  if (strategy !== "round-robin" || ordered.length < 2) return ordered;
  const head = keyed.filter((k) => compareKeys(k.key, keyed[0]!.key) === 0).map((k) => k.c);
  if (head.length < 2) return ordered;
  const pick = roundRobinPick(head, memory);
  return [pick, ...ordered.filter((c) => c !== pick)];
}

/** The pool's entries with a change counter, so the selector's list is rebuilt only when it changed. */
export class VersionedMap<K, V> extends Map<K, V> {
  version = 0;
  override set(key: K, value: V): this {
    this.version++;
    return super.set(key, value);
  }
  override delete(key: K): boolean {
    this.version++;
    return super.delete(key);
  }
  override clear(): void {
    this.version++;
    super.clear();
  }
}

export interface Selectable {
  credential: { id: string; kind: string; weight?: number; priority?: number; createdAt: number };
  state: CredentialState;
  pending: number;
}

/**
 * Picks the next credential without sorting the pool: with equal weights and round-robin or
 * fill-first (the common case), the first usable credential at or after the cursor that has the
 * best possible standing (healthy, top priority, quota plenty or unknown) is provably a best
 * choice, so a pool of 1,000 costs what a pool of one does. Anything else — suspected credentials,
 * partial quotas, weights, least-used — takes the full ordering above.
 */
export function createSelector<E extends Selectable>(entries: VersionedMap<string, E>, strategy: SelectionStrategy) {
  let list: E[] = [];
  let version = -1;
  let maxPriority = 0;
  let uniform = true;
  let cursor = 0;
  const memory: RoundRobinMemory = new Map();

  const refresh = () => {
    if (version === entries.version) return;
    version = entries.version;
    list = [...entries.values()].sort(
      (a, b) => a.credential.createdAt - b.credential.createdAt || a.credential.id.localeCompare(b.credential.id),
    );
    maxPriority = list.reduce((m, e) => Math.max(m, e.credential.priority ?? 0), list.length ? -Infinity : 0);
    uniform = list.every((e) => (e.credential.weight ?? 1) === 1);
    for (const id of memory.keys()) if (!entries.has(id)) memory.delete(id);
  };

  function fast(model: string, now: number, skip: (e: E) => boolean): E | undefined | null {
    const n = list.length;
    const start = strategy === "round-robin" ? cursor % Math.max(n, 1) : 0;
    for (let i = 0; i < n; i++) {
      const e = list[(start + i) % n]!;
      if (skip(e) || !isUsableFor(e.state, model, now)) continue;
      if (healthTier(e.state) !== 0 || (e.credential.priority ?? 0) !== maxPriority || quotaRank(e.state, model) !== 4)
        return null;
      if (strategy === "round-robin") cursor = (start + i + 1) % n;
      return e;
    }
    return undefined;
  }

  return {
    /** The best usable entry for the model that `skip` does not exclude. */
    pick(model: string, now: number, skip: (e: E) => boolean): E | undefined {
      refresh();
      if (uniform && strategy !== "least-used") {
        const quick = fast(model, now, skip);
        if (quick !== null) return quick;
      }
      const candidates: Candidate[] = [];
      for (const e of list) {
        if (skip(e)) continue;
        candidates.push({
          id: e.credential.id,
          weight: e.credential.weight ?? 1,
          priority: e.credential.priority ?? 0,
          createdAt: e.credential.createdAt,
          state: e.state,
          pending: e.pending,
        });
      }
      const first = orderCandidates(candidates, model, strategy, memory, now)[0];
      return first && entries.get(first.id);
    },
  };
}
