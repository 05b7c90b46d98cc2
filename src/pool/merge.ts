// Three-way merges of a credential's record and state, so concurrent writers (two instances, or a
// refresh and a request in one) never erase each other's changes: what this writer changed since
// it last read storage (`base` → `mine`) is applied on top of what storage holds now (`stored`).
import type { Credential, CredentialState } from "./credential.ts";
import { settleStatus } from "./reactions.ts";

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** Fields that only make sense together: a status keeps its own reason and link. */
const STATUS_GROUP = ["status", "reason", "link"] as const;

function mergeFields<T extends object>(
  base: T,
  mine: T,
  stored: T,
  skip: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(stored as Record<string, unknown>) };
  const b = base as Record<string, unknown>;
  const m = mine as Record<string, unknown>;
  for (const key of new Set([...Object.keys(b), ...Object.keys(m)])) {
    if (skip.has(key) || same(b[key], m[key])) continue;
    if (m[key] === undefined) delete out[key];
    else out[key] = m[key];
  }
  return out;
}

/** The record to store: `mine`'s changes since `base` on top of `stored`. */
export function mergeRecord(base: Credential | undefined, mine: Credential, stored: Credential | null): Credential {
  if (!base || !stored || stored.kind !== mine.kind) return mine;
  return mergeFields(base, mine, stored, new Set()) as unknown as Credential;
}

/** The state to store: changed fields win, per-model cooldowns merge one by one, use counts add up. */
export function mergeState(
  base: CredentialState | undefined,
  mine: CredentialState,
  stored: CredentialState | null,
  now = Date.now(),
): CredentialState {
  if (!base || !stored) return mine;
  const out = mergeFields(
    base,
    mine,
    stored,
    new Set(["cooldowns", "usageCount", ...STATUS_GROUP]),
  ) as unknown as CredentialState;
  // An operator's `disabled` made elsewhere outranks any status this writer derived from traffic.
  const disabledElsewhere = stored.status === "disabled" && base.status !== "disabled";
  if (!disabledElsewhere && STATUS_GROUP.some((key) => !same(base[key], mine[key]))) {
    out.status = mine.status;
    out.reason = mine.reason;
    out.link = mine.link;
    for (const key of STATUS_GROUP) if (out[key] === undefined) delete out[key];
  }
  // Requests counted by every writer add up instead of the last writer's count winning.
  out.usageCount = Math.max(0, (stored.usageCount ?? 0) + (mine.usageCount ?? 0) - (base.usageCount ?? 0));
  const cooldowns = { ...stored.cooldowns };
  for (const model of new Set([...Object.keys(base.cooldowns ?? {}), ...Object.keys(mine.cooldowns ?? {})])) {
    const mineCd = mine.cooldowns?.[model];
    if (same(base.cooldowns?.[model], mineCd)) continue;
    if (mineCd) cooldowns[model] = mineCd;
    else delete cooldowns[model];
  }
  out.cooldowns = cooldowns;
  return settleStatus(out, now);
}
