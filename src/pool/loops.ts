// The pool's background loops: token refresh ahead of expiry (plus settling cooldowns that ran
// out), and health checks of idle credentials while no request is in flight.
import { createBackground, type Background, type Loop } from "./background.ts";
import type { Checks } from "./checks.ts";
import { USABLE_STATUSES } from "./credential.ts";
import type { Entry } from "./entry.ts";
import { chooseChecker, pickIdleCandidate, type CheckerName } from "./health.ts";
import { settleStatus, withoutExpiredCooldowns } from "./reactions.ts";
import { dueForRefresh, type Commit, type Refresher } from "./refresher.ts";
import type { PoolSettings } from "./settings.ts";

/** A cooldown whose time passed this long ago without a use or a probe confirming it is dropped. */
export const STALE_COOLDOWN_MS = 10 * 60_000;

export interface LoopDeps {
  entries: Map<string, Entry>;
  settings: PoolSettings;
  refresher: Refresher;
  checks: Checks;
  commit: Commit;
  /** True while no request is in flight. */
  idle: () => boolean;
  warn: (...args: unknown[]) => void;
}

export function createPoolLoops(deps: LoopDeps): Background {
  const { entries, settings, refresher, commit } = deps;
  const refresh: Loop = {
    name: "refresh",
    intervalMs: Math.min(60_000, Math.max(100, settings.refreshAheadMs / 5)),
    jitter: 0.2,
    async tick() {
      const now = Date.now();
      for (const entry of [...entries.values()]) {
        // Cooldowns that ran out: rate_limited → active; long-unconfirmed ones are dropped, never left to linger.
        const settled = settleStatus(withoutExpiredCooldowns(entry.state, now - STALE_COOLDOWN_MS), now);
        if (settled !== entry.state) commit(entry, settled);
        const cred = entry.credential;
        if (cred.kind !== "oauth" || !USABLE_STATUSES.has(entry.state.status) || entry.refreshing) continue;
        // An expired token is refreshed like any other: never a reason to skip the credential.
        const due =
          entry.state.status === "expired" || dueForRefresh(cred, now, settings.refreshAheadMs, Math.random());
        if (due) await refresher.refresh(entry, true).catch(() => {});
      }
    },
  };
  const health: Loop = {
    name: "health",
    intervalMs: settings.healthCheck.intervalMs,
    jitter: 0.5,
    async tick() {
      if (!deps.idle()) return; // never compete with real traffic
      const now = Date.now();
      const all = [...entries.values()].map((e) => ({ id: e.credential.id, state: e.state }));
      const pick = pickIdleCandidate(all, now, settings.healthCheck.idleMs * (0.5 + Math.random() / 2));
      const entry = pick && entries.get(pick.id);
      if (!entry) return;
      // A cooldown that ran out is confirmed by a quota read (or a models list for a key).
      const probe: CheckerName | undefined = pick.probe
        ? entry.credential.kind === "oauth"
          ? "retrieveUserQuota"
          : "models"
        : undefined;
      await deps.checks.check(entry, probe ?? chooseChecker(entry.credential, entry.state, Math.random()));
    },
  };
  const loops = settings.healthCheck.enabled ? [refresh, health] : [refresh];
  return createBackground(loops, (loop, error) =>
    deps.warn(`pool ${loop} loop:`, error instanceof Error ? error.message : error),
  );
}
