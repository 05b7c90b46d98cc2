// Cheap health checks (one at a time, chosen at random, as the predecessor did) and what their
// outcome does to a credential: failure marks it suspected (or the account problem it revealed),
// success heals it and confirms cooldowns whose time has passed.
import { joinURL, withQuery } from "ufo";
import { classifyGoogleError } from "../gemini/classify.ts";
import { isUpstreamError } from "../gemini/errors.ts";
import { callJson } from "../upstream/json-call.ts";
import { fetchTokenInfo } from "../upstream/oauth.ts";
import { checkCodeAssistAccount } from "../upstream/onboarding.ts";
import { completeAccount, stateForError, type AccountServices, type StateChange } from "./accounts.ts";
import {
  ACCOUNT_PROBLEM_STATUSES,
  USABLE_STATUSES,
  type Credential,
  type CredentialState,
  type OAuthCredential,
  type QuotaBucket,
} from "./credential.ts";
import { fetchQuota } from "./quota.ts";
import { withoutExpiredCooldowns } from "./reactions.ts";

/** The probes a health check can use: OAuth accounts use the first four, API keys `models`. */
export type CheckerName = "tokeninfo" | "loadCodeAssist" | "countTokens" | "retrieveUserQuota" | "models" | "setup";

export const OAUTH_CHECKERS: readonly CheckerName[] = [
  "tokeninfo",
  "loadCodeAssist",
  "countTokens",
  "retrieveUserQuota",
];
/** A cheap, harmless model for countTokens checks. */
export const CHECK_MODEL = "gemini-2.5-flash-lite";

/** Outcome of a health check of one credential (`pool.check()`): which checker ran and what it found. */
export interface CheckResult {
  id: string;
  checker: CheckerName;
  healthy: boolean;
  reason?: string;
  previousStatus: CredentialState["status"];
  newStatus: CredentialState["status"];
}

export interface CheckOutcome {
  healthy: boolean;
  reason?: string;
  change?: StateChange;
  quota?: Record<string, QuotaBucket>;
  /** The account as a `setup` check found it (project, tier, token). */
  credential?: OAuthCredential;
  /** Set when Google refused the credential itself (an invalid API key): its ErrorInfo reason. */
  refused?: string;
}

/** The checker for a credential: a full re-setup for account problems, else one at random. */
export function chooseChecker(credential: Credential, state: CredentialState, random: number): CheckerName {
  if (credential.kind === "api_key") return "models";
  if (ACCOUNT_PROBLEM_STATUSES.has(state.status)) return "setup";
  return OAUTH_CHECKERS[Math.floor(random * OAUTH_CHECKERS.length)] ?? "tokeninfo";
}

async function listModels(services: AccountServices, apiKey: string): Promise<void> {
  await callJson(
    services.oauth.http,
    withQuery(joinURL(services.oauth.endpoints.geminiApi, "v1beta/models"), { pageSize: 1 }),
    {
      method: "GET",
      headers: { "x-goog-api-key": apiKey },
      what: "models list",
      failure: (status, bodyText, headers) => classifyGoogleError({ status, bodyText, headers }),
    },
  );
}

export async function runChecker(
  services: AccountServices,
  credential: Credential,
  checker: CheckerName,
): Promise<CheckOutcome> {
  try {
    if (credential.kind === "api_key") {
      await listModels(services, credential.apiKey);
      return { healthy: true };
    }
    const token = credential.accessToken!;
    switch (checker) {
      case "setup": {
        const done = await completeAccount(services, credential);
        if (done.error) throw done.error;
        return { healthy: true, credential: done.credential };
      }
      case "tokeninfo":
        await fetchTokenInfo(services.oauth, token);
        return { healthy: true };
      case "loadCodeAssist":
        await checkCodeAssistAccount(services.codeAssist, token, { project: credential.project });
        return { healthy: true };
      case "countTokens":
        await services.codeAssist.call(token, "countTokens", {
          request: { model: `models/${CHECK_MODEL}`, contents: [{ role: "user", parts: [{ text: "ping" }] }] },
        });
        return { healthy: true };
      default:
        return { healthy: true, quota: await fetchQuota(services.codeAssist, token, credential.project) };
    }
  } catch (error) {
    const keyRefused = credential.kind === "api_key" && isUpstreamError(error) && error.kind === "auth_revoked";
    const change: StateChange = keyRefused
      ? { status: "error", reason: `Google refused this API key: ${(error as Error).message}` }
      : stateForError(error);
    const refused = keyRefused ? ((error as { reason?: string }).reason ?? "API_KEY_INVALID") : undefined;
    return { healthy: false, reason: change.reason ?? String(error), change, refused };
  }
}

/** The state after a check (pure). An operator's `disabled` is never changed by a check. */
export function applyCheck(
  state: CredentialState,
  checker: CheckerName,
  outcome: CheckOutcome,
  now: number,
): CredentialState {
  const lastCheck = { checker, healthy: outcome.healthy, reason: outcome.reason, at: now };
  if (state.status === "disabled") return { ...state, lastCheck };
  if (outcome.healthy) {
    const heal =
      state.status === "suspected" ||
      state.status === "expired" ||
      (ACCOUNT_PROBLEM_STATUSES.has(state.status) && checker === "setup");
    const healed = heal ? { ...state, status: "active" as const, reason: undefined, link: undefined } : state;
    const verified = state.verified === false ? true : state.verified;
    return { ...withoutExpiredCooldowns(healed, now), failures: 0, verified, lastCheck };
  }
  const change = outcome.change ?? { status: "suspected" as const, reason: outcome.reason };
  // A transient failure only casts doubt on a working credential; account problems stay what they are.
  if (change.status === "suspected" && !USABLE_STATUSES.has(state.status)) return { ...state, lastCheck };
  const reason =
    change.status === "suspected"
      ? `health check ${checker} failed: ${change.reason ?? "unknown error"}`
      : change.reason;
  return { ...state, ...change, reason, failedAt: now, lastCheck };
}

export interface IdleCandidate {
  id: string;
  state: CredentialState;
}

/**
 * The credential the idle loop should check: first one whose cooldown has passed without
 * confirmation (a probe), else the least recently used one idle for longer than `idleMs`.
 */
export function pickIdleCandidate(
  candidates: IdleCandidate[],
  now: number,
  idleMs: number,
): { id: string; probe: boolean } | undefined {
  const eligible = candidates.filter((c) => USABLE_STATUSES.has(c.state.status) && c.state.status !== "refreshing");
  const lastActivity = (s: CredentialState) => Math.max(s.lastUsedAt ?? 0, s.lastCheck?.at ?? 0);
  const byAge = (a: IdleCandidate, b: IdleCandidate) =>
    lastActivity(a.state) - lastActivity(b.state) || a.id.localeCompare(b.id);
  const probes = eligible.filter((c) => Object.values(c.state.cooldowns).some((cd) => cd.until <= now)).sort(byAge);
  if (probes[0]) return { id: probes[0].id, probe: true };
  const idle = eligible.filter((c) => now - lastActivity(c.state) >= idleMs).sort(byAge);
  return idle[0] && { id: idle[0].id, probe: false };
}
