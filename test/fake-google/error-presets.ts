// Named error presets for fault injection (shapes from docs/upstream.md#errors-and-quotas and §8.5).
import { CODE_ASSIST_DOMAIN, GEMINI_API_DOMAIN } from "./constants.ts";
import {
  errorInfo,
  goDuration,
  googleError,
  helpLinks,
  humanDuration,
  invalidArgument,
  isoSeconds,
  localizedMessage,
  notFound,
  quotaFailure,
  retryInfo,
  type GoogleError,
} from "./errors.ts";
import {
  projectPermissionDenied,
  scopeInsufficient,
  serviceDisabled,
  subscriptionRequired,
  unauthenticated,
  validationRequired,
} from "./account-errors.ts";
import type { ErrorPreset, FakeRequestRecord, FaultRule } from "./types.ts";

export interface PresetContext {
  record: FakeRequestRecord;
  project?: string;
  options: NonNullable<FaultRule["errorOptions"]>;
}

const QUOTA_METRIC = "generativelanguage.googleapis.com/generate_content_free_tier_requests";

function quotaMessage(model: string, limit: number, retrySec: number): string {
  return (
    "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/usage?tab=rate-limit. \n" +
    `* Quota exceeded for metric: ${QUOTA_METRIC}, limit: ${limit}, model: ${model}\n` +
    `Please retry in ${retrySec}s.`
  );
}

function quotaViolation(quotaId: string, model: string, limit: number): Record<string, unknown> {
  return {
    quotaMetric: QUOTA_METRIC,
    quotaId,
    quotaDimensions: { location: "global", model },
    quotaValue: String(limit),
  };
}

export function presetError(preset: ErrorPreset, ctx: PresetContext): GoogleError {
  const { record, options } = ctx;
  const domain = record.surface === "gemini-api" ? GEMINI_API_DOMAIN : CODE_ASSIST_DOMAIN;
  const model = record.model ?? "gemini-2.5-pro";
  const retrySec = options.retryDelaySec;
  const docsLink = helpLinks([
    { description: "Learn more about Gemini API quotas", url: "https://ai.google.dev/gemini-api/docs/rate-limits" },
  ]);
  switch (preset) {
    case "rate_limit":
      return googleError(429, "Resource has been exhausted (e.g. check quota).", {
        details: [errorInfo("RATE_LIMIT_EXCEEDED", domain, { model }), retryInfo(retrySec ?? 1.5)],
      });
    case "rate_limit_no_retry":
      return googleError(429, "Resource has been exhausted (e.g. check quota).", {
        details: [errorInfo("RATE_LIMIT_EXCEEDED", domain, { model })],
      });
    case "quota_exhausted": {
      const reset = options.resetDelaySec ?? 31447;
      return googleError(
        429,
        `You have exhausted your capacity on this model. Your quota will reset after ${humanDuration(reset)}.`,
        {
          details: [
            errorInfo("QUOTA_EXHAUSTED", domain, {
              uiMessage: "true",
              model,
              quotaResetDelay: goDuration(reset),
              quotaResetTimeStamp: isoSeconds(Date.now() + reset * 1000),
            }),
            retryInfo(reset),
          ],
        },
      );
    }
    case "per_day_quota": {
      const delay = retrySec ?? 34.4;
      return googleError(429, quotaMessage(model, 250, delay), {
        details: [
          quotaFailure([quotaViolation("GenerateRequestsPerDayPerProjectPerModel-FreeTier", model, 250)]),
          docsLink,
          retryInfo(delay),
        ],
      });
    }
    case "per_minute_quota": {
      const delay = retrySec ?? 34.4;
      return googleError(429, quotaMessage(model, 10, delay), {
        details: [
          quotaFailure([quotaViolation("GenerateRequestsPerMinutePerProjectPerModel-FreeTier", model, 10)]),
          docsLink,
          retryInfo(delay),
        ],
      });
    }
    case "limit_zero": {
      const delay = retrySec ?? 41.2;
      return googleError(429, quotaMessage(model, 0, delay), {
        details: [
          quotaFailure([quotaViolation("GenerateRequestsPerDayPerProjectPerModel-FreeTier", model, 0)]),
          docsLink,
          retryInfo(delay),
        ],
      });
    }
    case "retry_in_message":
      return googleError(429, `Resource has been exhausted (e.g. check quota). Please retry in ${retrySec ?? 56.18}s.`);
    case "capacity": {
      const details = [errorInfo("MODEL_CAPACITY_EXHAUSTED", domain, { model })];
      if (retrySec !== undefined) details.push(retryInfo(retrySec));
      return googleError(429, `No capacity available for model ${model} on the server`, { details });
    }
    case "capacity_503":
      return googleError(503, `No capacity available for model ${model} on the server`, {
        details: [errorInfo("MODEL_CAPACITY_EXHAUSTED", domain, { model }), retryInfo(retrySec ?? 9)],
      });
    case "generic_429": {
      const message =
        "Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.";
      return googleError(429, message, { errors: [{ message, domain: "global", reason: "rateLimitExceeded" }] });
    }
    case "insufficient_credits":
      return googleError(429, "Insufficient Google One AI credits balance to serve this request.", {
        details: [errorInfo("INSUFFICIENT_G1_CREDITS_BALANCE", CODE_ASSIST_DOMAIN, { model })],
      });
    case "unauthenticated":
      return unauthenticated("expired", domain, `${record.action ?? "generateContent"}`);
    case "validation_required":
      return validationRequired(record.email ?? "user@example.com");
    case "service_disabled":
      return serviceDisabled(ctx.project ?? "fake-project");
    case "subscription_required":
      return subscriptionRequired();
    case "permission_denied":
      return projectPermissionDenied(ctx.project ?? "fake-project");
    case "scope_insufficient":
      return scopeInsufficient(domain, record.action ?? "generateContent");
    case "invalid_argument":
      return invalidArgument();
    case "not_found":
      return notFound();
    case "cancelled":
      return googleError(499, "The operation was cancelled.");
    case "internal":
      return googleError(500, "Internal error encountered.");
    case "unavailable":
      return googleError(503, "The model is overloaded. Please try again later.");
    case "api_key_invalid":
      return apiKeyInvalid();
  }
}

export function apiKeyInvalid(): GoogleError {
  const message = "API key not valid. Please pass a valid API key.";
  return googleError(400, message, {
    details: [
      errorInfo("API_KEY_INVALID", "googleapis.com", { service: GEMINI_API_DOMAIN }),
      localizedMessage(message),
    ],
  });
}

/** Quota-type presets that make retrieveUserQuota report the bucket as exhausted. */
export const EXHAUSTING_PRESETS: ErrorPreset[] = ["quota_exhausted", "per_day_quota", "limit_zero"];
