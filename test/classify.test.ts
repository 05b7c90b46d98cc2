import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classifyGoogleError, classifyOAuthError, networkError, parseGoogleError } from "../src/gemini/classify.ts";
import { formatDuration, parseDuration } from "../src/gemini/duration.ts";
import type { UpstreamError } from "../src/gemini/errors.ts";

const NOW = Date.parse("2026-03-09T12:00:00Z");
const T = "type.googleapis.com/google.rpc.";
const CA = "cloudcode-pa.googleapis.com";

const errorInfo = (reason: string, metadata: Record<string, string> = {}, domain = CA) => ({
  "@type": `${T}ErrorInfo`,
  reason,
  domain,
  metadata,
});
const retryInfo = (retryDelay: string) => ({ "@type": `${T}RetryInfo`, retryDelay });
const quotaFailure = (...quotaIds: string[]) => ({
  "@type": `${T}QuotaFailure`,
  violations: quotaIds.map((quotaId) => ({ quotaId })),
});
const help = (...urls: string[]) => ({
  "@type": `${T}Help`,
  links: urls.map((url, i) => ({ description: i ? "Learn more" : "Verify", url })),
});

/** Google's envelope, pretty-printed with 2-space indent as the service does. */
function google(
  code: number,
  status: string,
  message: string,
  extra: { details?: unknown[]; errors?: unknown[] } = {},
): string {
  return JSON.stringify(
    {
      error: {
        code,
        message,
        ...(extra.errors && { errors: extra.errors }),
        status,
        ...(extra.details && { details: extra.details }),
      },
    },
    null,
    2,
  );
}
/** Streaming methods: a one-element array with a trailing newline before `]`. */
const arrayWrapped = (text: string) => `[${text}\n]\n`;

interface Row {
  name: string;
  status: number;
  body: string;
  headers?: Record<string, string>;
  model?: string;
  expected: Partial<
    Pick<UpstreamError, "kind" | "retryAfterMs" | "resetAt" | "reason" | "link" | "model" | "googleStatus">
  >;
}

const quotaMessage = "You have exhausted your capacity on this model. Your quota will reset after 19h14m47s.";
const quota41 = [
  errorInfo("QUOTA_EXHAUSTED", {
    uiMessage: "true",
    model: "gemini-2.5-pro",
    quotaResetDelay: "19h14m47.123456789s",
    quotaResetTimeStamp: "2026-03-09T21:00:00Z",
  }),
  retryInfo("69287.123456789s"),
];
const verifyUrl = "https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=AKgnsbs";
const activationUrl =
  "https://console.developers.google.com/apis/api/cloudaicompanion.googleapis.com/overview?project=123";
const generic429 =
  "Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.";

const rows: Row[] = [
  // 400
  {
    name: "400 invalid argument",
    status: 400,
    body: google(400, "INVALID_ARGUMENT", "Request contains an invalid argument."),
    expected: { kind: "invalid_request", googleStatus: "INVALID_ARGUMENT" },
  },
  {
    name: "400 missing thought signature",
    status: 400,
    body: google(
      400,
      "INVALID_ARGUMENT",
      "Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly.",
    ),
    expected: { kind: "invalid_request" },
  },
  {
    name: "400 API_KEY_INVALID",
    status: 400,
    body: google(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", {
      details: [
        errorInfo("API_KEY_INVALID", { service: "generativelanguage.googleapis.com" }, "googleapis.com"),
        {
          "@type": `${T}LocalizedMessage`,
          locale: "en-US",
          message: "API key not valid. Please pass a valid API key.",
        },
      ],
    }),
    expected: { kind: "auth_revoked", reason: "API_KEY_INVALID" },
  },
  {
    name: "400 'API key not valid' without details",
    status: 400,
    body: google(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key."),
    expected: { kind: "auth_revoked" },
  },
  {
    name: "400 FAILED_PRECONDITION",
    status: 400,
    body: google(400, "FAILED_PRECONDITION", "User location is not supported for the API use."),
    expected: { kind: "invalid_request", googleStatus: "FAILED_PRECONDITION" },
  },
  // 401
  {
    name: "401 expired access token",
    status: 401,
    body: google(
      401,
      "UNAUTHENTICATED",
      "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
      {
        details: [
          errorInfo(
            "ACCESS_TOKEN_EXPIRED",
            { service: CA, method: "google.internal.cloud.code.v1internal.CloudCode.GenerateContent" },
            "googleapis.com",
          ),
        ],
      },
    ),
    expected: { kind: "auth_expired", reason: "ACCESS_TOKEN_EXPIRED" },
  },
  // 403
  {
    name: "403 VALIDATION_REQUIRED takes the first Help link",
    status: 403,
    body: google(403, "PERMISSION_DENIED", "Verify your account to continue.", {
      details: [errorInfo("VALIDATION_REQUIRED"), help(verifyUrl, "https://support.google.com/accounts?p=al_alert")],
    }),
    expected: { kind: "validation_required", reason: "VALIDATION_REQUIRED", link: verifyUrl },
  },
  {
    name: "403 VALIDATION_REQUIRED falls back to metadata.validation_link, dirty domain",
    status: 403,
    body: google(403, "PERMISSION_DENIED", "Verify your account to continue.", {
      details: [errorInfo("VALIDATION_REQUIRED", { validation_link: verifyUrl }, ` ${CA}\u0000"`)],
    }),
    expected: { kind: "validation_required", link: verifyUrl },
  },
  {
    name: "403 SERVICE_DISABLED links to activationUrl",
    status: 403,
    body: google(
      403,
      "PERMISSION_DENIED",
      `Gemini for Google Cloud API has not been used in project 123 before or it is disabled. Enable it by visiting ${activationUrl} then retry.`,
      {
        details: [
          errorInfo(
            "SERVICE_DISABLED",
            {
              service: "cloudaicompanion.googleapis.com",
              consumer: "projects/123",
              activationUrl,
              serviceTitle: "Gemini for Google Cloud API",
              containerInfo: "123",
            },
            "googleapis.com",
          ),
          help("https://console.developers.google.com/apis/library"),
        ],
      },
    ),
    expected: { kind: "service_disabled", reason: "SERVICE_DISABLED", link: activationUrl },
  },
  {
    name: "403 legacy accessNotConfigured",
    status: 403,
    body: google(403, "PERMISSION_DENIED", "Access Not Configured.", {
      errors: [
        {
          message: "Access Not Configured.",
          domain: "usageLimits",
          reason: "accessNotConfigured",
          extendedHelp: activationUrl,
        },
      ],
    }),
    expected: { kind: "service_disabled", link: activationUrl },
  },
  {
    name: "403 SUBSCRIPTION_REQUIRED",
    status: 403,
    body: google(403, "PERMISSION_DENIED", "You lack a Gemini Code Assist license (#3501).", {
      details: [
        errorInfo("SUBSCRIPTION_REQUIRED", {}, "cloudaicompanion.googleapis.com"),
        help("https://goo.gle/set-up-gemini-code-assist"),
      ],
    }),
    expected: {
      kind: "service_disabled",
      reason: "SUBSCRIPTION_REQUIRED",
      link: "https://goo.gle/set-up-gemini-code-assist",
    },
  },
  {
    name: "403 named user on organization's subscription",
    status: 403,
    body: google(
      403,
      "PERMISSION_DENIED",
      "You must be a named user on your organization's Gemini Code Assist Standard edition subscription to use this service.",
      { errors: [{ message: "forbidden", domain: "global", reason: "forbidden" }] },
    ),
    expected: { kind: "service_disabled", link: undefined },
  },
  {
    name: "403 SECURITY_POLICY_VIOLATED",
    status: 403,
    body: google(403, "PERMISSION_DENIED", "Request is prohibited by organization's policy.", {
      details: [errorInfo("SECURITY_POLICY_VIOLATED", {}, "googleapis.com")],
    }),
    expected: { kind: "permission_denied", reason: "SECURITY_POLICY_VIOLATED" },
  },
  {
    name: "403 ACCESS_TOKEN_SCOPE_INSUFFICIENT",
    status: 403,
    body: google(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes.", {
      details: [errorInfo("ACCESS_TOKEN_SCOPE_INSUFFICIENT", {}, "googleapis.com")],
    }),
    expected: { kind: "permission_denied" },
  },
  {
    name: "403 legacy forbidden",
    status: 403,
    body: google(403, "PERMISSION_DENIED", "The caller does not have permission", {
      errors: [{ message: "forbidden", domain: "global", reason: "forbidden" }],
    }),
    expected: { kind: "permission_denied" },
  },
  // 404
  {
    name: "404 unknown model",
    status: 404,
    model: "gemini-9",
    body: google(404, "NOT_FOUND", "Requested entity was not found."),
    expected: { kind: "not_found", model: "gemini-9" },
  },
  // 429 quota (4.1 envelope, 8.5 #3)
  {
    name: "429 QUOTA_EXHAUSTED uses quotaResetTimeStamp",
    status: 429,
    model: "x",
    body: google(429, "RESOURCE_EXHAUSTED", quotaMessage, { details: quota41 }),
    expected: {
      kind: "quota_exhausted",
      reason: "QUOTA_EXHAUSTED",
      model: "gemini-2.5-pro",
      resetAt: Date.parse("2026-03-09T21:00:00Z"),
      retryAfterMs: 9 * 3_600_000,
    },
  },
  {
    name: "429 QUOTA_EXHAUSTED without timestamp uses quotaResetDelay",
    status: 429,
    body: google(
      429,
      "RESOURCE_EXHAUSTED",
      "You have exhausted your capacity on this model. Your quota will reset after 8h44m7s.",
      {
        details: [
          errorInfo("QUOTA_EXHAUSTED", { uiMessage: "true", model: "gemini-2.5-pro", quotaResetDelay: "8h44m7.5s" }),
          retryInfo("31447.5s"),
        ],
      },
    ),
    expected: { kind: "quota_exhausted", resetAt: NOW + 31_447_500, retryAfterMs: 31_447_500 },
  },
  {
    name: "429 QUOTA_EXHAUSTED with a past timestamp falls back to the delay",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", quotaMessage, {
      details: [errorInfo("QUOTA_EXHAUSTED", { quotaResetTimeStamp: "2026-03-09T11:00:00Z" }), retryInfo("60s")],
    }),
    expected: { kind: "quota_exhausted", retryAfterMs: 60_000, resetAt: NOW + 60_000 },
  },
  {
    name: "429 'exhausted your capacity' message only",
    status: 429,
    body: google(
      429,
      "RESOURCE_EXHAUSTED",
      "You have exhausted your capacity on this model. Your quota will reset after 8h44m7s.",
    ),
    expected: { kind: "quota_exhausted", resetAt: NOW + 31_447_000, retryAfterMs: 31_447_000 },
  },
  {
    name: "429 'Individual quota reached' (Standard tier)",
    status: 429,
    body: google(
      429,
      "RESOURCE_EXHAUSTED",
      "Individual quota reached. Please upgrade your subscription to increase your limits. Resets in 9h22m20s.",
    ),
    expected: { kind: "quota_exhausted", resetAt: NOW + 33_740_000 },
  },
  {
    name: "429 INSUFFICIENT_G1_CREDITS_BALANCE",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", "Insufficient credits.", {
      details: [errorInfo("INSUFFICIENT_G1_CREDITS_BALANCE", {}, "googleapis.com")],
    }),
    expected: {
      kind: "quota_exhausted",
      reason: "INSUFFICIENT_G1_CREDITS_BALANCE",
      resetAt: undefined,
      retryAfterMs: undefined,
    },
  },
  {
    name: "429 QuotaFailure PerDay (Gemini API)",
    status: 429,
    body: google(
      429,
      "RESOURCE_EXHAUSTED",
      "You exceeded your current quota, please check your plan and billing details.\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 250\nPlease retry in 34.427507412s.",
      {
        details: [
          help("https://ai.google.dev/gemini-api/docs/rate-limits"),
          quotaFailure("GenerateRequestsPerDayPerProjectPerModel-FreeTier"),
          retryInfo("34s"),
        ],
      },
    ),
    expected: {
      kind: "quota_exhausted",
      resetAt: NOW + 34_000,
      link: "https://ai.google.dev/gemini-api/docs/rate-limits",
    },
  },
  {
    name: "429 'limit: 0' is quota",
    status: 429,
    body: google(
      429,
      "RESOURCE_EXHAUSTED",
      "Quota exceeded for metric: generate_content_free_tier_requests, limit: 0, model: gemini-2.5-pro. Please retry in 20s.",
      { details: [quotaFailure("GenerateRequestsPerMinutePerProjectPerModel-FreeTier"), retryInfo("20s")] },
    ),
    expected: { kind: "quota_exhausted", retryAfterMs: 20_000 },
  },
  {
    name: "429 'limit: 0' beats RATE_LIMIT_EXCEEDED",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", "limit: 0", {
      details: [errorInfo("RATE_LIMIT_EXCEEDED"), retryInfo("1s")],
    }),
    expected: { kind: "quota_exhausted" },
  },
  {
    name: "429 'limit: 05' is not 'limit: 0'",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", "Quota exceeded, limit: 05. Please retry in 3s."),
    expected: { kind: "rate_limited", retryAfterMs: 3000 },
  },
  {
    name: "429 'Please retry in' above 5 minutes is quota",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", "Quota exceeded. Please retry in 400s."),
    expected: { kind: "quota_exhausted", retryAfterMs: 400_000, resetAt: NOW + 400_000 },
  },
  // 429 rate (8.5 #1, #2, #5, #6)
  {
    name: "429 RATE_LIMIT_EXCEEDED + RetryInfo 0.539477544s",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", "Rate limited.", {
      details: [errorInfo("RATE_LIMIT_EXCEEDED", { quotaResetDelay: "539.477544ms" }), retryInfo("0.539477544s")],
    }),
    expected: { kind: "rate_limited", reason: "RATE_LIMIT_EXCEEDED", retryAfterMs: 540, resetAt: undefined },
  },
  {
    name: "429 RATE_LIMIT_EXCEEDED + RetryInfo 45.123s",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", "Rate limited.", {
      details: [errorInfo("RATE_LIMIT_EXCEEDED"), retryInfo("45.123s")],
    }),
    expected: { kind: "rate_limited", retryAfterMs: 45_123 },
  },
  {
    name: "429 RATE_LIMIT_EXCEEDED + RetryInfo exactly 300s stays rate",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", "Rate limited.", {
      details: [errorInfo("RATE_LIMIT_EXCEEDED"), retryInfo("300s")],
    }),
    expected: { kind: "rate_limited", retryAfterMs: 300_000 },
  },
  {
    name: "429 RATE_LIMIT_EXCEEDED + RetryInfo > 300s is quota",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", "Rate limited.", {
      details: [
        errorInfo("RATE_LIMIT_EXCEEDED", { quotaResetDelay: "161h39m41.300432511s" }),
        retryInfo("581981.300432511s"),
      ],
    }),
    expected: { kind: "quota_exhausted", retryAfterMs: 581_981_301, resetAt: NOW + 581_981_301 },
  },
  {
    name: "429 RATE_LIMIT_EXCEEDED without RetryInfo",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", "Rate limited.", { details: [errorInfo("RATE_LIMIT_EXCEEDED")] }),
    expected: { kind: "rate_limited", retryAfterMs: undefined },
  },
  {
    name: "429 RATE_LIMIT_EXCEEDED outranks an 'exhausted your capacity' message",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", "You have exhausted your capacity on this model.", {
      details: [errorInfo("RATE_LIMIT_EXCEEDED"), retryInfo("0.53s")],
    }),
    expected: { kind: "rate_limited", retryAfterMs: 530 },
  },
  {
    name: "429 generic with legacy rateLimitExceeded",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", generic429, {
      errors: [{ message: generic429, domain: "global", reason: "rateLimitExceeded" }],
    }),
    expected: { kind: "rate_limited", retryAfterMs: undefined, reason: undefined },
  },
  {
    name: "429 QuotaFailure PerMinute without RetryInfo waits 60s",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", {
      details: [quotaFailure("GenerateRequestsPerMinutePerProjectPerModel")],
    }),
    expected: { kind: "rate_limited", retryAfterMs: 60_000 },
  },
  {
    name: "429 metadata.quota_limit PerMinute",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", {
      details: [
        errorInfo("SOME_REASON", { quota_limit: "GenerateContentRequestsPerMinutePerProject" }, "googleapis.com"),
      ],
    }),
    expected: { kind: "rate_limited", retryAfterMs: 60_000 },
  },
  {
    name: "429 'Please retry in 56.18s.'",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota. Please retry in 56.18s."),
    expected: { kind: "rate_limited", retryAfterMs: 56_180 },
  },
  {
    name: "429 'Please retry in 500ms'",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", "Slow down. Please retry in 500ms"),
    expected: { kind: "rate_limited", retryAfterMs: 500 },
  },
  // capacity (8.5 #4)
  {
    name: "429 MODEL_CAPACITY_EXHAUSTED + RetryInfo 9s",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", "No capacity available for model gemini-2.5-pro on the server", {
      details: [errorInfo("MODEL_CAPACITY_EXHAUSTED", { model: "gemini-2.5-pro" }), retryInfo("9s")],
    }),
    expected: { kind: "capacity", model: "gemini-2.5-pro", retryAfterMs: 9000, resetAt: undefined },
  },
  {
    name: "503 MODEL_CAPACITY_EXHAUSTED",
    status: 503,
    body: google(503, "UNAVAILABLE", "No capacity available for model gemini-3-pro-preview on the server", {
      details: [errorInfo("MODEL_CAPACITY_EXHAUSTED", { model: "gemini-3-pro-preview" })],
    }),
    expected: { kind: "capacity", model: "gemini-3-pro-preview", retryAfterMs: undefined },
  },
  {
    name: "429 MODEL_CAPACITY_EXCEEDED",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", "Capacity exceeded.", { details: [errorInfo("MODEL_CAPACITY_EXCEEDED")] }),
    expected: { kind: "capacity", reason: "MODEL_CAPACITY_EXCEEDED" },
  },
  {
    name: "429 'No capacity available' without details",
    status: 429,
    body: google(429, "RESOURCE_EXHAUSTED", "No capacity available for model gemini-2.5-flash on the server"),
    model: "gemini-2.5-flash",
    expected: { kind: "capacity", model: "gemini-2.5-flash" },
  },
  {
    name: "503 overloaded",
    status: 503,
    body: google(503, "UNAVAILABLE", "The model is overloaded. Please try again later."),
    expected: { kind: "capacity" },
  },
  // 499 / 5xx (8.5 #8)
  {
    name: "499 CANCELLED",
    status: 499,
    body: google(499, "CANCELLED", "The operation was cancelled."),
    expected: { kind: "upstream_unavailable", googleStatus: "CANCELLED" },
  },
  {
    name: "503 unavailable keeps RetryInfo",
    status: 503,
    body: google(503, "UNAVAILABLE", "Service Unavailable", { details: [retryInfo("2s")] }),
    expected: { kind: "upstream_unavailable", retryAfterMs: 2000 },
  },
  {
    name: "503 with a quota reason is still quota",
    status: 503,
    body: google(503, "UNAVAILABLE", "Quota.", { details: [errorInfo("QUOTA_EXHAUSTED", { quotaResetDelay: "1h" })] }),
    expected: { kind: "quota_exhausted", resetAt: NOW + 3_600_000 },
  },
  {
    name: "500 internal",
    status: 500,
    body: google(500, "INTERNAL", "Internal error encountered."),
    expected: { kind: "upstream_unavailable" },
  },
  {
    name: "500 with RESOURCE_EXHAUSTED status",
    status: 500,
    body: google(500, "RESOURCE_EXHAUSTED", "x", { details: [errorInfo("QUOTA_EXHAUSTED"), retryInfo("3600s")] }),
    expected: { kind: "quota_exhausted", retryAfterMs: 3_600_000 },
  },
  {
    name: "502 HTML page",
    status: 502,
    body: "<!DOCTYPE html><html><head><title>Error 502 (Server Error)!!1</title><style>*{margin:0}</style></head><body>bad gateway</body></html>",
    expected: { kind: "upstream_unavailable", googleStatus: undefined },
  },
  { name: "504 empty body", status: 504, body: "", expected: { kind: "upstream_unavailable" } },
  {
    name: "409 other 4xx",
    status: 409,
    body: google(409, "ABORTED", "Conflict."),
    expected: { kind: "invalid_request" },
  },
  { name: "418 non-JSON other 4xx", status: 418, body: "nope", expected: { kind: "invalid_request" } },
  // Corrupted / wrapped forms
  {
    name: "array-wrapped streaming error",
    status: 429,
    body: arrayWrapped(google(429, "RESOURCE_EXHAUSTED", quotaMessage, { details: quota41 })),
    expected: { kind: "quota_exhausted", reason: "QUOTA_EXHAUSTED", model: "gemini-2.5-pro" },
  },
  {
    name: "duplicated commas inside an array-wrapped body",
    status: 403,
    body: arrayWrapped(
      google(403, "PERMISSION_DENIED", "Verify.", {
        details: [errorInfo("VALIDATION_REQUIRED"), help(verifyUrl)],
      }).replace(`"domain": "${CA}",`, `"domain": "${CA}",\n ,      `),
    ),
    expected: { kind: "validation_required", link: verifyUrl },
  },
  {
    name: "stray whitespace in @type keys and values",
    status: 429,
    body: JSON.stringify({
      error: {
        code: 429,
        message: "m",
        status: "RESOURCE_EXHAUSTED",
        details: [
          { " @type ": ` ${T}ErrorInfo\n`, reason: "RATE_LIMIT_EXCEEDED", domain: CA },
          { "@type": `${T}RetryInfo `, retryDelay: "7s" },
        ],
      },
    }),
    expected: { kind: "rate_limited", reason: "RATE_LIMIT_EXCEEDED", retryAfterMs: 7000 },
  },
  {
    name: "error nested as JSON text inside message (two levels, inside a 500)",
    status: 500,
    body: google(
      500,
      "INTERNAL",
      `Upstream said: ${google(500, "INTERNAL", arrayWrapped(google(429, "RESOURCE_EXHAUSTED", quotaMessage, { details: quota41 })))}`,
    ),
    expected: { kind: "quota_exhausted", googleStatus: "RESOURCE_EXHAUSTED", model: "gemini-2.5-pro" },
  },
  // Fixture recorded from the live Gemini API
  {
    name: "real google-429-retry-info.json",
    status: 429,
    body: readFileSync(new URL("./fixtures/gemini-api-recorded/google-429-retry-info.json", import.meta.url), "utf8"),
    expected: { kind: "rate_limited", retryAfterMs: 34_400, googleStatus: "RESOURCE_EXHAUSTED" },
  },
  // Retry-After header
  {
    name: "retry-after seconds when the body has no hint",
    status: 503,
    headers: { "retry-after": "30" },
    body: "Service Unavailable",
    expected: { kind: "upstream_unavailable", retryAfterMs: 30_000 },
  },
  {
    name: "retry-after HTTP date",
    status: 429,
    headers: { "retry-after": new Date(NOW + 90_000).toUTCString() },
    body: google(429, "RESOURCE_EXHAUSTED", generic429),
    expected: { kind: "rate_limited", retryAfterMs: 90_000 },
  },
  {
    name: "RetryInfo beats retry-after",
    status: 429,
    headers: { "retry-after": "99" },
    body: google(429, "RESOURCE_EXHAUSTED", "x", { details: [errorInfo("RATE_LIMIT_EXCEEDED"), retryInfo("2s")] }),
    expected: { kind: "rate_limited", retryAfterMs: 2000 },
  },
];

describe("classifyGoogleError", () => {
  it.each(rows)("$name", ({ status, body, headers, model, expected }) => {
    const error = classifyGoogleError({
      status,
      bodyText: body,
      headers: headers && new Headers(headers),
      model,
      now: NOW,
    });
    const picked = Object.fromEntries(Object.keys(expected).map((key) => [key, error[key as keyof typeof expected]]));
    expect(picked).toEqual(expected);
    expect(error.status).toBe(status);
    expect(error.name).toBe("UpstreamError");
    expect(error.message.length).toBeGreaterThan(0);
  });

  it("keeps Google's message and parsed body", () => {
    const error = classifyGoogleError({
      status: 429,
      bodyText: arrayWrapped(google(429, "RESOURCE_EXHAUSTED", quotaMessage, { details: quota41 })),
      now: NOW,
    });
    expect(error.message).toBe(quotaMessage);
    expect(error.body?.code).toBe(429);
    expect(error.body?.details).toHaveLength(2);
  });

  it("summarizes an HTML page by its title and never echoes request headers", () => {
    const html = "<html><head><title>Error 502 (Server Error)!!1</title><style>*{margin:0}</style></head></html>";
    const error = classifyGoogleError({
      status: 502,
      bodyText: html,
      headers: new Headers({ authorization: "Bearer ya29.secret" }),
      now: NOW,
    });
    expect(error.message).toBe("HTTP 502: Error 502 (Server Error)!!1");
    expect(error.body).toBeUndefined();
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain("ya29");
  });

  it("never throws, even on hostile input", () => {
    for (const bodyText of [
      "[]",
      "null",
      "[null]",
      '{"error":null}',
      '{"error":{"details":"x","errors":5,"message":7}}',
      "{".repeat(50),
      '{"error":{"message":"[[[[[]]]]]"}}',
    ]) {
      expect(classifyGoogleError({ status: 429, bodyText, now: NOW }).kind).toBe("rate_limited");
    }
  });
});

describe("parseGoogleError", () => {
  const inner = { code: 429, message: "innermost", status: "RESOURCE_EXHAUSTED" };
  it.each([
    { name: "bare object", text: JSON.stringify({ error: inner }), expected: inner },
    {
      name: "one-element array, pretty, trailing newline",
      text: arrayWrapped(JSON.stringify({ error: inner }, null, 2)),
      expected: inner,
    },
    {
      name: "duplicated commas",
      text: '{"error": {"code": 429,\n ,   "message": "innermost",  , "status": "RESOURCE_EXHAUSTED"}}',
      expected: inner,
    },
    {
      name: "nested in message",
      text: JSON.stringify({ error: { code: 500, message: JSON.stringify([{ error: inner }]), status: "INTERNAL" } }),
      expected: inner,
    },
    { name: "HTML", text: "<html><body>502</body></html>", expected: undefined },
    { name: "empty", text: "", expected: undefined },
    { name: "OAuth-style string error", text: '{"error":"invalid_grant"}', expected: undefined },
  ])("$name", ({ text, expected }) => {
    expect(parseGoogleError(text)).toEqual(expected);
  });

  it("drills at most 10 levels", () => {
    let text = JSON.stringify({ error: { code: 429, message: "level 0", status: "RESOURCE_EXHAUSTED" } });
    for (let level = 1; level <= 12; level++)
      text = JSON.stringify({ error: { code: 500, message: text, status: `L${level}` } });
    // 12 wrappers: after 10 drills we stop at the wrapper whose status is L2.
    expect(parseGoogleError(text)?.status).toBe("L2");
  });

  it("normalizes whitespace around @type", () => {
    const body = parseGoogleError(
      JSON.stringify({
        error: { code: 429, message: "m", details: [{ "\t@type": ` ${T}RetryInfo `, retryDelay: "1s" }] },
      }),
    );
    expect(body?.details).toEqual([{ "@type": `${T}RetryInfo`, retryDelay: "1s" }]);
  });
});

describe("parseDuration / formatDuration", () => {
  it.each([
    ["161h39m41.300432511s", 581_981_301],
    ["8h44m7s", 31_447_000],
    ["539.477544ms", 540],
    ["19h14m47.123456789s", 69_287_124],
    ["1.5s", 1500],
    ["0.53s", 530],
    ["45.123s", 45_123],
    ["69287.123456789s", 69_287_124],
    ["500ms", 500],
    ["2m", 120_000],
    ["  34.4s\n", 34_400],
    ["0", 0],
    ["1h0m0s", 3_600_000],
    ["1500us", 2],
    ["", undefined],
    ["garbage", undefined],
    ["12", undefined],
    ["-5s", undefined],
    ["5 s", undefined],
    ["1.2.3s", undefined],
    ["8h44m7s.", undefined],
  ] as const)("parseDuration(%j) = %j", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    [31_447_000, "8h44m7s"],
    [3_600_000, "1h"],
    [3_607_000, "1h0m7s"],
    [90_000, "1m30s"],
    [540, "540ms"],
    [0, "0s"],
  ] as const)("formatDuration(%j) = %j", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("classifyOAuthError", () => {
  it.each([
    {
      status: 400,
      body: '{"error":"invalid_grant","error_description":"Token has been expired or revoked."}',
      kind: "auth_revoked",
      message: /Token has been expired or revoked/,
    },
    {
      status: 401,
      body: '{"error":"invalid_client","error_description":"The OAuth client was not found."}',
      kind: "auth_revoked",
      message: /invalid_client/,
    },
    {
      status: 500,
      body: "<html><title>Server Error</title></html>",
      kind: "upstream_unavailable",
      message: /HTTP 500/,
    },
    { status: 503, body: "", kind: "upstream_unavailable", message: /503/ },
    {
      status: 400,
      body: '{"error":"invalid_request","error_description":"Missing parameter"}',
      kind: "upstream_unavailable",
      message: /Missing parameter/,
    },
  ])("$status $body", ({ status, body, kind, message }) => {
    const error = classifyOAuthError(status, body);
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.message).toMatch(message);
  });
});

describe("networkError", () => {
  it("keeps undici's code from the cause of TypeError('fetch failed')", () => {
    const cause = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    const error = networkError(new TypeError("fetch failed", { cause }), "upstream request");
    expect(error).toMatchObject({ kind: "network", status: 0, code: "ECONNRESET" });
    expect(error.message).toBe("upstream request failed (ECONNRESET): fetch failed: read ECONNRESET");
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it("keeps UND_ERR_HEADERS_TIMEOUT", () => {
    const cause = Object.assign(new Error("Headers Timeout Error"), {
      code: "UND_ERR_HEADERS_TIMEOUT",
      name: "HeadersTimeoutError",
    });
    expect(networkError(new TypeError("fetch failed", { cause })).code).toBe("UND_ERR_HEADERS_TIMEOUT");
  });

  it.each([
    { error: new DOMException("This operation was aborted", "AbortError"), code: "ABORT_ERR", text: /aborted/ },
    {
      error: new DOMException("The operation was aborted due to timeout", "TimeoutError"),
      code: "ETIMEDOUT",
      text: /timeout/,
    },
    { error: "socket closed", code: undefined, text: /socket closed/ },
  ])("$code", ({ error, code, text }) => {
    const result = networkError(error);
    expect(result.kind).toBe("network");
    expect(result.code).toBe(code);
    expect(result.message).toMatch(text);
  });

  it("redacts credentials in a URL label and passes UpstreamErrors through", () => {
    const error = networkError(new Error("boom"), "https://x.googleapis.com/v1beta/models?key=AIzaSECRET&alt=sse");
    expect(error.message).not.toContain("AIzaSECRET");
    expect(networkError(error)).toBe(error);
  });
});
