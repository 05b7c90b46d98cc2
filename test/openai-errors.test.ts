import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { UpstreamError, type UpstreamErrorInit } from "../src/gemini/errors.ts";
import { fromUpstreamError, OpenAIError, openAIErrorBody } from "../src/surfaces/openai/errors.ts";

const up = (init: Partial<UpstreamErrorInit> & Pick<UpstreamErrorInit, "kind" | "status">) =>
  new UpstreamError({ message: "boom", ...init });

describe("fromUpstreamError", () => {
  it.each<[string, UpstreamError, { model?: string; now?: number }, unknown]>([
    [
      "rate limited with RetryInfo 34.4s",
      up({ kind: "rate_limited", status: 429, retryAfterMs: 34_400, message: "You exceeded your current quota" }),
      { model: "gemini-2.5-pro" },
      {
        status: 429,
        headers: { "retry-after": "35", "retry-after-ms": "34400" },
        body: {
          error: {
            message: "gemini-2.5-pro: You exceeded your current quota",
            type: "requests",
            param: null,
            code: "rate_limit_exceeded",
          },
        },
      },
    ],
    [
      "quota exhausted with resetAt",
      up({ kind: "quota_exhausted", status: 429, resetAt: 10_000 }),
      { now: 4_000 },
      {
        status: 429,
        headers: { "retry-after": "6", "retry-after-ms": "6000" },
        body: { error: { message: "boom", type: "insufficient_quota", param: null, code: "insufficient_quota" } },
      },
    ],
    [
      "capacity → 503",
      up({ kind: "capacity", status: 429, retryAfterMs: 1000 }),
      {},
      {
        status: 503,
        headers: { "retry-after": "1", "retry-after-ms": "1000" },
        body: { error: { message: "boom", type: "server_error", param: null, code: "service_unavailable" } },
      },
    ],
    [
      "auth expired is the proxy's problem → 503, never 401",
      up({ kind: "auth_expired", status: 401 }),
      {},
      {
        status: 503,
        headers: undefined,
        body: {
          error: {
            message: "No usable upstream credential (auth_expired): boom",
            type: "server_error",
            param: null,
            code: "service_unavailable",
          },
        },
      },
    ],
    [
      "validation required → 403 permission_error with Google's reason and the link (retrying cannot help)",
      up({ kind: "validation_required", status: 403, link: "https://accounts.google.com/verify" }),
      {},
      {
        status: 403,
        headers: undefined,
        body: {
          error: {
            message:
              "The upstream Google account must be verified by its owner: boom (https://accounts.google.com/verify)",
            type: "permission_error",
            param: null,
            code: "validation_required",
          },
        },
      },
    ],
    [
      "permission denied → 403 model_not_allowed",
      up({ kind: "permission_denied", status: 403 }),
      {},
      {
        status: 403,
        headers: undefined,
        body: { error: { message: "boom", type: "permission_error", param: "model", code: "model_not_allowed" } },
      },
    ],
    [
      "invalid request keeps Google's message",
      up({ kind: "invalid_request", status: 400, message: "Penalty is not enabled" }),
      {},
      {
        status: 400,
        headers: undefined,
        body: { error: { message: "Penalty is not enabled", type: "invalid_request_error", param: null, code: null } },
      },
    ],
    [
      "context too long",
      up({
        kind: "invalid_request",
        status: 400,
        message: "The input token count (2000000) exceeds the maximum number of tokens allowed (1048576).",
      }),
      {},
      {
        status: 400,
        headers: undefined,
        body: {
          error: {
            message:
              "The input token count (2000000) exceeds the maximum number of tokens allowed (1048576). This model's maximum context length is 1048576 tokens.",
            type: "invalid_request_error",
            param: "messages",
            code: "context_length_exceeded",
          },
        },
      },
    ],
    [
      "not found → 404 model_not_found",
      up({ kind: "not_found", status: 404 }),
      { model: "gemini-9" },
      {
        status: 404,
        headers: undefined,
        body: {
          error: {
            message: "The model `gemini-9` does not exist or you do not have access to it.",
            type: "invalid_request_error",
            param: "model",
            code: "model_not_found",
          },
        },
      },
    ],
    [
      "500",
      up({ kind: "upstream_unavailable", status: 500 }),
      {},
      {
        status: 500,
        headers: undefined,
        body: { error: { message: "boom", type: "server_error", param: null, code: "internal_error" } },
      },
    ],
    [
      "503",
      up({ kind: "upstream_unavailable", status: 503 }),
      {},
      {
        status: 503,
        headers: undefined,
        body: { error: { message: "boom", type: "server_error", param: null, code: "service_unavailable" } },
      },
    ],
    [
      "504",
      up({ kind: "upstream_unavailable", status: 504 }),
      {},
      {
        status: 504,
        headers: undefined,
        body: { error: { message: "boom", type: "server_error", param: null, code: "timeout" } },
      },
    ],
    [
      "network timeout → 504",
      up({ kind: "network", status: 0, message: "read timed out" }),
      {},
      {
        status: 504,
        headers: undefined,
        body: { error: { message: "read timed out", type: "server_error", param: null, code: "timeout" } },
      },
    ],
    [
      "network reset → 502",
      up({ kind: "network", status: 0, message: "ECONNRESET" }),
      {},
      {
        status: 502,
        headers: undefined,
        body: { error: { message: "ECONNRESET", type: "server_error", param: null, code: "bad_gateway" } },
      },
    ],
  ])("%s", (_n, e, opts, want) => {
    const o = fromUpstreamError(e, opts);
    expect(o).toBeInstanceOf(OpenAIError);
    expect({ status: o.status, headers: o.headers, body: openAIErrorBody(o) }).toEqual(want);
  });

  it("the recorded 429 body's retryDelay becomes retry-after once parsed into retryAfterMs", () => {
    const body = JSON.parse(
      readFileSync(new URL("./fixtures/gemini-api-recorded/google-429-retry-info.json", import.meta.url), "utf8"),
    ).error;
    const delay = body.details.find((d: { retryDelay?: string }) => d.retryDelay).retryDelay as string;
    const e = fromUpstreamError(
      up({
        kind: "rate_limited",
        status: 429,
        message: body.message,
        retryAfterMs: Number.parseFloat(delay) * 1000,
        body,
      }),
    );
    expect(e.headers).toEqual({ "retry-after": "35", "retry-after-ms": "34400" });
    expect(JSON.stringify(openAIErrorBody(e))).not.toContain("QuotaFailure");
  });
});
