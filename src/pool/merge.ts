// Three-way merges of a credential's record and state, so concurrent writers (two instances, or a
// refresh and a request in one) never erase each other's changes: what this writer changed since
// it last read storage (`base` → `mine`) is applied on top of what storage holds now (`stored`).
import { isEqual } from "ohash";
import type { Credential, CredentialState, ModelCooldown } from "./credential.ts";
import { settleStatus } from "./reactions.ts";

// Storage keeps JSON: a key holding `undefined` is no key there, and key order means nothing.
const plain = (value: unknown): unknown =>
  typeof value === "object" && value !== null ? JSON.parse(JSON.stringify(value)) : value;

/** Equal as stored: deep, regardless of key order (a reordered object is no change). */
export const same = (a: unknown, b: unknown): boolean => a === b || isEqual(plain(a), plain(b));

/** Fields that only make sense together: a status keeps its own reason and link. */
const STATUS_GROUP = ["status", "reason", "link"] as const;

function mergeFields<T extends object>(base: T, mine: T, stored: T, skip: ReadonlySet<string>): T {
  const out = new Map(Object.entries(stored));
  const b = new Map(Object.entries(base));
  const m = new Map(Object.entries(mine));
  for (const key of new Set([...b.keys(), ...m.keys()])) {
    if (skip.has(key) || same(b.get(key), m.get(key))) continue;
    if (m.get(key) === undefined) out.delete(key);
    else out.set(key, m.get(key));
  }
  return Object.fromEntries(out) as T;
}

/** The record to store: `mine`'s changes since `base` on top of `stored`. */
export function mergeRecord(base: Credential | undefined, mine: Credential, stored: Credential | null): Credential {
  if (!base || !stored || stored.kind !== mine.kind) return mine;
  return mergeFields(base, mine, stored, new Set());
}

/**
 * Per-model cooldowns: a model this writer did not touch keeps what storage holds. When storage
 * changed it too (another instance), the later `until` wins, not the later write: a quota hit one
 * instance learnt is never cut short or cleared by another's older view.
 */
function mergeCooldowns(
  base: Record<string, ModelCooldown> = {},
  mine: Record<string, ModelCooldown> = {},
  stored: Record<string, ModelCooldown> = {},
): Record<string, ModelCooldown> {
  const out = { ...stored };
  for (const model of new Set([...Object.keys(base), ...Object.keys(mine)])) {
    const mineCd = mine[model];
    const storedCd = stored[model];
    if (same(base[model], mineCd)) continue;
    const laterElsewhere = storedCd && !same(storedCd, base[model]) && storedCd.until > (mineCd?.until ?? 0);
    if (laterElsewhere) continue;
    if (mineCd) out[model] = mineCd;
    else delete out[model];
  }
  return out;
}

/** The state to store: changed fields win, per-model cooldowns merge one by one, use counts add up. */
export function mergeState(
  base: CredentialState | undefined,
  mine: CredentialState,
  stored: CredentialState | null,
  now = Date.now(),
): CredentialState {
  if (!base || !stored) return mine;
  const out = mergeFields(base, mine, stored, new Set(["cooldowns", "usageCount", ...STATUS_GROUP]));
  // An operator's `disabled` made elsewhere outranks any status this writer derived from traffic.
  const disabledElsewhere = stored.status === "disabled" && base.status !== "disabled";
  if (!disabledElsewhere && STATUS_GROUP.some((key) => !same(base[key], mine[key]))) {
    out.status = mine.status;
    if (mine.reason === undefined) delete out.reason;
    else out.reason = mine.reason;
    if (mine.link === undefined) delete out.link;
    else out.link = mine.link;
  }
  // Requests counted by every writer add up instead of the last writer's count winning.
  out.usageCount = Math.max(0, (stored.usageCount ?? 0) + (mine.usageCount ?? 0) - (base.usageCount ?? 0));
  out.cooldowns = mergeCooldowns(base.cooldowns, mine.cooldowns, stored.cooldowns);
  return settleStatus(out, now);
}

const tokenOf = (cred: Credential | null | undefined): string | undefined =>
  cred?.kind === "oauth" ? cred.accessToken : undefined;

/**
 * `expired` is about one access token: the one this instance held when Google refused it. When
 * storage holds another token than that one (`base` = `mine`), another instance refreshed since,
 * and that refresh ended the expiry. Kept, the status would make the next lease refresh the new
 * token once more; refreshes across instances would no longer be one.
 */
export function withoutReplacedExpiry(
  state: CredentialState,
  base: Credential | undefined,
  mine: Credential,
  stored: Credential | null,
  now = Date.now(),
): CredentialState {
  const held = tokenOf(base);
  const current = tokenOf(stored);
  if (state.status !== "expired" || !held || !current || held !== tokenOf(mine) || current === held) return state;
  const { reason: _reason, link: _link, ...rest } = state;
  return settleStatus({ ...rest, status: "active" }, now);
}

/**
 * After an outage, queued writes land blindly (the last one per key wins), so storage may hold an
 * older view than ours. Our running cooldowns are kept where storage has none or an earlier one.
 * Returns `state` itself when storage already knows every one of them.
 */
export function withOwnCooldowns(
  state: CredentialState,
  own: Record<string, ModelCooldown>,
  now = Date.now(),
): CredentialState {
  const missing = Object.entries(own).filter(
    ([model, cd]) => cd.until > now && cd.until > (state.cooldowns[model]?.until ?? 0),
  );
  if (!missing.length) return state;
  return settleStatus({ ...state, cooldowns: { ...state.cooldowns, ...Object.fromEntries(missing) } }, now);
}
