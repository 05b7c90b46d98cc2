// Code Assist surface (cloudcode-pa v1internal): bearer auth, method routing, generate/countTokens.
import { applyFault } from "./apply-fault.ts";
import { getOperation, ineligibleError, loadCodeAssist, onboardUser, userDefinedProject } from "./code-assist-setup.ts";
import {
  fetchAdminControls,
  getUserSetting,
  listExperiments,
  recordMetrics,
  retrieveUserQuota,
  setUserSetting,
} from "./code-assist-misc.ts";
import { CODE_ASSIST_DOMAIN, SCOPE_CLOUD_PLATFORM } from "./constants.ts";
import { presetError } from "./error-presets.ts";
import { googleError, invalidArgument, invalidJson, notFound, sendGoogleError, type GoogleError } from "./errors.ts";
import {
  projectPermissionDenied,
  scopeInsufficient,
  serviceDisabled,
  subscriptionRequired,
  unauthenticated,
  validationRequired,
} from "./account-errors.ts";
import { promptChars, tokensFor } from "./generate.ts";
import { runGenerate } from "./generate-handler.ts";
import { bearerToken, field, isObject, sendJson, type Ctx } from "./http-util.ts";
import { findModel, isChatModel, MODELS, needsPreviewAccess, type ModelInfo } from "./models.ts";
import { type AccountState } from "./state.ts";
import { checkAccessToken } from "./tokens.ts";
import { hexId } from "./ids.ts";
import { validateContents } from "./validate.ts";

function rpcMethod(action: string): string {
  return `google.internal.cloud.code.v1internal.CloudCode.${action.charAt(0).toUpperCase()}${action.slice(1)}`;
}

function authenticate(ctx: Ctx): AccountState | undefined {
  const action = ctx.record.action ?? "";
  const check = checkAccessToken(ctx.env.state, bearerToken(ctx));
  if (!check.ok) {
    sendGoogleError(ctx, unauthenticated(check.problem, CODE_ASSIST_DOMAIN, rpcMethod(action)));
    return undefined;
  }
  if (!check.token.scopes.includes(SCOPE_CLOUD_PLATFORM)) {
    sendGoogleError(ctx, scopeInsufficient(CODE_ASSIST_DOMAIN, rpcMethod(action)));
    return undefined;
  }
  const account = ctx.env.state.accounts.get(check.token.email);
  if (!account) sendGoogleError(ctx, unauthenticated("unknown", CODE_ASSIST_DOMAIN, rpcMethod(action)));
  return account;
}

/** Account-level refusals for generate calls, checked before the request itself. */
function gate(ctx: Ctx, a: AccountState, project: unknown): GoogleError | undefined {
  if (a.scenario === "validation-required" && !a.verified) return validationRequired(a.email);
  if (a.scenario === "ineligible") return ineligibleError();
  if (a.scenario === "service-disabled")
    return serviceDisabled(typeof project === "string" && project ? project : (a.project ?? ""));
  if (a.scenario === "subscription-required") return subscriptionRequired();
  if (typeof project === "string" && project !== "") {
    return project === a.project && a.onboarded ? undefined : projectPermissionDenied(project);
  }
  if (!a.onboarded || userDefinedProject(a) || ctx.env.state.options.requireProjectForFreeTier) {
    const message = "The caller does not have permission";
    return googleError(403, message, { errors: [{ message, domain: "global", reason: "forbidden" }] });
  }
  return undefined;
}

function modelFor(a: AccountState, id: unknown): ModelInfo | undefined {
  const m = typeof id === "string" ? MODELS.find((x) => x.id === id) : undefined;
  if (!m || !m.codeAssist || !isChatModel(m) || (needsPreviewAccess(m) && !a.previewAccess)) return undefined;
  return m;
}

async function generate(ctx: Ctx, a: AccountState, body: Record<string, unknown>, stream: boolean): Promise<void> {
  const denied = gate(ctx, a, body.project);
  if (denied) return sendGoogleError(ctx, denied);
  if (typeof body.model !== "string" || body.model === "")
    return sendGoogleError(ctx, invalidArgument("model is required."));
  const model = modelFor(a, body.model);
  if (!model) return sendGoogleError(ctx, notFound());
  if (!isObject(body.request)) return sendGoogleError(ctx, invalidArgument());

  // Google One AI credits: only when the client opts in with enabled_credit_types.
  const credits = Array.isArray(body.enabled_credit_types) && body.enabled_credit_types.includes("GOOGLE_ONE_AI");
  if (credits && !(a.credits !== undefined && a.credits > 0)) {
    return sendGoogleError(ctx, presetError("insufficient_credits", { record: ctx.record, options: {} }));
  }
  const traceId = hexId(8);
  let consumed = false;
  await runGenerate(ctx, {
    model,
    request: body.request,
    stream,
    vertex: true,
    wrap: (obj, last) => {
      const w: Record<string, unknown> = { response: obj, traceId };
      if (credits && last && a.credits !== undefined) {
        if (!consumed) a.credits -= 1;
        consumed = true;
        w.consumedCredits = [{ creditType: "GOOGLE_ONE_AI", creditAmount: "1" }];
        w.remainingCredits = [{ creditType: "GOOGLE_ONE_AI", creditAmount: String(a.credits) }];
      }
      return w;
    },
  });
}

function countTokens(ctx: Ctx, a: AccountState, body: Record<string, unknown>): void {
  const request = body.request;
  const model = findModel(
    typeof field(request, "model") === "string" ? (field(request, "model") as string) : undefined,
  );
  if (!isObject(request)) return sendGoogleError(ctx, invalidArgument());
  if (!model || !model.codeAssist || !isChatModel(model) || (needsPreviewAccess(model) && !a.previewAccess))
    return sendGoogleError(ctx, notFound());
  const err = validateContents(request.contents, "CountTokensRequest");
  if (err) return sendGoogleError(ctx, err);
  sendJson(ctx, 200, { totalTokens: Math.max(1, tokensFor(promptChars(request))) });
}

export async function handleCodeAssist(ctx: Ctx): Promise<void> {
  const a = authenticate(ctx);
  if (!a) return;
  const body = ctx.record.body;
  const project = isObject(body) && typeof body.project === "string" ? body.project : a.project;
  if (await applyFault(ctx, project)) return;
  if (ctx.badJson) return sendGoogleError(ctx, invalidJson(ctx.rawBody));
  const action = ctx.record.action ?? "";
  const get = ctx.record.method === "GET";
  if (action === "getOperation") return getOperation(ctx, a, ctx.record.path.slice("/v1internal/".length));
  if (action === "getCodeAssistGlobalUserSetting") return getUserSetting(ctx, a);
  if (get) return sendGoogleError(ctx, notFound(`Method not found: GET ${ctx.record.path}`));
  const obj = isObject(body) ? body : {};
  switch (action) {
    case "loadCodeAssist":
      return loadCodeAssist(ctx, a, obj);
    case "onboardUser":
      return onboardUser(ctx, a, obj);
    case "generateContent":
      return generate(ctx, a, obj, false);
    case "streamGenerateContent":
      return generate(ctx, a, obj, true);
    case "countTokens":
      return countTokens(ctx, a, obj);
    case "retrieveUserQuota":
      return retrieveUserQuota(ctx, a, obj);
    case "listExperiments":
      return listExperiments(ctx, a, obj);
    case "fetchAdminControls":
      return fetchAdminControls(ctx);
    case "setCodeAssistGlobalUserSetting":
      return setUserSetting(ctx, a, obj);
    case "recordCodeAssistMetrics":
      return recordMetrics(ctx);
    default:
      return sendGoogleError(ctx, notFound(`Method not found: ${action}.`));
  }
}
