// Probes for load balancers and orchestrators. Public, no auth, counts only (no ids or emails).
// /livez: 200 while the process serves HTTP. /readyz: 200 when this instance can serve a request
// (a usable credential, storage read at least once), 503 with the reason otherwise.
import type { H3 } from "h3";
import type { AppContext } from "./context.ts";

export type StorageReadiness = "ok" | "degraded" | "unavailable";

export interface Readiness {
  ready: boolean;
  usable_credentials: number;
  /** ok; degraded: redis is down, serving from memory with writes queued; unavailable: never read since start. */
  storage: StorageReadiness;
  reason?: string;
}

export function readinessOf(ctx: AppContext): Readiness {
  const phase = ctx.readiness?.() ?? { phase: "started", storageLoaded: true };
  const usable = ctx.pool.usableCount();
  const degraded = ctx.storageStatus?.().degraded ?? false;
  const storage: StorageReadiness = !phase.storageLoaded ? "unavailable" : degraded ? "degraded" : "ok";
  const reason =
    phase.phase === "starting"
      ? "starting: loading the storage and the start-up credentials"
      : phase.phase === "failed"
        ? "start-up failed (see the log)"
        : storage === "unavailable"
          ? "the storage has not been readable since start: the stored accounts are unknown"
          : usable === 0
            ? "no credential can serve a request"
            : undefined;
  return { ready: !reason, usable_credentials: usable, storage, ...(reason ? { reason } : {}) };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });

export function registerProbeRoutes(app: H3, ctx: AppContext): void {
  app.get("/livez", () => json(200, { live: true }));
  app.get("/readyz", () => {
    const readiness = readinessOf(ctx);
    return json(readiness.ready ? 200 : 503, readiness);
  });
}

/** Probes answer at once, also while start-up runs (the app middleware does not wait for it). */
export const PROBE_PATHS: ReadonlySet<string> = new Set(["/livez", "/readyz"]);
