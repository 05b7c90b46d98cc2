// Code Assist account setup: loadCodeAssist tiers, onboardUser LRO, operations (§2.8, §3, §8.3).
import { CODE_ASSIST_DOMAIN } from "./constants.ts";
import { errorInfo, googleError, invalidArgument, notFound, sendGoogleError, type GoogleError } from "./errors.ts";
import {
  projectPermissionDenied,
  securityPolicyViolated,
  validationRequired,
  validationUrlFor,
  VALIDATION_LEARN_MORE,
} from "./account-errors.ts";
import { isObject, sendJson, type Ctx } from "./http-util.ts";
import { type AccountState, type Operation } from "./state.ts";
import { hexId } from "./ids.ts";

const FREE_TIER_NAME = "Gemini Code Assist for individuals";
export const UNSUPPORTED_CLIENT_MESSAGE =
  "This client is no longer supported for Gemini Code Assist for individuals. To continue using Gemini, please migrate to the Antigravity suite of products: https://antigravity.google";
const UNSUPPORTED_LOCATION_MESSAGE =
  "Your current account is not eligible for Gemini Code Assist for individuals because it is not currently available in your location.";

function tier(id: string, isDefault = false): Record<string, unknown> {
  const t: Record<string, unknown> =
    id === "free-tier"
      ? {
          id,
          name: FREE_TIER_NAME,
          description: "Gemini-powered code suggestions and chat in multiple IDEs",
          privacyNotice: {
            showNotice: true,
            noticeText: "This notice and our Privacy Policy describe how Gemini Code Assist handles your data.",
          },
        }
      : {
          id,
          name: id === "standard-tier" ? "Gemini Code Assist" : id,
          description: "Unlimited coding assistant with the most powerful Gemini models",
          userDefinedCloudaicompanionProject: true,
          privacyNotice: {},
        };
  if (isDefault) t.isDefault = true;
  return t;
}

function ineligible(
  reasonCode: string,
  reasonMessage: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { reasonCode, reasonMessage, tierId: "free-tier", tierName: FREE_TIER_NAME, ...extra };
}

/** The tier the account currently has (after onboarding, override, or scenario default). */
export function currentTierId(a: AccountState): string {
  if (a.onboardedTier) return a.onboardedTier;
  if (a.tier) return a.tier;
  return ["standard", "service-disabled", "subscription-required", "vpc-sc", "unsupported-location"].includes(
    a.scenario,
  )
    ? "standard-tier"
    : "free-tier";
}

export function userDefinedProject(a: AccountState): boolean {
  return currentTierId(a) !== "free-tier";
}

export function ineligibleError(): GoogleError {
  return googleError(403, UNSUPPORTED_CLIENT_MESSAGE, {
    details: [errorInfo("UNSUPPORTED_CLIENT", CODE_ASSIST_DOMAIN)],
  });
}

export function loadCodeAssist(ctx: Ctx, a: AccountState, body: unknown): void {
  if (a.scenario === "vpc-sc") return sendGoogleError(ctx, securityPolicyViolated());
  const requested =
    isObject(body) && typeof body.cloudaicompanionProject === "string" ? body.cloudaicompanionProject : undefined;
  const out: Record<string, unknown> = {};
  const onboardedView = (): void => {
    const id = currentTierId(a);
    out.currentTier = tier(id);
    out.allowedTiers = id === "free-tier" ? [tier("free-tier", true), tier("standard-tier")] : [tier(id, true)];
    if (a.scenario === "standard" && !a.onboardedTier) {
      // No managed project: echo the caller's project only when it is the account's own.
      if (requested !== undefined && requested !== a.project)
        return sendGoogleError(ctx, projectPermissionDenied(requested));
      if (requested !== undefined) out.cloudaicompanionProject = requested;
    } else if (a.project) out.cloudaicompanionProject = a.project;
  };
  switch (a.scenario) {
    case "ineligible":
      out.allowedTiers = [tier("standard-tier", true)];
      out.ineligibleTiers = [ineligible("UNSUPPORTED_CLIENT", UNSUPPORTED_CLIENT_MESSAGE)];
      break;
    case "unsupported-location":
      if (a.onboarded) onboardedView();
      else {
        out.allowedTiers = [tier("standard-tier", true)];
        out.ineligibleTiers = [ineligible("UNSUPPORTED_LOCATION", UNSUPPORTED_LOCATION_MESSAGE)];
      }
      break;
    case "validation-required":
      if (a.verified) onboardedView();
      else {
        out.ineligibleTiers = [
          ineligible("VALIDATION_REQUIRED", "Verify your account to continue.", {
            validationUrl: validationUrlFor(a.email),
            validationUrlLinkText: "Verify",
            validationLearnMoreUrl: VALIDATION_LEARN_MORE,
            validationLearnMoreLinkText: "Learn more",
          }),
        ];
      }
      break;
    case "needs-onboarding":
      if (a.onboarded) onboardedView();
      else
        out.allowedTiers =
          a.tier && a.tier !== "free-tier" ? [tier(a.tier, true)] : [tier("free-tier", true), tier("standard-tier")];
      break;
    default:
      onboardedView();
  }
  if (ctx.res.headersSent) return;
  if (a.credits !== undefined) {
    out.paidTier = {
      id: "g1-pro-tier",
      name: "Gemini Code Assist in Google One AI Pro",
      availableCredits: [{ creditType: "GOOGLE_ONE_AI", creditAmount: String(a.credits) }],
    };
  }
  sendJson(ctx, 200, out);
}

function operationBody(op: Operation, done: boolean): Record<string, unknown> {
  if (!done) return { name: op.name, done: false };
  const response: Record<string, unknown> = {
    "@type": "type.googleapis.com/google.internal.cloud.code.v1internal.OnboardUserResponse",
  };
  if (op.project) response.cloudaicompanionProject = { id: op.project, name: op.project };
  return { name: op.name, done: true, response };
}

/** One poll (POST or GET): answers done:false `onboardingPolls` times, then completes. */
function advance(ctx: Ctx, a: AccountState, op: Operation): void {
  if (op.falseLeft > 0) {
    op.falseLeft -= 1;
    return sendJson(ctx, 200, operationBody(op, false));
  }
  if (op.project) {
    a.onboarded = true;
    a.onboardedTier = op.tierId;
    a.project = op.project;
  }
  sendJson(ctx, 200, operationBody(op, true));
}

export function onboardUser(ctx: Ctx, a: AccountState, body: unknown): void {
  if (a.scenario === "vpc-sc") return sendGoogleError(ctx, securityPolicyViolated());
  if (a.scenario === "validation-required" && !a.verified) return sendGoogleError(ctx, validationRequired(a.email));
  if (a.scenario === "ineligible") return sendGoogleError(ctx, ineligibleError());
  const tierId = isObject(body) && typeof body.tierId === "string" ? body.tierId : undefined;
  if (!tierId) return sendGoogleError(ctx, invalidArgument("tierId is required."));
  const project =
    isObject(body) && typeof body.cloudaicompanionProject === "string" && body.cloudaicompanionProject !== ""
      ? body.cloudaicompanionProject
      : undefined;
  let result: string | undefined;
  if (tierId === "free-tier") {
    if (a.scenario === "unsupported-location") {
      return sendGoogleError(ctx, googleError(400, UNSUPPORTED_LOCATION_MESSAGE, { status: "FAILED_PRECONDITION" }));
    }
    // The CLI omits the project for free tier because a project here fails with "Precondition Failed".
    if (project && ctx.env.state.options.strictFreeTierProject) {
      return sendGoogleError(ctx, googleError(400, "Precondition check failed.", { status: "FAILED_PRECONDITION" }));
    }
    result = a.project;
  } else if (project !== undefined) {
    if (project !== a.project) return sendGoogleError(ctx, projectPermissionDenied(project));
    result = project;
  }
  // Re-POSTing is idempotent: the same operation advances (topabomb / CLIProxyAPI re-POST to poll).
  let op = a.operation;
  if (!op || op.tierId !== tierId || op.project !== result) {
    // Already-provisioned users get done:true on the first POST (cloud-code-vscode#1100).
    const falseLeft = a.onboarded ? 0 : a.onboardingPolls;
    op = { name: `operations/${hexId(10)}`, email: a.email, tierId, project: result, falseLeft };
    a.operation = op;
    ctx.env.state.operations.set(op.name, op);
  }
  advance(ctx, a, op);
}

export function getOperation(ctx: Ctx, a: AccountState, name: string): void {
  const op = ctx.env.state.operations.get(name);
  if (!op || op.email !== a.email) return sendGoogleError(ctx, notFound(`Operation ${name} not found.`));
  advance(ctx, a, op);
}
