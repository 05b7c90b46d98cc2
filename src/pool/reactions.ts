// Error taxonomy → pool action, as pure state transitions (the pool applies, announces and persists
// them). The clock comes in as `now`.
import type { UpstreamError } from "../gemini/errors.ts";
import type { CredentialState, ModelCooldown } from "./credential.ts";

/**
 * A copy of the state with some fields changed. Not `{ ...state, field }`: on Node 20, V8 builds an
 * object literal that adds properties after a spread on a slow path (about 1 µs, 20× Object.assign),
 * and one of these runs on every request.
 */
export const changed = (state: CredentialState, fields: Partial<CredentialState>): CredentialState =>
  Object.assign({}, state, fields);

/** Consecutive transient failures (5xx, network) before a credential is marked suspected. */
export const SUSPECT_AFTER = 3;
/** Cooldown when Google says "rate limited" without saying for how long. */
export const DEFAULT_RATE_COOLDOWN_MS = 60_000;
/** Cooldown for an exhausted quota when Google gives no reset hint at all (rare: it nearly always does). */
export const DEFAULT_QUOTA_COOLDOWN_MS = 60 * 60_000;

/** The model's cooldown while it still runs. */
export function cooldownFor(state: CredentialState, model: string, now: number): ModelCooldown | undefined {
  const cd = state.cooldowns[model];
  return cd && cd.until > now ? cd : undefined;
}

/** A cooldown whose time has passed but no request or probe has confirmed recovery yet (half-open). */
export function isHalfOpen(state: CredentialState, model: string, now: number): boolean {
  const cd = state.cooldowns[model];
  return cd !== undefined && cd.until <= now;
}

export function hasActiveCooldown(state: CredentialState, now: number): boolean {
  return Object.values(state.cooldowns).some((cd) => cd.until > now);
}

/** `active` and `rate_limited` follow the cooldowns: rate_limited while any model is cooling. */
export function settleStatus(state: CredentialState, now: number): CredentialState {
  if (state.status !== "active" && state.status !== "rate_limited") return state;
  const status = hasActiveCooldown(state, now) ? "rate_limited" : "active";
  return status === state.status ? state : changed(state, { status });
}

export function withCooldown(state: CredentialState, model: string, until: number, reason: string): CredentialState {
  return changed(state, { cooldowns: Object.assign({}, state.cooldowns, { [model]: { until, reason } }) });
}

export function withoutCooldown(state: CredentialState, model?: string): CredentialState {
  if (model === undefined) return Object.keys(state.cooldowns).length ? changed(state, { cooldowns: {} }) : state;
  if (!(model in state.cooldowns)) return state;
  const { [model]: _gone, ...rest } = state.cooldowns;
  return changed(state, { cooldowns: rest });
}

/** Drops cooldowns whose time has passed (recovery confirmed by a success or a probe). */
export function withoutExpiredCooldowns(state: CredentialState, now: number): CredentialState {
  const kept = Object.entries(state.cooldowns).filter(([, cd]) => cd.until > now);
  return kept.length === Object.keys(state.cooldowns).length
    ? state
    : changed(state, { cooldowns: Object.fromEntries(kept) });
}

const HEALED_BY_SUCCESS = new Set(["suspected", "expired", "refreshing", "rate_limited"]);

export function applySuccess(state: CredentialState, model: string, now: number): CredentialState {
  const healed = HEALED_BY_SUCCESS.has(state.status);
  // A success on a half-open model confirms its recovery.
  const next = isHalfOpen(state, model, now) ? withoutCooldown(state, model) : state;
  return settleStatus(
    changed(next, {
      status: healed ? "active" : next.status,
      reason: healed ? undefined : next.reason,
      failures: 0,
      verified: state.verified === false ? true : state.verified,
      usageCount: state.usageCount + 1,
      lastUsedAt: now,
    }),
    now,
  );
}

export function applyError(state: CredentialState, error: UpstreamError, model: string, now: number): CredentialState {
  const failed = changed(state, { failedAt: now, lastUsedAt: now });
  switch (error.kind) {
    case "rate_limited":
      return settleStatus(
        withCooldown(
          failed,
          model,
          now + (error.retryAfterMs ?? DEFAULT_RATE_COOLDOWN_MS),
          `rate limited: ${error.message}`,
        ),
        now,
      );
    case "quota_exhausted": {
      // Google's own reset time (quotaResetTimeStamp / quotaResetDelay / RetryInfo), never a fixed guess.
      const until = error.resetAt ?? now + (error.retryAfterMs ?? DEFAULT_QUOTA_COOLDOWN_MS);
      return settleStatus(withCooldown(failed, model, until, `quota exhausted: ${error.message}`), now);
    }
    case "auth_expired":
      return changed(failed, { status: "expired" });
    case "auth_revoked":
      return changed(failed, { status: "error", reason: error.message });
    case "validation_required":
      return changed(failed, { status: "needs_verification", reason: error.message, link: error.link });
    case "service_disabled":
      return changed(failed, { status: "ineligible", reason: error.message, link: error.link });
    case "permission_denied":
      return changed(failed, { status: "permission_denied", reason: error.message });
    case "upstream_unavailable":
    case "network": {
      const failures = state.failures + 1;
      const suspect = failures >= SUSPECT_AFTER && (state.status === "active" || state.status === "rate_limited");
      return suspect
        ? changed(failed, { failures, status: "suspected", reason: `${failures} failures in a row: ${error.message}` })
        : changed(failed, { failures });
    }
    default:
      // capacity (Google's, not the account's), invalid_request, not_found: no penalty.
      return state;
  }
}
