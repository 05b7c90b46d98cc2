// Minor Code Assist methods: retrieveUserQuota, listExperiments, admin controls, user settings (§2.9, §8.6).
import { EXHAUSTING_PRESETS } from "./error-presets.ts";
import { invalidArgument, isoSeconds, notFound, sendGoogleError } from "./errors.ts";
import { projectPermissionDenied } from "./account-errors.ts";
import { DEFAULT_FAULT_ACTIONS } from "./faults.ts";
import { isObject, sendJson, type Ctx } from "./http-util.ts";
import { isChatModel, MODELS, needsPreviewAccess } from "./models.ts";
import type { AccountState } from "./state.ts";
import type { ErrorPreset } from "./types.ts";

const DAY_MS = 24 * 3600 * 1000;
/** Daily request budget used to derive remainingFraction from recorded traffic. */
const DAILY_REQUESTS = 1000;

function projectOf(body: unknown): string | undefined {
  return isObject(body) && typeof body.project === "string" && body.project !== "" ? body.project : undefined;
}

export function usableModels(a: AccountState): string[] {
  return MODELS.filter((m) => m.codeAssist && isChatModel(m) && (a.previewAccess || !needsPreviewAccess(m))).map(
    (m) => m.id,
  );
}

export function retrieveUserQuota(ctx: Ctx, a: AccountState, body: unknown): void {
  const project = projectOf(body);
  if (project !== undefined && project !== a.project) return sendGoogleError(ctx, projectPermissionDenied(project));
  const now = Date.now();
  const buckets = usableModels(a).map((modelId) => {
    // A pending quota-type fault for this account × model means the bucket is empty.
    const fault = ctx.env.faults.pending().find((r) => {
      const m = r.match ?? {};
      const action = m.action ?? "generateContent";
      return (
        typeof r.error === "string" &&
        EXHAUSTING_PRESETS.includes(r.error as ErrorPreset) &&
        (m.email === undefined || m.email === a.email) &&
        (m.model === undefined || m.model === modelId) &&
        DEFAULT_FAULT_ACTIONS.includes(action)
      );
    });
    const used = ctx.env.requests.filter(
      (r) =>
        r.email === a.email &&
        r.model === modelId &&
        r.status === 200 &&
        (r.action === "generateContent" || r.action === "streamGenerateContent"),
    ).length;
    const fraction = a.quotaOverrides.get(modelId) ?? (fault ? 0 : Math.max(0, 1 - used / DAILY_REQUESTS));
    const resetSec = fault?.errorOptions?.resetDelaySec ?? (fault ? 31447 : DAY_MS / 1000);
    return {
      modelId,
      tokenType: "REQUESTS",
      remainingFraction: fraction,
      resetTime: isoSeconds(now + resetSec * 1000),
    };
  });
  sendJson(ctx, 200, { buckets });
}

export function listExperiments(ctx: Ctx, a: AccountState, body: unknown): void {
  if (!projectOf(body)) return sendGoogleError(ctx, invalidArgument("Project is required."));
  sendJson(ctx, 200, {
    experimentIds: [45740196, 45752213, 45760185],
    flags: [
      { flagId: 45740196, boolValue: a.previewAccess }, // ENABLE_PREVIEW
      { flagId: 45752213, boolValue: false }, // ENABLE_ADMIN_CONTROLS
      { flagId: 45760185, boolValue: true }, // GEMINI_3_1_PRO_LAUNCHED
      { flagId: 45740197, floatValue: 0.7 }, // CONTEXT_COMPRESSION_THRESHOLD
    ],
    filteredFlags: [],
    debugString: "fake-google",
  });
}

export function fetchAdminControls(ctx: Ctx): void {
  sendJson(ctx, 200, {});
}

function hasCurrentTier(a: AccountState): boolean {
  return a.onboarded && a.verified && a.scenario !== "ineligible";
}

export function getUserSetting(ctx: Ctx, a: AccountState): void {
  if (!hasCurrentTier(a)) return sendGoogleError(ctx, notFound("User does not have a current tier."));
  sendJson(ctx, 200, { cloudaicompanionProject: a.project, freeTierDataCollectionOptin: a.dataCollectionOptin });
}

export function setUserSetting(ctx: Ctx, a: AccountState, body: unknown): void {
  if (!hasCurrentTier(a)) return sendGoogleError(ctx, notFound("User does not have a current tier."));
  if (isObject(body) && typeof body.freeTierDataCollectionOptin === "boolean")
    a.dataCollectionOptin = body.freeTierDataCollectionOptin;
  sendJson(ctx, 200, { cloudaicompanionProject: a.project, freeTierDataCollectionOptin: a.dataCollectionOptin });
}

export function recordMetrics(ctx: Ctx): void {
  sendJson(ctx, 200, {});
}
