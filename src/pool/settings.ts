// Pool settings: the `pool` option resolved with defaults and checked, with messages that name the
// option the user got wrong.
import type { PoolOptions } from "../config/options.ts";
import { SELECTION_STRATEGIES, type SelectionStrategy } from "./selection.ts";

/** Resolved pool settings (the defaults applied to `PoolOptions`). */
export interface PoolSettings {
  strategy: SelectionStrategy;
  maxAttempts: number;
  budgetMs: number;
  waitForCooldownMs: number;
  refreshAheadMs: number;
  healthCheck: { enabled: boolean; idleMs: number; intervalMs: number };
  minCredentials: number;
}

export const DEFAULT_POOL_SETTINGS: Readonly<PoolSettings> = Object.freeze({
  strategy: "round-robin",
  maxAttempts: 4,
  budgetMs: 60_000,
  waitForCooldownMs: 10_000,
  refreshAheadMs: 5 * 60_000,
  healthCheck: Object.freeze({ enabled: true, idleMs: 30 * 60_000, intervalMs: 60_000 }),
  minCredentials: 1,
});

function number(value: unknown, fallback: number, name: string, min: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new TypeError(`gemini-cli-proxy: pool.${name} must be a number >= ${min} (got ${JSON.stringify(value)})`);
  }
  return value;
}

/** `legacyMaxAttempts` is the deprecated top-level `maxAttempts`; `pool.maxAttempts` wins. */
export function resolvePoolSettings(options: PoolOptions | undefined, legacyMaxAttempts?: number): PoolSettings {
  const o = options ?? {};
  const d = DEFAULT_POOL_SETTINGS;
  if (o.strategy !== undefined && !SELECTION_STRATEGIES.includes(o.strategy)) {
    throw new TypeError(
      `gemini-cli-proxy: pool.strategy must be one of ${SELECTION_STRATEGIES.join(", ")} (got ${JSON.stringify(o.strategy)})`,
    );
  }
  const hc = o.healthCheck ?? {};
  return {
    strategy: o.strategy ?? d.strategy,
    maxAttempts: Math.floor(number(o.maxAttempts ?? legacyMaxAttempts, d.maxAttempts, "maxAttempts", 1)),
    budgetMs: number(o.budgetMs, d.budgetMs, "budgetMs", 0),
    waitForCooldownMs: number(o.waitForCooldownMs, d.waitForCooldownMs, "waitForCooldownMs", 0),
    refreshAheadMs: number(o.refreshAheadMs, d.refreshAheadMs, "refreshAheadMs", 0),
    healthCheck: {
      enabled: hc.enabled ?? d.healthCheck.enabled,
      idleMs: number(hc.idleMs, d.healthCheck.idleMs, "healthCheck.idleMs", 0),
      intervalMs: number(hc.intervalMs, d.healthCheck.intervalMs, "healthCheck.intervalMs", 10),
    },
    minCredentials: Math.floor(number(o.minCredentials, d.minCredentials, "minCredentials", 0)),
  };
}
