// Project and tier discovery for a Code Assist account, following the Gemini CLI's setupUser:
// loadCodeAssist, then onboardUser (a long-running operation) when the account has no tier yet.
// Failures are explained in plain words with Google's own reason and link.
import { setTimeout as delay } from "node:timers/promises";
import { isUpstreamError } from "../gemini/errors.ts";
import type { CodeAssistClient } from "./code-assist.ts";

export interface AccountSetup {
  project: string;
  tier?: string;
  tierName?: string;
}

export type AccountSetupErrorCode = "ineligible" | "validation_required" | "project_required" | "onboarding_failed";

export class AccountSetupError extends Error {
  readonly code: AccountSetupErrorCode;
  readonly link?: string;
  readonly reasonCode?: string;
  constructor(code: AccountSetupErrorCode, message: string, extra: { link?: string; reasonCode?: string } = {}) {
    super(message);
    this.name = "AccountSetupError";
    this.code = code;
    this.link = extra.link;
    this.reasonCode = extra.reasonCode;
  }
}

interface Tier {
  id?: string;
  name?: string;
  isDefault?: boolean;
  userDefinedCloudaicompanionProject?: boolean;
}
interface IneligibleTier {
  reasonCode?: string;
  reasonMessage?: string;
  tierId?: string;
  tierName?: string;
  validationUrl?: string;
  validationLearnMoreUrl?: string;
}
interface LoadResponse {
  currentTier?: Tier;
  paidTier?: Tier;
  allowedTiers?: Tier[];
  ineligibleTiers?: IneligibleTier[];
  cloudaicompanionProject?: string | { id?: string };
}
interface Operation {
  name?: string;
  done?: boolean;
  response?: { cloudaicompanionProject?: { id?: string } | string };
  error?: { message?: string };
}

export interface SetupOptions {
  /** The user's own Google Cloud project (project_id_map or a stored project). */
  project?: string;
  pollIntervalMs?: number;
  maxPolls?: number;
  signal?: AbortSignal;
}

const projectOf = (value: LoadResponse["cloudaicompanionProject"]): string | undefined =>
  typeof value === "string" ? value || undefined : value?.id || undefined;

function ineligibleError(tiers: IneligibleTier[]): AccountSetupError {
  const first = tiers[0] ?? {};
  const google = tiers
    .map((t) => t.reasonMessage)
    .filter(Boolean)
    .join(", ");
  const sunset = tiers.some((t) => t.reasonCode === "UNSUPPORTED_CLIENT");
  const message = sunset
    ? `Google no longer serves Gemini Code Assist to this account (individual accounts were cut off in June 2026; only paid Code Assist Standard/Enterprise accounts with a Google Cloud project still work). Use such an account, or add a Gemini API key instead. Google says: ${google}`
    : `This account is not eligible for Gemini Code Assist (${first.reasonCode ?? "UNKNOWN"}). Google says: ${google || "no reason given"}`;
  return new AccountSetupError("ineligible", message, {
    reasonCode: first.reasonCode,
    link: first.validationLearnMoreUrl,
  });
}

function projectRequired(tiers: IneligibleTier[] | undefined): AccountSetupError {
  if (tiers?.length) return ineligibleError(tiers);
  return new AccountSetupError(
    "project_required",
    "This account needs its own Google Cloud project (Code Assist Standard/Enterprise or Workspace). Set it in project_id_map for this email (the project must have the Gemini for Google Cloud API enabled). See https://goo.gle/gemini-cli-auth-docs#workspace-gca",
  );
}

const metadata = (project?: string) => ({
  ideType: "IDE_UNSPECIFIED",
  platform: "PLATFORM_UNSPECIFIED",
  pluginType: "GEMINI",
  ...(project ? { duetProject: project } : {}),
});

async function loadCodeAssist(client: CodeAssistClient, token: string, options: SetupOptions): Promise<LoadResponse> {
  const body = {
    ...(options.project ? { cloudaicompanionProject: options.project } : {}),
    metadata: metadata(options.project),
  };
  try {
    return await client.call<LoadResponse>(token, "loadCodeAssist", body, options.signal);
  } catch (error) {
    // VPC Service Controls block loadCodeAssist but generation still works with the user's project.
    if (isUpstreamError(error) && error.reason === "SECURITY_POLICY_VIOLATED")
      return { currentTier: { id: "standard-tier" } };
    throw error;
  }
}

async function onboard(
  client: CodeAssistClient,
  token: string,
  tier: Tier,
  options: SetupOptions,
): Promise<string | undefined> {
  const free = tier.id === "free-tier";
  const body = free
    ? { tierId: tier.id, metadata: metadata() }
    : { tierId: tier.id, cloudaicompanionProject: options.project, metadata: metadata(options.project) };
  let op = await client.call<Operation>(token, "onboardUser", body, options.signal);
  const interval = options.pollIntervalMs ?? 2000;
  for (let i = 0; !op.done && op.name && i < (options.maxPolls ?? 60); i++) {
    await delay(interval, undefined, { signal: options.signal });
    op = await client.getOperation<Operation>(token, op.name, options.signal);
  }
  if (!op.done)
    throw new AccountSetupError(
      "onboarding_failed",
      "Onboarding with Google did not finish in time; try adding the account again later.",
    );
  if (op.error)
    throw new AccountSetupError("onboarding_failed", `Onboarding failed: ${op.error.message ?? "unknown error"}`);
  return projectOf(op.response?.cloudaicompanionProject) ?? options.project;
}

function assertVerified(load: LoadResponse): void {
  const validation = load.ineligibleTiers?.find((t) => t.reasonCode === "VALIDATION_REQUIRED" && t.validationUrl);
  if (!load.currentTier && validation) {
    throw new AccountSetupError(
      "validation_required",
      `Google asks you to verify this account before it can be used: open ${validation.validationUrl} in a browser signed in to it, then check the account again. Google says: ${validation.reasonMessage ?? "Verify your account to continue."}`,
      { link: validation.validationUrl, reasonCode: "VALIDATION_REQUIRED" },
    );
  }
}

/**
 * A cheap health check of an already set-up account: loadCodeAssist must still report a current
 * tier (no onboarding is attempted). Returns the tier id.
 */
export async function checkCodeAssistAccount(
  client: CodeAssistClient,
  accessToken: string,
  options: SetupOptions = {},
): Promise<string> {
  const load = await loadCodeAssist(client, accessToken, options);
  assertVerified(load);
  if (!load.currentTier) {
    if (load.ineligibleTiers?.length) throw ineligibleError(load.ineligibleTiers);
    throw new AccountSetupError(
      "onboarding_failed",
      "Google reports no Code Assist tier for this account any more; add it again to onboard it.",
    );
  }
  return load.paidTier?.id ?? load.currentTier.id ?? "standard-tier";
}

export async function setupCodeAssistAccount(
  client: CodeAssistClient,
  accessToken: string,
  options: SetupOptions = {},
): Promise<AccountSetup> {
  const load = await loadCodeAssist(client, accessToken, options);
  assertVerified(load);
  if (load.currentTier) {
    const project = projectOf(load.cloudaicompanionProject) ?? options.project;
    if (!project) throw projectRequired(load.ineligibleTiers);
    return {
      project,
      tier: load.paidTier?.id ?? load.currentTier.id ?? "standard-tier",
      tierName: load.paidTier?.name ?? load.currentTier.name,
    };
  }
  const tier = load.allowedTiers?.find((t) => t.isDefault) ?? {
    id: "legacy-tier",
    userDefinedCloudaicompanionProject: true,
  };
  if (tier.userDefinedCloudaicompanionProject && !options.project) throw projectRequired(load.ineligibleTiers);
  let project: string | undefined;
  try {
    project = await onboard(client, accessToken, tier, options);
  } catch (error) {
    if (load.ineligibleTiers?.length && isUpstreamError(error)) throw ineligibleError(load.ineligibleTiers);
    throw error;
  }
  if (!project) throw projectRequired(load.ineligibleTiers);
  return { project, tier: tier.id, tierName: tier.name };
}
