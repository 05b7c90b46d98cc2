// Account- and credential-level refusals: 401/403 bodies for auth, scopes, validation, API enablement,
// licences, project permission and VPC-SC (shapes from docs/upstream.md#status-and-reason-catalogue, docs/upstream.md#faithful-fake-google).
import { CODE_ASSIST_DOMAIN } from "./constants.ts";
import { errorInfo, googleError, helpLinks, localizedMessage, type GoogleError } from "./errors.ts";

/** 401 as Google APIs answer a missing / bad bearer token. */
export function unauthenticated(problem: string, service: string, method: string): GoogleError {
  const missing = problem === "missing";
  const message = missing
    ? "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."
    : "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";
  const reason = missing
    ? "CREDENTIALS_MISSING"
    : problem === "unknown"
      ? "ACCESS_TOKEN_TYPE_UNSUPPORTED"
      : "ACCESS_TOKEN_EXPIRED";
  const err = googleError(401, message, { details: [errorInfo(reason, "googleapis.com", { service, method })] });
  err.headers = { "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"' };
  return err;
}

export function scopeInsufficient(service: string, method: string): GoogleError {
  return googleError(403, "Request had insufficient authentication scopes.", {
    details: [errorInfo("ACCESS_TOKEN_SCOPE_INSUFFICIENT", "googleapis.com", { service, method })],
  });
}

export function validationUrlFor(email: string): string {
  return `https://accounts.google.com/signin/continue?sarp=1&scc=1&authuser=${encodeURIComponent(email)}`;
}

export const VALIDATION_LEARN_MORE = "https://support.google.com/accounts?p=al_alert";

export function validationRequired(email: string): GoogleError {
  const url = validationUrlFor(email);
  return googleError(403, "Verify your account to continue.", {
    details: [
      errorInfo("VALIDATION_REQUIRED", CODE_ASSIST_DOMAIN, { validation_link: url }),
      helpLinks([
        { description: "Verify your account", url },
        { description: "Learn more", url: VALIDATION_LEARN_MORE },
      ]),
    ],
  });
}

export function serviceDisabled(project: string): GoogleError {
  const service = "cloudaicompanion.googleapis.com";
  const activationUrl = `https://console.developers.google.com/apis/api/${service}/overview?project=${project}`;
  const message = `Gemini for Google Cloud API has not been used in project ${project} before or it is disabled. Enable it by visiting ${activationUrl} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`;
  return googleError(403, message, {
    errors: [
      {
        message,
        domain: "usageLimits",
        reason: "accessNotConfigured",
        extendedHelp: "https://console.developers.google.com",
      },
    ],
    details: [
      errorInfo("SERVICE_DISABLED", "googleapis.com", {
        service,
        consumer: `projects/${project}`,
        activationUrl,
        serviceTitle: "Gemini for Google Cloud API",
        containerInfo: project,
      }),
      localizedMessage(message),
      helpLinks([{ description: "Google developers console API activation", url: activationUrl }]),
    ],
  });
}

export function subscriptionRequired(): GoogleError {
  return googleError(
    403,
    "The caller does not have permission: you lack a Gemini Code Assist license for this project. Ask your administrator to assign you a license. (#3501)",
    {
      details: [
        errorInfo("SUBSCRIPTION_REQUIRED", "cloudaicompanion.googleapis.com"),
        helpLinks([
          {
            description: "Learn more about Gemini Code Assist licenses",
            url: "https://cloud.google.com/gemini/docs/admin",
          },
        ]),
      ],
    },
  );
}

/** 403 for a project the caller may not use (message shape seen in Gemini CLI issues). */
export function projectPermissionDenied(project: string): GoogleError {
  const resource = `//cloudaicompanion.googleapis.com/projects/${project}/locations/global`;
  const permission = "cloudaicompanion.companions.generateChat";
  return googleError(403, `Permission '${permission}' denied on resource '${resource}' (or it may not exist).`, {
    details: [errorInfo("IAM_PERMISSION_DENIED", "cloudaicompanion.googleapis.com", { permission, resource })],
  });
}

export function securityPolicyViolated(): GoogleError {
  const uid = "fake-vpcsc-0123456789abcdef";
  return googleError(
    403,
    `Request is prohibited by organization's policy. vpcServiceControlsUniqueIdentifier: ${uid}`,
    {
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.PreconditionFailure",
          violations: [{ type: "VPC_SERVICE_CONTROLS", description: uid }],
        },
        errorInfo("SECURITY_POLICY_VIOLATED", "googleapis.com", { service: CODE_ASSIST_DOMAIN, uid }),
      ],
    },
  );
}
