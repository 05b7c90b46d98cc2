// Error taxonomy → pool action, as pure state transitions (the pool applies and persists them).
import type { UpstreamError } from "../gemini/errors.ts";
import type { CredentialState, ModelCooldown } from "./credential.ts";

/** Consecutive transient failures before a credential is marked suspected. */
export const SUSPECT_AFTER = 3;
/** Cooldown when Google says "rate limited" without saying for how long. */
export const DEFAULT_RATE_COOLDOWN_MS = 60_000;
/** Cooldown for an exhausted quota without any reset hint. */
export const DEFAULT_QUOTA_COOLDOWN_MS = 60 * 60_000;

export function cooldownFor(state: CredentialState, model: string, now: number): ModelCooldown | undefined {
  const cd = state.cooldowns[model];
  return cd && cd.until > now ? cd : undefined;
}

function withCooldown(state: CredentialState, model: string, until: number, reason: string): CredentialState {
  return { ...state, cooldowns: { ...state.cooldowns, [model]: { until, reason } } };
}

export function applySuccess(state: CredentialState, now: number): CredentialState {
  const healed = state.status === "suspected" || state.status === "expired" || state.status === "rate_limited";
  return {
    ...state,
    status: healed ? "active" : state.status,
    reason: healed ? undefined : state.reason,
    failures: 0,
    usageCount: state.usageCount + 1,
    lastUsedAt: now,
  };
}

export function applyError(state: CredentialState, error: UpstreamError, model: string, now: number): CredentialState {
  const failed = { ...state, failedAt: now, lastUsedAt: now };
  switch (error.kind) {
    case "rate_limited":
      return withCooldown(failed, model, now + (error.retryAfterMs ?? DEFAULT_RATE_COOLDOWN_MS), `rate limited: ${error.message}`);
    case "quota_exhausted": {
      const until = error.resetAt ?? now + (error.retryAfterMs ?? DEFAULT_QUOTA_COOLDOWN_MS);
      return withCooldown(failed, model, until, `quota exhausted: ${error.message}`);
    }
    case "auth_expired":
      return { ...failed, status: "expired" };
    case "auth_revoked":
      return { ...failed, status: "error", reason: error.message };
    case "validation_required":
      return { ...failed, status: "needs_verification", reason: error.message, link: error.link };
    case "service_disabled":
      return { ...failed, status: "ineligible", reason: error.message, link: error.link };
    case "permission_denied":
      return { ...failed, status: "permission_denied", reason: error.message };
    case "upstream_unavailable":
    case "network": {
      const failures = state.failures + 1;
      return { ...failed, failures, status: failures >= SUSPECT_AFTER && state.status === "active" ? "suspected" : state.status };
    }
    default:
      // capacity, invalid_request, not_found: not the credential's fault.
      return state;
  }
}
