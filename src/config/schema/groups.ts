// The nested groups of createGeminiProxy() options: pool, admin, usage, media, timeouts, endpoints
// and the three surfaces' settings. Each entry: its kind, default, description and config.json key.
import { SELECTION_STRATEGIES } from "../../pool/selection.ts";
import type { UsageStore } from "../../usage/store.ts";
import { DEFAULT_ANTHROPIC_MODEL, DEFAULT_ANTHROPIC_MODEL_MAP } from "../../surfaces/anthropic/models.ts";
import { DEFAULT_EMBEDDING_MODEL } from "../../surfaces/embeddings/request.ts";
import { DEFAULT_RESPONSE_TTL_SEC } from "../../surfaces/responses/store.ts";
import * as k from "./kinds.ts";
import { field, group, required, section, withDefault } from "./meta.ts";

export const poolSchema = section({
  /** How to pick among usable credentials of the same priority. Default "round-robin". */
  strategy: withDefault(k.oneOf(SELECTION_STRATEGIES), "round-robin", {
    description: "Choice among usable credentials",
  }),
  /** Attempts per request (credentials tried, capacity retries). Default 4. */
  maxAttempts: withDefault(k.positiveInt, 4, { description: "Attempts per request" }),
  /**
   * Total time one request may spend on fail-over and waiting, in ms (not counting the successful
   * call). 0: no fail-over, the first failure is the answer. Default 60000.
   */
  budgetMs: withDefault(k.count, 60_000, { description: "Time one request may spend on fail-over, ms (0: none)" }),
  /** When every credential is cooling for the model, wait this long at most for the soonest one (else 429 + retry-after). Default 10000. */
  waitForCooldownMs: withDefault(k.count, 10_000, { description: "Wait for a cooling credential, ms" }),
  /** Refresh OAuth access tokens this long before they expire (jittered), in ms. Default 300000. */
  refreshAheadMs: withDefault(k.count, 300_000, { description: "Refresh tokens this long before expiry, ms" }),
  /** Checks of idle credentials, only while no request is in flight. */
  healthCheck: group(
    section({
      /** Default true. */
      enabled: withDefault(k.bool, true, { description: "Check idle credentials" }),
      /** A credential unused for this long (× a random 0.5–1) gets checked, in ms. Default 1800000. */
      idleMs: withDefault(k.count, 1_800_000, { description: "Idle time before a check, ms" }),
      /** Delay between two idle-loop ticks (+ up to 50 % jitter), in ms. Default 60000. */
      intervalMs: withDefault(k.atLeast(10), 60_000, { description: "Idle-loop tick, ms" }),
    }),
  ),
  /** Warn at start-up (with the login URL) when fewer usable credentials exist. Default 1. */
  minCredentials: withDefault(k.count, 1, {
    description: "Warn at start when fewer usable credentials",
    aliases: ["min_credentials"],
  }),
});

export const adminSchema = section({
  /** Admin user; without username and password the admin API and page answer loopback clients only. */
  username: field(k.str, {
    description: "Admin user; without user+password admin is loopback-only",
    aliases: ["admin_username"],
    fileKind: k.nullable(k.str),
    defaultText: "null",
  }),
  /** Admin password. */
  password: field(k.str, {
    description: "Admin password",
    aliases: ["admin_password"],
    fileKind: k.nullable(k.str),
    defaultText: "null",
  }),
  /** Lifetime of a page login, in seconds. Default 12 h. */
  sessionTtlSec: withDefault(k.positive, 43_200, { description: "Admin page login lifetime, seconds" }),
  /** Serve `GET /metrics` without admin auth (for a scraper on a private network). Default false. */
  publicMetrics: withDefault(k.bool, false, { description: "Serve /metrics without admin auth" }),
});

export const usageSchema = section({
  /** Days of hourly/daily rollups to keep. Default 30. */
  retentionDays: withDefault(k.positive, 30, { description: "Days of usage rollups kept" }),
  /** Print a compact summary to the log when something changed. Default enabled, every 30 s. */
  logging: group(
    section({
      enabled: withDefault(k.bool, true, {
        description: "Periodic usage summary in the log",
        aliases: ["usage_logging.enabled"],
      }),
      intervalSec: withDefault(k.positive, 30, {
        description: "Usage summary interval, seconds",
        aliases: ["usage_logging.interval_sec"],
      }),
    }),
  ),
  /** Where rollups go. Default: `storage` (atomic per process); a redis store can HINCRBY across instances. */
  store: field(
    k.custom<UsageStore>("a UsageStore", (x) => k.isObject(x)),
    {
      description: "A UsageStore for cross-instance aggregation",
      file: false,
      defaultText: "the storage",
    },
  ),
});

export const mediaSchema = section({
  maxBytes: withDefault(k.positiveInt, 20 * 1024 * 1024, { description: "Largest fetched media, bytes" }),
  timeoutMs: withDefault(k.positiveInt, 15_000, { description: "Media fetch timeout, ms" }),
  maxRedirects: withDefault(k.count, 5, { description: "Media fetch redirects" }),
  maxUrls: withDefault(k.positiveInt, 16, { description: "Media URLs per request" }),
});

export const timeoutsSchema = section({
  connect: withDefault(k.positive, 60, { description: "Connect timeout to Google, seconds" }),
  read: withDefault(k.positive, 90, { description: "Read timeout (headers, between chunks), seconds" }),
});

const endpoint = (name: string) =>
  field(k.httpUrl, { description: `${name} base URL (tests, gateways)`, defaultText: "Google" });

/** Every Google base URL, each optional (the rest stay Google's). */
export const endpointsSchema = section({
  /** Code Assist base; calls go to `${codeAssist}/v1internal:method`. */
  codeAssist: endpoint("Code Assist"),
  /** Gemini API base; calls go to `${geminiApi}/v1beta/models/...`. */
  geminiApi: endpoint("Gemini API"),
  oauthAuthorize: endpoint("OAuth authorization page"),
  oauthToken: endpoint("OAuth token"),
  userinfo: endpoint("OAuth userinfo"),
  tokeninfo: endpoint("OAuth tokeninfo"),
  revoke: endpoint("OAuth revoke"),
});

export const oauthClientSchema = section({
  clientId: required(k.str, { description: "Own OAuth client id", defaultText: "Gemini CLI's client" }),
  clientSecret: required(k.str, { description: "Own OAuth client secret", defaultText: "Gemini CLI's client" }),
});

const modelMap = (what: string) => k.recordOf(k.nonEmpty, what);

export const anthropicSchema = section({
  /**
   * Anthropic model name → Gemini model id. Exact names first, then keys with `*` wildcards
   * (`"claude-*haiku*"`). Merged over the default `{ "claude-*haiku*": "gemini-2.5-flash" }`.
   * Gemini ids sent as the model are used as they are.
   */
  modelMap: withDefault(
    modelMap("Gemini model ids by Anthropic model name"),
    { ...DEFAULT_ANTHROPIC_MODEL_MAP },
    {
      description: "Claude model names → Gemini models (`*` wildcards), merged over the default",
    },
  ),
  /** Gemini model for any other `claude-*` name (Claude Code's defaults). Default "gemini-2.5-pro". */
  defaultModel: withDefault(k.nonEmpty, DEFAULT_ANTHROPIC_MODEL, {
    description: "Gemini model for other Claude model names",
  }),
});

export const responsesSchema = section({
  /** How long answers are kept for `previous_response_id`, in seconds (in `storage`, shared by instances). Default 21600 (6 h). */
  ttlSec: withDefault(k.positive, DEFAULT_RESPONSE_TTL_SEC, {
    description: "How long answers are kept for previous_response_id, seconds",
  }),
});

export const embeddingsSchema = section({
  /** Gemini model for OpenAI's embedding model names (`text-embedding-3-small`…). Default "gemini-embedding-001". */
  defaultModel: withDefault(k.nonEmpty, DEFAULT_EMBEDDING_MODEL, {
    description: "Gemini model for OpenAI embedding model names",
  }),
  /** Other model name → Gemini embedding model id. */
  modelMap: withDefault(
    modelMap("Gemini embedding model ids by name"),
    {},
    {
      description: "Other embedding model names → Gemini models",
    },
  ),
});
