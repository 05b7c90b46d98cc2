// Quota awareness: Code Assist `retrieveUserQuota` buckets, stored on the credential state, used to
// prefer accounts with more left and to confirm (or extend) cooldowns whose time has passed.
import { clientIdsOfCodeAssistId } from "../gemini/model-info.ts";
import type { CodeAssistClient } from "../upstream/code-assist.ts";
import type { CredentialState, QuotaBucket } from "./credential.ts";
import { withCooldown, withoutCooldown } from "./reactions.ts";

interface RawBucket {
  modelId?: unknown;
  remainingFraction?: unknown;
  resetTime?: unknown;
}

export function parseQuotaBuckets(value: unknown): Record<string, QuotaBucket> {
  const buckets = value && typeof value === "object" ? (value as { buckets?: unknown }).buckets : undefined;
  const out: Record<string, QuotaBucket> = {};
  for (const raw of Array.isArray(buckets) ? (buckets as RawBucket[]) : []) {
    if (typeof raw?.modelId !== "string") continue;
    const fraction = Number(raw.remainingFraction);
    if (!Number.isFinite(fraction)) continue;
    const model = raw.modelId.replace(/^models\//, "");
    // Several token types may exist per model: the scarcest one is what limits us.
    const previous = out[model];
    if (previous && previous.remainingFraction <= fraction) continue;
    out[model] = {
      remainingFraction: Math.max(0, Math.min(1, fraction)),
      resetTime: typeof raw.resetTime === "string" ? raw.resetTime : undefined,
    };
  }
  // Code Assist reports `gemini-3-flash` for what clients call `gemini-3.5-flash`: file it under both.
  for (const [model, bucket] of Object.entries(out)) {
    for (const alias of clientIdsOfCodeAssistId(model)) out[alias] ??= bucket;
  }
  return out;
}

export async function fetchQuota(
  client: CodeAssistClient,
  accessToken: string,
  project: string | undefined,
  signal?: AbortSignal,
): Promise<Record<string, QuotaBucket>> {
  const body = project ? { project } : {};
  return parseQuotaBuckets(await client.call<unknown>(accessToken, "retrieveUserQuota", body, signal));
}

/**
 * Store the buckets (selection ranks an empty bucket last). A cooldown whose time has passed is
 * confirmed (cleared) when its bucket has quota again, or extended to the bucket's reset when it
 * still has none. Running cooldowns set by real errors are left alone.
 */
export function applyQuota(state: CredentialState, buckets: Record<string, QuotaBucket>, now: number): CredentialState {
  let next: CredentialState = { ...state, quota: buckets, quotaUpdatedAt: now };
  for (const [model, bucket] of Object.entries(buckets)) {
    const cd = next.cooldowns[model];
    const resetAt = bucket.resetTime ? Date.parse(bucket.resetTime) : Number.NaN;
    if (!cd || cd.until > now) continue;
    if (bucket.remainingFraction > 0) next = withoutCooldown(next, model);
    else if (resetAt > now) next = withCooldown(next, model, resetAt, "quota still exhausted (retrieveUserQuota)");
  }
  return next;
}
