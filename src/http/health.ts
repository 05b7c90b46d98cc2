import type { H3 } from "h3";
import type { AppContext } from "./context.ts";
import { registerProbeRoutes } from "./probes.ts";

// Public (no auth): counts only, no ids or emails.

/** The `/health` answer (also the admin overview's status). */
export function healthOf(ctx: AppContext) {
  const credentials = ctx.pool.list();
  const usable = ctx.pool.usableCount();
  const byStatus: Record<string, number> = {};
  for (const c of credentials) byStatus[c.state.status] = (byStatus[c.state.status] ?? 0) + 1;
  // healthy: all credentials fine; degraded: serving, but some need attention or are cooling;
  // unhealthy: nothing can serve. Always HTTP 200 (as the predecessor): the body tells which.
  const attention = credentials.length - (byStatus.active ?? 0) - (byStatus.disabled ?? 0);
  const storage = ctx.storageStatus?.();
  // A redis outage: still serving from memory, but changes are not shared until it is back.
  const status = usable === 0 ? "unhealthy" : attention > 0 || storage?.degraded ? "degraded" : "healthy";
  const storageView = storage && {
    backend: storage.backend,
    degraded: storage.degraded,
    since: storage.since ? new Date(storage.since).toISOString() : undefined,
    queued_writes: storage.queuedWrites,
  };
  return {
    status,
    credentials: { total: credentials.length, usable, by_status: byStatus },
    ...(storageView ? { storage: storageView } : {}),
  };
}

export function registerHealthRoutes(app: H3, ctx: AppContext): void {
  const health = () => healthOf(ctx);
  app.get("/health", health);
  app.get("/healthz", health);
  registerProbeRoutes(app, ctx);
}
