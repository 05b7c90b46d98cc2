// Admin JSON for a credential: the predecessor's fields (masked project, local "YYYY-MM-DD HH:MM:SS"
// timestamps or "N/A") plus what the page needs. The email is whole: an authenticated admin manages
// these accounts (masking is for logs and metrics). Built field by field from the pool's view,
// which holds no token: nothing secret can slip through a spread.
import { USABLE_STATUSES } from "../pool/credential.ts";
import type { CredentialView } from "../pool/pool.ts";
import { maskEmail } from "../pool/mask.ts";

export { maskEmail };

/** How the admin page names a credential: its email, else its name and key label, else its id. */
export function credentialName(view: CredentialView | undefined, id: string): string {
  if (!view) return id;
  if (view.email) return view.email;
  const named = [view.label, view.keyLabel].filter(Boolean).join(" ");
  return named || id;
}

export function maskProject(project: string | undefined): string | null {
  return project ? `***-${project.slice(-4)}` : null;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Server-local `YYYY-MM-DD HH:MM:SS`, or "N/A". */
export function legacyTime(ms: number | undefined): string {
  if (!ms) return "N/A";
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : null);

export interface AdminCredential {
  id: string;
  kind: string;
  label: string | null;
  email: string | null;
  project_id: string | null;
  tier: string | null;
  status: string;
  /** False until Google has accepted the credential once (keys from the config start so). */
  verified: boolean;
  /** API keys: the first and last four characters (`AIza…Xy12`). */
  key_label: string | null;
  is_available: boolean;
  expiry: string;
  usage_count: number;
  created_at: string;
  last_used_at: string;
  last_refreshed_at: string;
  rate_limited_until: string;
  failed_at: string;
  failure_reason: string | null;
  verification_link: string | null;
  failures: number;
  cooldowns: Record<string, { until: string; reason: string; remaining_sec: number }>;
  quota: Record<string, { remaining_fraction: number; reset_time: string | null }> | null;
  quota_updated_at: string | null;
  last_check: { checker: string; healthy: boolean; reason: string | null; at: string | null } | null;
  /** ISO timestamps (or null) for clients that prefer them. */
  times: Record<"expires_at" | "created_at" | "last_used_at" | "last_refreshed_at" | "failed_at", string | null>;
}

export function adminCredential(view: CredentialView, now = Date.now()): AdminCredential {
  const s = view.state;
  const cooldowns: AdminCredential["cooldowns"] = {};
  let latest = 0;
  for (const [model, cd] of Object.entries(s.cooldowns ?? {})) {
    if (!cd || cd.until <= now) continue;
    latest = Math.max(latest, cd.until);
    cooldowns[model] = {
      until: new Date(cd.until).toISOString(),
      reason: String(cd.reason ?? ""),
      remaining_sec: Math.ceil((cd.until - now) / 1000),
    };
  }
  const quota = s.quota
    ? Object.fromEntries(
        Object.entries(s.quota).map(([model, b]) => [
          model,
          {
            remaining_fraction: Number(b?.remainingFraction ?? 0),
            reset_time: b?.resetTime ? String(b.resetTime) : null,
          },
        ]),
      )
    : null;
  const problem = s.status !== "active" && s.status !== "rate_limited" && s.status !== "suspected";
  return {
    id: view.id,
    kind: view.kind,
    label: view.label ?? null,
    email: view.email ?? null,
    project_id: maskProject(view.project),
    tier: view.tier ?? null,
    status: s.status,
    verified: s.verified !== false,
    key_label: view.keyLabel ?? null,
    is_available: USABLE_STATUSES.has(s.status) && s.status !== "disabled",
    expiry: legacyTime(view.expiresAt),
    usage_count: s.usageCount ?? 0,
    created_at: legacyTime(view.createdAt),
    last_used_at: legacyTime(s.lastUsedAt),
    last_refreshed_at: legacyTime(s.lastRefreshedAt),
    rate_limited_until: legacyTime(latest || undefined),
    failed_at: legacyTime(s.failedAt),
    failure_reason: problem ? (s.reason ?? null) : null,
    verification_link: s.link ?? null,
    failures: s.failures ?? 0,
    cooldowns,
    quota,
    quota_updated_at: iso(s.quotaUpdatedAt),
    last_check: s.lastCheck
      ? {
          checker: s.lastCheck.checker,
          healthy: s.lastCheck.healthy,
          reason: s.lastCheck.reason ?? null,
          at: iso(s.lastCheck.at),
        }
      : null,
    times: {
      expires_at: iso(view.expiresAt),
      created_at: iso(view.createdAt),
      last_used_at: iso(s.lastUsedAt),
      last_refreshed_at: iso(s.lastRefreshedAt),
      failed_at: iso(s.failedAt),
    },
  };
}
