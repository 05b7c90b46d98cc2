// Credential records (what is stored) and their live state (what the pool decides), for both kinds
// behind one interface: Code Assist OAuth accounts and Gemini API keys.
import { createHash } from "node:crypto";

/** Exposed exactly with these names (admin API, events, metrics). */
export type CredentialStatus =
  | "active"
  | "suspected"
  | "expired"
  | "refreshing"
  | "rate_limited"
  | "permission_denied"
  | "needs_verification"
  | "ineligible"
  | "disabled"
  | "error";

/** A Gemini CLI / Code Assist OAuth account: tokens, email and Google Cloud project. */
export interface OAuthCredential {
  id: string;
  kind: "oauth";
  email?: string;
  project?: string;
  tier?: string;
  accessToken?: string;
  refreshToken: string;
  /** Access token expiry, epoch ms. */
  expiresAt?: number;
  scopes?: string[];
  createdAt: number;
  label?: string;
  /** Relative share in round-robin and least-used selection. Default 1. */
  weight?: number;
  /** Higher is tried first; lower priorities serve only when no higher one can. Default 0. */
  priority?: number;
}

/** A Gemini API key (generativelanguage.googleapis.com). */
export interface ApiKeyCredential {
  id: string;
  kind: "api_key";
  apiKey: string;
  createdAt: number;
  label?: string;
  weight?: number;
  priority?: number;
}

/** A pooled credential: a Gemini CLI / Code Assist OAuth account or a Gemini API key. */
export type Credential = OAuthCredential | ApiKeyCredential;

/** A per-model pause of a credential after a rate limit or an exhausted quota (capacity errors never cool a credential). */
export interface ModelCooldown {
  /** Epoch ms. */
  until: number;
  reason: string;
}

/** One `retrieveUserQuota` bucket, as Google reports it. */
export interface QuotaBucket {
  /** 0 (exhausted) to 1 (untouched). */
  remainingFraction: number;
  /** ISO time of the next reset. */
  resetTime?: string;
}

/** The outcome of the latest health check. */
export interface LastCheck {
  checker: string;
  healthy: boolean;
  reason?: string;
  at: number;
}

/** The mutable state of a credential: status, reason, per-model cooldowns and counters. */
export interface CredentialState {
  status: CredentialStatus;
  /** Why the credential is not active, in plain words (Google's text when there is one). */
  reason?: string;
  /** A link for the human: verification page, API activation, help. */
  link?: string;
  cooldowns: Record<string, ModelCooldown>;
  usageCount: number;
  failures: number;
  lastUsedAt?: number;
  lastRefreshedAt?: number;
  failedAt?: number;
  /** `retrieveUserQuota` buckets by model id (OAuth accounts). */
  quota?: Record<string, QuotaBucket>;
  quotaUpdatedAt?: number;
  lastCheck?: LastCheck;
  /**
   * `false` while Google has not yet accepted this credential once (an API key from the config or
   * added without a check); the first successful request or health check sets it. Absent: verified.
   */
  verified?: boolean;
}

/** The state of a credential the pool has not seen fail yet. */
export function initialState(): CredentialState {
  return { status: "active", cooldowns: {}, usageCount: 0, failures: 0 };
}

/** Stable ids, so re-adding the same account or key updates it instead of duplicating it. */
export function credentialId(kind: Credential["kind"], identity: string): string {
  const hash = createHash("sha256").update(identity).digest("hex").slice(0, 10);
  return `${kind === "oauth" ? "oauth" : "key"}-${hash}`;
}

/**
 * Statuses a request may be sent with. `expired` and `refreshing` are only a token to renew (the
 * lease waits for it); `rate_limited` means some model is cooling, others still serve.
 */
export const USABLE_STATUSES: ReadonlySet<CredentialStatus> = new Set([
  "active",
  "suspected",
  "expired",
  "refreshing",
  "rate_limited",
]);

/** Account problems a human (or a successful re-check) must clear. */
export const ACCOUNT_PROBLEM_STATUSES: ReadonlySet<CredentialStatus> = new Set([
  "permission_denied",
  "needs_verification",
  "ineligible",
  "error",
]);

/** How an API key is shown: its first and last four characters (`AIza…Xy12`), never more. */
export function maskApiKey(apiKey: string): string {
  return apiKey.length > 12 ? `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}` : `…${apiKey.slice(-4)}`;
}
