// The predecessor's `usage_logging`: every `intervalSec`, a compact credentials + usage summary in
// the log, printed only when something changed since the last one.
import type { Logger } from "../types.ts";
import type { CredentialPool } from "../pool/pool.ts";
import type { UsageLedger } from "./ledger.ts";
import { predecessorSummary } from "./report.ts";

export interface UsageLogging {
  stop(): void;
  /** Prints now if something changed (tests, and the timer). Returns whether it printed. */
  tick(): Promise<boolean>;
}

export function startUsageLogging(deps: {
  ledger: UsageLedger;
  pool: CredentialPool;
  logger: Logger;
  intervalSec: number;
}): UsageLogging {
  let lastVersion = -1;
  let lastStates = "";
  const tick = async () => {
    const credentials = deps.pool.list();
    const states = credentials.map((c) => `${c.id}=${c.state.status}`).join(" ");
    if (deps.ledger.version === lastVersion && states === lastStates) return false;
    lastVersion = deps.ledger.version;
    lastStates = states;
    const counts: Record<string, number> = {};
    for (const c of credentials) counts[c.state.status] = (counts[c.state.status] ?? 0) + 1;
    const stateLine =
      Object.entries(counts)
        .map(([s, n]) => `${n} ${s}`)
        .join(", ") || "none";
    const since = Date.now() - 86_400_000;
    const summary = predecessorSummary(await deps.ledger.rows("hour", since - 3_600_000));
    const models = Object.entries(summary).map(([model, u]) => {
      const failed = Object.values(u.failed_requests).reduce((a, b) => a + b, 0);
      return `${model}: ${u.successful_requests} ok, ${failed} failed, ${u.total_tokens} tokens`;
    });
    deps.logger.info(`credentials: ${stateLine} | last 24 h: ${models.length ? models.join("; ") : "no requests"}`);
    return true;
  };
  const timer = setInterval(() => void tick().catch(() => {}), deps.intervalSec * 1000);
  timer.unref?.();
  return { stop: () => clearInterval(timer), tick };
}
