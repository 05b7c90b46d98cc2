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
}

export interface ApiKeyCredential {
  id: string;
  kind: "api_key";
  apiKey: string;
  createdAt: number;
  label?: string;
}

export type Credential = OAuthCredential | ApiKeyCredential;

export interface ModelCooldown {
  /** Epoch ms. */
  until: number;
  reason: string;
}

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
}

export function initialState(): CredentialState {
  return { status: "active", cooldowns: {}, usageCount: 0, failures: 0 };
}

/** Stable ids, so re-adding the same account or key updates it instead of duplicating it. */
export function credentialId(kind: Credential["kind"], identity: string): string {
  const hash = createHash("sha256").update(identity).digest("hex").slice(0, 10);
  return `${kind === "oauth" ? "oauth" : "key"}-${hash}`;
}

/** Statuses a request may be sent with (after healthy ones: suspected). */
export const USABLE_STATUSES: ReadonlySet<CredentialStatus> = new Set(["active", "suspected", "expired", "rate_limited"]);
