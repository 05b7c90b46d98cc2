// Running a health check or a quota read on one credential and applying what it found.
import { stateForError, type AccountServices } from "./accounts.ts";
import type { QuotaBucket } from "./credential.ts";
import type { Entry } from "./entry.ts";
import { applyCheck, runChecker, type CheckOutcome, type CheckResult, type CheckerName } from "./health.ts";
import { applyQuota, fetchQuota } from "./quota.ts";
import { settleStatus } from "./reactions.ts";
import type { Commit, Refresher } from "./refresher.ts";

export interface Checks {
  /** `enable`: the operator puts it back in rotation, and the check's outcome decides its state. */
  check(entry: Entry, checker: CheckerName, options?: { enable?: boolean }): Promise<CheckResult>;
  refreshQuota(entry: Entry): Promise<Record<string, QuotaBucket> | undefined>;
}

export function createChecks(services: AccountServices, refresher: Refresher, commit: Commit): Checks {
  return {
    async check(entry, checker, options = {}) {
      const id = entry.credential.id;
      const previousStatus = settleStatus(entry.state, Date.now()).status;
      let outcome: CheckOutcome | undefined;
      if (entry.credential.kind === "oauth" && checker !== "setup") {
        // Checks need a live token; a failed refresh is the check's answer.
        await refresher.refresh(entry, false).catch((error: unknown) => {
          const change = stateForError(error);
          outcome = { healthy: false, reason: change.reason, change };
        });
      }
      outcome ??= await runChecker(services, entry.credential, checker);
      const now = Date.now();
      if (outcome.credential) entry.credential = { ...outcome.credential, id, createdAt: entry.credential.createdAt };
      let next = options.enable
        ? { ...entry.state, status: "active" as const, reason: undefined, link: undefined, failures: 0 }
        : entry.state;
      if (outcome.quota) next = applyQuota(next, outcome.quota, now);
      next = applyCheck(next, checker, outcome, now);
      commit(entry, next, { record: outcome.credential !== undefined });
      return {
        id,
        checker,
        healthy: outcome.healthy,
        reason: outcome.reason,
        previousStatus,
        newStatus: entry.state.status,
      };
    },
    async refreshQuota(entry) {
      if (entry.credential.kind !== "oauth") return undefined;
      const cred = await refresher.refresh(entry, false);
      const buckets = await fetchQuota(services.codeAssist, cred.accessToken!, cred.project);
      commit(entry, applyQuota(entry.state, buckets, Date.now()));
      return buckets;
    },
  };
}
