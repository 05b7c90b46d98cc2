// One account stored under two ids: an earlier version keyed an account whose email it could not
// learn (Google unreachable at start) by its refresh token's hash, and added it a second time. Such
// copies share a refresh token; they are found by it and merged into one, purely, here.
import type { Credential, CredentialState, OAuthCredential } from "./credential.ts";
import { settleStatus } from "./reactions.ts";

export interface Stored {
  credential: Credential;
  state: CredentialState;
}

/** Groups of two or more OAuth records with the same refresh token, in storage order. */
export function duplicateGroups(records: readonly Stored[]): Stored[][] {
  const byToken = new Map<string, Stored[]>();
  for (const r of records) {
    if (r.credential.kind !== "oauth") continue;
    const group = byToken.get(r.credential.refreshToken) ?? [];
    group.push(r);
    byToken.set(r.credential.refreshToken, group);
  }
  return [...byToken.values()].filter((g) => g.length > 1);
}

const HEALTHY = new Set(["active", "rate_limited"]);

/** The copy to keep: the one that knows its email, then a healthy one, then the most used, then the oldest. */
function rank(r: Stored): number[] {
  const c = r.credential as OAuthCredential;
  return [c.email ? 1 : 0, HEALTHY.has(r.state.status) ? 1 : 0, r.state.usageCount, -c.createdAt];
}

function better(a: Stored, b: Stored): boolean {
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! > y[i]!;
  return false;
}

const latest = (values: (number | undefined)[]): number | undefined =>
  values.reduce<number | undefined>((m, v) => (v !== undefined && (m === undefined || v > m) ? v : m), undefined);

/** One record from a group: the best copy, completed by the others; cooldowns by the later end, usage summed. */
export function mergeDuplicates(group: readonly Stored[], now: number): Stored {
  const keep = group.reduce((best, r) => (better(r, best) ? r : best));
  const creds = group.map((r) => r.credential as OAuthCredential);
  const freshest = creds.reduce((a, b) => ((b.expiresAt ?? 0) > (a.expiresAt ?? 0) ? b : a));
  const base = keep.credential as OAuthCredential;
  const credential: OAuthCredential = {
    ...base,
    email: base.email ?? creds.find((c) => c.email)?.email,
    project: base.project ?? creds.find((c) => c.project)?.project,
    tier: base.tier ?? creds.find((c) => c.tier)?.tier,
    accessToken: freshest.accessToken,
    expiresAt: freshest.expiresAt,
    createdAt: Math.min(...creds.map((c) => c.createdAt)),
  };
  const states = group.map((r) => r.state);
  const cooldowns: CredentialState["cooldowns"] = {};
  for (const s of states)
    for (const [model, cd] of Object.entries(s.cooldowns))
      if (!cooldowns[model] || cd.until > cooldowns[model].until) cooldowns[model] = cd;
  // An operator's disable on either copy holds for the account.
  const disabled = states.find((s) => s.status === "disabled");
  const state: CredentialState = settleStatus(
    {
      ...keep.state,
      ...(disabled ? { status: "disabled", reason: disabled.reason } : {}),
      cooldowns,
      usageCount: states.reduce((n, s) => n + s.usageCount, 0),
      failures: Math.max(...states.map((s) => s.failures)),
      lastUsedAt: latest(states.map((s) => s.lastUsedAt)),
      lastRefreshedAt: latest(states.map((s) => s.lastRefreshedAt)),
      failedAt: latest(states.map((s) => s.failedAt)),
    },
    now,
  );
  return { credential, state };
}
