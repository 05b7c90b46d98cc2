// createGeminiProxy() options as one schema: the option types, their defaults, validation, and the
// config file's keys (snake_case of the option path unless `file` says otherwise) all come from here.
import type { ModelInfo } from "../../gemini/models.ts";
import type { HookOptions } from "../../http/hooks.ts";
import type { ClientKeysOptions } from "../../keys/types.ts";
import type { CredentialInput } from "../../pool/input.ts";
import type { StorageLike } from "../../storage/types.ts";
import type { AuthKeysOption, Logger } from "../../types.ts";
import * as g from "./groups.ts";
import * as k from "./kinds.ts";
import { field, group, optionalGroup, section, withDefault } from "./meta.ts";

const isAuthKeys = (x: unknown) =>
  x === false || typeof x === "function" || (Array.isArray(x) && x.every((key) => typeof key === "string"));

const modelEntry = k.either(k.str, k.withId<Partial<ModelInfo> & { id: string }>('an object with a string "id"'));

export const optionsSchema = section({
  /**
   * Client keys accepted on the API surfaces (Bearer, Basic password, `?key=`, `x-goog-api-key`).
   * An array, a checker function, or `false` to disable client auth (only behind your own auth).
   * Without keys every API request is refused.
   */
  authKeys: field(k.custom<AuthKeysOption>("an array of strings, a function or false", isAuthKeys), {
    description: "Client keys for the API surfaces",
    fileKind: k.either(k.str, k.arrayOf(k.str)),
    defaultText: "generated on first start (CLI); none (library)",
  }),
  /**
   * Any unstorage instance (1.x or 2.x). Default: in memory. When its root mount is unstorage's redis
   * driver, every proxy on that redis acts as one pool: shared locks (single refresh), change notices,
   * HINCRBY usage counters, and a degraded mode that serves from memory while redis is down.
   */
  storage: field(
    k.custom<StorageLike>("an unstorage instance", (x) => k.isObject(x)),
    { description: "Any unstorage instance (the CLI builds it from storage.*)", file: false, defaultText: "in memory" },
  ),
  /** Credentials to import at start: the predecessor's SimpleCredential shape, `oauth_creds.json`, or `{ apiKey }`. */
  credentials: field(
    k.custom<readonly CredentialInput[]>("an array of credentials", (x) => Array.isArray(x)),
    { description: "Credentials to import at start", file: false, defaultText: "[]" },
  ),
  /** The predecessor's credentials file (JSON array, single object, or Fernet-encrypted with `encryptionKey`). */
  credentialsFile: field(k.str, {
    description: "The predecessor's credentials file, kept in sync",
    defaultText: "none (./credentials1.json if it exists)",
  }),
  /**
   * Keep `credentialsFile` in step with the pool: OAuth accounts added, refreshed or removed are written
   * back in the predecessor's exact format (encrypted with `encryptionKey`), so users can go back.
   * With a key, a plain file is encrypted in place at start (after a `.bak` copy). Default true.
   */
  credentialsFileSync: withDefault(k.bool, true, { description: "Write pool changes back to credentials_file" }),
  /**
   * Passphrase (the predecessor's `-ek`). It decrypts an encrypted `credentialsFile`, and seals the
   * secret fields of stored credentials (`accessToken`, `refreshToken`, `apiKey`) before they reach
   * the storage driver. Reading sealed secrets without it, or with another one, fails and changes nothing.
   */
  encryptionKey: field(k.str, {
    description: "Passphrase: decrypts credentials_file, seals stored secrets (CLI: -ek)",
    file: false,
    defaultText: "none",
  }),
  /** email → Google Cloud project, for Standard/Enterprise accounts. */
  projectIdMap: withDefault(
    k.recordOf(k.str, "project ids by email"),
    {},
    {
      description: "email → Google Cloud project",
    },
  ),
  /** Google base URLs (tests, gateways). */
  endpoints: group(g.endpointsSchema),
  /** Gemini API keys to pool next to the OAuth accounts. */
  geminiApiKeys: field(k.arrayOf(k.str), {
    description: "Gemini API keys pooled next to the accounts",
    defaultText: "[]",
  }),
  /** Seconds: connect, and read (headers and between body chunks). Default 60 / 90. */
  requestTimeouts: group(g.timeoutsSchema),
  /** Outbound HTTP(S) proxy URL. Default: HTTPS_PROXY / HTTP_PROXY from the environment; `null` disables. */
  httpProxy: field(k.nullable(k.str), {
    description: "Outbound proxy; null disables",
    defaultText: "HTTPS_PROXY / HTTP_PROXY",
  }),
  /** Mount prefix when the host passes full URLs (Nitro route files, h3 v1). */
  basePath: withDefault(k.str, "", { description: "Mount prefix" }),
  /** A consola-compatible logger, or `false` for silence. */
  logger: field(
    k.custom<Logger | false>("a logger or false", (x) => x === false || k.isObject(x)),
    { description: "A consola-compatible logger, or false", file: false, defaultText: "consola" },
  ),
  /** Model catalogue: ids or ModelInfo objects. Default: the built-in current models. */
  models: field(k.arrayOf(modelEntry, 'model ids or objects with a string "id"'), {
    description: "Model ids or objects",
    defaultText: "built-in catalogue",
  }),
  /**
   * Closed model list: refuse ids outside the catalogue (default false: an unknown `gemini-*` or
   * `gemma-*` id is sent to Google, whose 404 comes back in the surface's shape).
   */
  strictModels: withDefault(k.bool, false, {
    description: "Refuse model ids outside the catalogue instead of asking Google",
  }),
  /** OAuth client for logins and refresh. Default: the Gemini CLI's public client. */
  oauthClient: optionalGroup(g.oauthClientSchema),
  /**
   * Public base URL of this proxy (e.g. `https://gemini.example.com`), for web logins through your own
   * `oauthClient`: Google redirects to `publicUrl + basePath + "/oauth2/callback"`, which must be a
   * registered redirect URI of that client. The Gemini CLI's client rejects such URLs (loopback only).
   */
  publicUrl: field(k.httpUrl, {
    description: "Public URL of this proxy (login redirects, banner)",
    fileKind: k.nullable(k.httpUrl),
    defaultText: "null",
  }),
  /**
   * OpenAI surface: where Gemini's thoughts go. `"reasoning_content"` (default) puts them in
   * `message.reasoning_content` / `delta.reasoning_content`; `"think_tags"` wraps them in `<think>…</think>`
   * inside `content` (for clients that only parse tags); `"hidden"` drops them. A request may override it
   * with `google.reasoning_output`.
   */
  reasoningOutput: withDefault(k.oneOf(["reasoning_content", "think_tags", "hidden"]), "reasoning_content", {
    description: "Where thoughts go on the OpenAI surface",
    file: "openai.reasoning_output",
  }),
  /** OpenAI surface: ask Gemini for thought summaries even when the client did not ask for reasoning. Default false. */
  includeThoughts: withDefault(k.bool, false, {
    description: "Ask for thought summaries by default",
    file: "openai.include_thoughts",
  }),
  /** Interval of SSE keep-alive comments while Google is silent, in ms (0 disables). Default 15000. */
  keepAliveMs: withDefault(k.count, 15_000, {
    description: "SSE keep-alive interval, ms (0 off)",
    file: "openai.keep_alive_ms",
  }),
  /**
   * OpenAI streams: how long to wait for Google's first chunk before sending the response headers
   * anyway (`: ok`, then keep-alives). Failures within this window get a real HTTP status (429 with
   * retry-after…); later ones become an in-band error event. Default 2000 ms.
   */
  streamGraceMs: withDefault(k.count, 2000, {
    description: "Wait for the first chunk before sending headers, ms",
    file: "openai.stream_grace_ms",
  }),
  /** Allow image/file URLs that resolve to private, loopback, link-local or other reserved addresses. Default false (SSRF guard). */
  allowPrivateMediaUrls: withDefault(k.bool, false, {
    description: "Allow media URLs on private addresses",
    file: "media.allow_private",
  }),
  /** Limits for fetching http(s) image/file URLs of OpenAI requests (they are inlined for Gemini). */
  media: group(g.mediaSchema),
  /** How long thought signatures are kept by tool-call id (seconds). Default 86400. */
  signatureTtlSec: withDefault(k.positive, 86_400, {
    description: "Thought signature retention, seconds",
    file: "openai.signature_ttl_sec",
  }),
  /** Largest accepted request body, in bytes. Default 32 MiB. */
  maxBodySize: withDefault(k.positiveInt, 32 * 1024 * 1024, { description: "Largest request body, bytes" }),
  /** @deprecated Use `pool.maxAttempts` (this alias still works; `pool.maxAttempts` wins). */
  maxAttempts: field(k.positiveInt, { description: "Deprecated: pool.maxAttempts", file: false, defaultText: "4" }),
  /** How the credential pool selects, fails over, waits, refreshes and checks (see README, "How the pool decides"). */
  pool: group(g.poolSchema),
  /** Onboarding LRO poll interval in ms (Google's CLI uses 5000). Default 2000. */
  onboardingPollMs: withDefault(k.positiveInt, 2000, {
    description: "Onboarding poll interval, ms",
    file: "pool.onboarding_poll_ms",
  }),
  /** Admin API and page. Without username+password they answer loopback clients only. */
  admin: group(g.adminSchema),
  /** Usage ledger: retention and the periodic log summary (the predecessor's `usage_logging`). */
  usage: group(g.usageSchema),
  /** Request lifecycle hooks for hosts (policy, billing, audit). */
  hooks: field(
    k.custom<HookOptions>("an object of hooks", (x) => k.isObject(x)),
    { description: "onRequestStart, onRequestEnd, timeoutMs", file: false, defaultText: "none" },
  ),
  /** Managed client keys: how often counters and the key list are synced with the shared storage. */
  clientKeys: field(
    k.custom<ClientKeysOptions>("an object { syncMs, refreshMs }", (x) => k.isObject(x)),
    { description: "Managed client keys: syncMs (250), refreshMs (2000)", file: false, defaultText: "defaults" },
  ),
  /** Anthropic Messages surface (`/v1/messages`): which Gemini model answers a Claude model name. */
  anthropic: group(g.anthropicSchema),
  /** OpenAI Responses surface (`/v1/responses`). */
  responses: group(g.responsesSchema),
  /** Embeddings (`/v1/embeddings`), served by pooled Gemini API keys. */
  embeddings: group(g.embeddingsSchema),
});
