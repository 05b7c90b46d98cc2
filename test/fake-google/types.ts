// Public types of the fake Google (re-exported from index.ts). Other test suites code against these.
import type { ServerResponse } from "node:http";

export type AccountScenario =
  | "onboarded" // loadCodeAssist: currentTier free-tier (or standard) + cloudaicompanionProject
  | "needs-onboarding" // no currentTier; allowedTiers free-tier isDefault; onboardUser LRO then project
  | "standard" // currentTier standard-tier, user-defined project supplied by the client
  | "ineligible" // post-2026-06 individual account: ineligibleTiers UNSUPPORTED_CLIENT, no project
  | "unsupported-location" // ineligibleTiers UNSUPPORTED_LOCATION
  | "validation-required" // ineligibleTiers VALIDATION_REQUIRED; generate → 403 until markVerified
  | "service-disabled" // generate → 403 SERVICE_DISABLED
  | "subscription-required" // generate → 403 SUBSCRIPTION_REQUIRED "(#3501)"
  | "vpc-sc"; // loadCodeAssist → 403 SECURITY_POLICY_VIOLATED

export interface FakeAccountInit {
  email: string;
  scenario?: AccountScenario;
  project?: string;
  previewAccess?: boolean;
  onboardingPolls?: number;
  tier?: string;
  /** Google One AI credits (adds `paidTier.availableCredits`; honoured with `enabled_credit_types`). */
  credits?: number;
}

export interface FakeAccount {
  email: string;
  scenario: AccountScenario;
  project?: string;
  refreshToken: string;
  accessToken: string;
  accessTokenExpiresAt: number;
  verified: boolean;
  onboarded: boolean;
}

export interface FakeOAuthClient {
  id: string;
  secret: string;
  redirectUris: string[];
}

export interface FakeGoogleOptions {
  port?: number;
  accessTokenTtlSec?: number;
  /** Extra OAuth clients (e.g. a user-owned web client with a public redirect URI). */
  clients?: FakeOAuthClient[];
  /** Free-tier onboardUser with a project → 400 FAILED_PRECONDITION (default true). */
  strictFreeTierProject?: boolean;
  /** Free-tier generate calls without `project` → 403 (default false: the managed project is implied). */
  requireProjectForFreeTier?: boolean;
  /** Largest page `models.list` serves, whatever `pageSize` asks (Google: 1000; "may return fewer"). */
  maxModelsPageSize?: number;
}

export interface FakeRequestRecord {
  time: number;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  surface: "oauth" | "code-assist" | "gemini-api";
  action?: string;
  email?: string;
  apiKey?: string;
  model?: string;
  status?: number;
  aborted?: boolean;
}

export type ErrorPreset =
  | "rate_limit"
  | "rate_limit_no_retry"
  | "quota_exhausted"
  | "per_day_quota"
  | "per_minute_quota"
  | "limit_zero"
  | "retry_in_message"
  | "capacity"
  | "capacity_503"
  | "generic_429"
  | "insufficient_credits"
  | "unauthenticated"
  | "validation_required"
  | "service_disabled"
  | "subscription_required"
  | "permission_denied"
  | "scope_insufficient"
  | "invalid_argument"
  | "not_found"
  | "cancelled"
  | "internal"
  | "unavailable"
  | "api_key_invalid";

export interface StreamScript {
  text?: string;
  thoughts?: string;
  forceThoughts?: boolean;
  functionCalls?: { name: string; args?: Record<string, unknown> }[];
  /** Images the model "draws" (inlineData parts after the text, as image-output models answer). */
  images?: { mimeType: string; data: string }[];
  finishReason?: string | null;
  groundingMetadata?: unknown;
  promptFeedback?: unknown;
  usage?: Partial<{
    promptTokenCount: number;
    candidatesTokenCount: number;
    thoughtsTokenCount: number;
    cachedContentTokenCount: number;
  }>;
  candidates?: number;
  /** Gemini 2.5 models sign like Gemini 3 (first functionCall / final empty text part). */
  signAll25?: boolean;
  deltaChars?: number;
  chunkDelayMs?: number;
  firstByteDelayMs?: number;
  usageOnLastChunkOnly?: boolean;
  lineEnding?: "\r\n" | "\n";
  splitWrites?: boolean | number[];
  multilineData?: boolean;
  comments?: boolean;
  malformedEvent?: boolean;
  noTrailingBlankLine?: boolean;
  closeAfterEvents?: number;
  hangAfterEvents?: number;
}

export interface FaultMatch {
  email?: string;
  apiKey?: string;
  model?: string;
  action?: string;
}

export interface FaultRule {
  match?: FaultMatch;
  times?: number;
  error?: ErrorPreset | { status: number; body: unknown; raw?: string };
  errorOptions?: { retryDelaySec?: number; resetDelaySec?: number; duplicateCommas?: boolean };
  stream?: StreamScript;
  delayMs?: number;
  handler?: (req: FakeRequestRecord, res: ServerResponse) => void | Promise<void>;
}

/** What a reply script sees of one generateContent / streamGenerateContent request. */
export interface ReplyRequest {
  /** Bare model id (`gemini-2.5-flash`). */
  model: string;
  /** The GenerateContentRequest (unwrapped from Code Assist's `{model, project, request}`). */
  request: Record<string, unknown>;
  record: FakeRequestRecord;
  /** Names of the functions the request declares (`tools[].functionDeclarations[].name`). */
  declared: string[];
  /** Each declared function's parameter schema (`parametersJsonSchema` or `parameters`). */
  schemas: Map<string, unknown>;
  /** Every functionCall part of the conversation's model contents, oldest first. */
  functionCalls: { name: string; args?: unknown }[];
  /** Every functionResponse part of the conversation's user contents, oldest first. */
  functionResponses: { name: string; response: unknown }[];
  /** Text parts of the last user content that carries text (the user's prompt of this turn). */
  lastUserText: string;
  /** Every text part of every user content and of the systemInstruction, oldest first. */
  userTexts: string[];
}

/**
 * Decides the next answer from what the client sent: a StreamScript (text, functionCalls, …) or
 * undefined for the default deterministic answer. The answer is still rendered by the fake's own
 * builder (usageMetadata, finishReason, Gemini 3 thoughtSignatures), so it stays on Google's wire.
 */
export type ReplyScript = (req: ReplyRequest) => StreamScript | undefined;

export type RequestFilter = Partial<Pick<FakeRequestRecord, "action" | "email" | "apiKey" | "model" | "surface">>;

export interface FakeGoogle {
  url: string;
  endpoints: {
    codeAssist: string;
    geminiApi: string;
    oauthAuthorize: string;
    oauthToken: string;
    userinfo: string;
    tokeninfo: string;
    revoke: string;
  };
  requests: FakeRequestRecord[];
  addAccount(init: FakeAccountInit): FakeAccount;
  account(email: string): FakeAccount;
  simpleCredential(email: string, opts?: { withProject?: boolean }): Record<string, unknown>;
  oauthCreds(email: string): Record<string, unknown>;
  addApiKey(key?: string, opts?: { models?: string[] }): string;
  expireAccessToken(email: string): void;
  /** Revokes the account's refresh tokens and (unless keepAccessTokens) the access tokens minted from them. */
  revokeRefreshToken(email: string, opts?: { keepAccessTokens?: boolean }): void;
  markVerified(email: string): void;
  setConsent(next: { email: string; deny?: boolean; wrongState?: boolean }): void;
  inject(rule: FaultRule): FaultRule;
  clearFaults(): void;
  /**
   * Adds a reply script, asked (oldest first) for every generate call that no fault rule shaped; the
   * first one that returns a StreamScript answers. Returns a function that removes it; reset() removes all.
   */
  script(reply: ReplyScript): () => void;
  reset(): void;
  count(filter: RequestFilter): number;
  /** Requests matching the filter, oldest first. */
  find(filter: RequestFilter): FakeRequestRecord[];
  /** The newest request matching the filter. */
  last(filter?: RequestFilter): FakeRequestRecord | undefined;
  /** Polls until `predicate` is true (default timeout 2000 ms); rejects on timeout. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /** Overrides the retrieveUserQuota remainingFraction for one account × model. */
  setQuota(email: string, modelId: string, remainingFraction: number): void;
  signatureIssued(signature: string): boolean;
  close(): Promise<void>;
}
