// Options of createGeminiProxy(): the camelCase twins of the config file's keys, so the CLI only
// maps a file onto them. Defaults and validation are in resolve.ts.
import type { ModelInfo } from "../gemini/models.ts";
import type { CredentialInput } from "../pool/input.ts";
import type { HookOptions } from "../http/hooks.ts";
import type { ClientKeysOptions } from "../keys/types.ts";
import type { UsageStore } from "../usage/store.ts";
import type { StorageLike } from "../storage/types.ts";
import type { Endpoints } from "../upstream/endpoints.ts";
import type { OAuthClient } from "../upstream/oauth.ts";

export type { AuthKeysOption, Logger } from "../types.ts";
import type { AuthKeysOption, Logger } from "../types.ts";

/** Options of `createGeminiProxy()`. Every setting of the CLI's config file has its camelCase twin here. */
export interface GeminiProxyOptions {
  /**
   * Client keys accepted on the API surfaces (Bearer, Basic password, `?key=`, `x-goog-api-key`).
   * An array, a checker function, or `false` to disable client auth (only behind your own auth).
   * Without keys every API request is refused.
   */
  authKeys?: AuthKeysOption;
  /**
   * Any unstorage instance (1.x or 2.x). Default: in memory. When its root mount is unstorage's redis
   * driver, every proxy on that redis acts as one pool: shared locks (single refresh), change notices,
   * HINCRBY usage counters, and a degraded mode that serves from memory while redis is down.
   */
  storage?: StorageLike;
  /** Credentials to import at start: the predecessor's SimpleCredential shape, `oauth_creds.json`, or `{ apiKey }`. */
  credentials?: readonly CredentialInput[];
  /** The predecessor's credentials file (JSON array, single object, or Fernet-encrypted with `encryptionKey`). */
  credentialsFile?: string;
  /**
   * Keep `credentialsFile` in step with the pool: OAuth accounts added, refreshed or removed are written
   * back in the predecessor's exact format (encrypted with `encryptionKey`), so users can go back.
   * With a key, a plain file is encrypted in place at start (after a `.bak` copy). Default true.
   */
  credentialsFileSync?: boolean;
  /**
   * Passphrase (the predecessor's `-ek`). It decrypts an encrypted `credentialsFile`, and seals the
   * secret fields of stored credentials (`accessToken`, `refreshToken`, `apiKey`) before they reach
   * the storage driver. Reading sealed secrets without it, or with another one, fails and changes nothing.
   */
  encryptionKey?: string;
  /** email → Google Cloud project, for Standard/Enterprise accounts. */
  projectIdMap?: Record<string, string>;
  /** Google base URLs (tests, gateways). */
  endpoints?: Partial<Endpoints>;
  /** Gemini API keys to pool next to the OAuth accounts. */
  geminiApiKeys?: readonly string[];
  /** Seconds: connect, and read (headers and between body chunks). Default 60 / 90. */
  requestTimeouts?: { connect?: number; read?: number };
  /** Outbound HTTP(S) proxy URL. Default: HTTPS_PROXY / HTTP_PROXY from the environment; `null` disables. */
  httpProxy?: string | null;
  /** Mount prefix when the host passes full URLs (Nitro route files, h3 v1). */
  basePath?: string;
  /** A consola-compatible logger, or `false` for silence. */
  logger?: Logger | false;
  /** Model catalogue: ids or ModelInfo objects. Default: the built-in current models. */
  models?: readonly (string | (Partial<ModelInfo> & { id: string }))[];
  /** OAuth client for logins and refresh. Default: the Gemini CLI's public client. */
  oauthClient?: OAuthClient;
  /**
   * Public base URL of this proxy (e.g. `https://gemini.example.com`), for web logins through your own
   * `oauthClient`: Google redirects to `publicUrl + basePath + "/oauth2/callback"`, which must be a
   * registered redirect URI of that client. The Gemini CLI's client rejects such URLs (loopback only).
   */
  publicUrl?: string;
  /**
   * OpenAI surface: where Gemini's thoughts go. `"reasoning_content"` (default) puts them in
   * `message.reasoning_content` / `delta.reasoning_content`; `"think_tags"` wraps them in `<think>…</think>`
   * inside `content` (for clients that only parse tags); `"hidden"` drops them. A request may override it
   * with `google.reasoning_output`.
   */
  reasoningOutput?: "reasoning_content" | "think_tags" | "hidden";
  /** OpenAI surface: ask Gemini for thought summaries even when the client did not ask for reasoning. Default false. */
  includeThoughts?: boolean;
  /** Interval of SSE keep-alive comments while Google is silent, in ms (0 disables). Default 15000. */
  keepAliveMs?: number;
  /**
   * OpenAI streams: how long to wait for Google's first chunk before sending the response headers
   * anyway (`: ok`, then keep-alives). Failures within this window get a real HTTP status (429 with
   * retry-after…); later ones become an in-band error event. Default 2000 ms.
   */
  streamGraceMs?: number;
  /** Allow image/file URLs that resolve to private, loopback, link-local or other reserved addresses. Default false (SSRF guard). */
  allowPrivateMediaUrls?: boolean;
  /** Limits for fetching http(s) image/file URLs of OpenAI requests (they are inlined for Gemini). */
  media?: { maxBytes?: number; timeoutMs?: number; maxRedirects?: number; maxUrls?: number };
  /** How long thought signatures are kept by tool-call id (seconds). Default 86400. */
  signatureTtlSec?: number;
  /** Largest accepted request body, in bytes. Default 32 MiB. */
  maxBodySize?: number;
  /** @deprecated Use `pool.maxAttempts` (this alias still works; `pool.maxAttempts` wins). */
  maxAttempts?: number;
  /** How the credential pool selects, fails over, waits, refreshes and checks (see README, "How the pool decides"). */
  pool?: PoolOptions;
  /** Onboarding LRO poll interval in ms (Google's CLI uses 5000). Default 2000. */
  onboardingPollMs?: number;
  /** Admin API and page. Without username+password they answer loopback clients only. */
  admin?: AdminOptions;
  /** Usage ledger: retention and the periodic log summary (the predecessor's `usage_logging`). */
  usage?: UsageOptions;
  /** Request lifecycle hooks for hosts (policy, billing, audit). */
  hooks?: HookOptions;
  /** Managed client keys: how often counters and key changes are shared between instances. */
  clientKeys?: ClientKeysOptions;
  /** Anthropic Messages surface (`/v1/messages`): which Gemini model answers a Claude model name. */
  anthropic?: AnthropicOptions;
  /** OpenAI Responses surface (`/v1/responses`). */
  responses?: ResponsesOptions;
  /** Embeddings (`/v1/embeddings`), served by pooled Gemini API keys. */
  embeddings?: EmbeddingsOptions;
}

/** Options of the Anthropic Messages surface (`/v1/messages`). */
export interface AnthropicOptions {
  /**
   * Anthropic model name → Gemini model id. Exact names first, then keys with `*` wildcards
   * (`"claude-*haiku*"`). Merged over the default `{ "claude-*haiku*": "gemini-2.5-flash" }`.
   * Gemini ids sent as the model are used as they are.
   */
  modelMap?: Record<string, string>;
  /** Gemini model for any other `claude-*` name (Claude Code's defaults). Default "gemini-2.5-pro". */
  defaultModel?: string;
}

/** Options of the OpenAI Responses surface (`/v1/responses`). */
export interface ResponsesOptions {
  /** How long answers are kept for `previous_response_id`, in seconds (in `storage`, shared by instances). Default 21600 (6 h). */
  ttlSec?: number;
}

/** Options of the embeddings surface (`/v1/embeddings`). */
export interface EmbeddingsOptions {
  /** Gemini model for OpenAI's embedding model names (`text-embedding-3-small`…). Default "gemini-embedding-001". */
  defaultModel?: string;
  /** Other model name → Gemini embedding model id. */
  modelMap?: Record<string, string>;
}

/** Admin API and page access: HTTP Basic / page login with `username` + `password`. */
export interface AdminOptions {
  username?: string;
  password?: string;
  /** Lifetime of a page login, in seconds. Default 12 h. */
  sessionTtlSec?: number;
  /** Serve `GET /metrics` without admin auth (for a scraper on a private network). Default false. */
  publicMetrics?: boolean;
}

/** Usage ledger retention and the periodic usage summary in the log. */
export interface UsageOptions {
  /** Days of hourly/daily rollups to keep. Default 30. */
  retentionDays?: number;
  /** Print a compact summary to the log when something changed. Default enabled, every 30 s. */
  logging?: { enabled?: boolean; intervalSec?: number };
  /** Where rollups go. Default: `storage` (atomic per process); a redis store can HINCRBY across instances. */
  store?: UsageStore;
}

/** How the credential pool chooses, retries and cools down credentials. */
export interface PoolOptions {
  /** How to pick among usable credentials of the same priority. Default "round-robin". */
  strategy?: "round-robin" | "least-used" | "fill-first";
  /** Attempts per request (credentials tried, capacity retries). Default 4. */
  maxAttempts?: number;
  /** Total time one request may spend on fail-over and waiting, in ms (not counting the successful call). Default 60000. */
  budgetMs?: number;
  /** When every credential is cooling for the model, wait this long at most for the soonest one (else 429 + retry-after). Default 10000. */
  waitForCooldownMs?: number;
  /** Refresh OAuth access tokens this long before they expire (jittered), in ms. Default 300000. */
  refreshAheadMs?: number;
  /** Checks of idle credentials, only while no request is in flight. */
  healthCheck?: {
    /** Default true. */
    enabled?: boolean;
    /** A credential unused for this long (× a random 0.5–1) gets checked, in ms. Default 1800000. */
    idleMs?: number;
    /** Delay between two idle-loop ticks (+ up to 50 % jitter), in ms. Default 60000. */
    intervalMs?: number;
  };
  /** Warn at start-up (with the login URL) when fewer usable credentials exist. Default 1. */
  minCredentials?: number;
}
