// A small hand-written schema for config.json: every known key path with its expected type, the
// createGeminiProxy() option it becomes, and its default. Validation collects every problem at once.

export interface ConfigProblem {
  severity: "error" | "warning";
  /** Dotted key path, with [i] for array items. */
  path: string;
  message: string;
}

export interface Spec {
  /** What the value must be, in words (shown in errors and in the README table). */
  expected: string;
  /** Returns an error message for a wrong value, or nothing. */
  check(value: unknown, path: string, problems: ConfigProblem[]): string | undefined;
}

const describe = (v: unknown): string =>
  v === null
    ? "null"
    : Array.isArray(v)
      ? "an array"
      : typeof v === "string"
        ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)
        : typeof v === "object"
          ? "an object"
          : String(v);

const spec = (expected: string, ok: (v: unknown) => boolean): Spec => ({
  expected,
  check: (v) => (ok(v) ? undefined : `expected ${expected}, got ${describe(v)}`),
});

export const str: Spec = spec("a string", (v) => typeof v === "string");
export const bool: Spec = spec("a boolean", (v) => typeof v === "boolean");
export const url: Spec = spec("an http(s) URL", (v) => typeof v === "string" && /^https?:\/\/[^\s/]+/.test(v));
export const positive: Spec = spec("a positive number", (v) => typeof v === "number" && Number.isFinite(v) && v > 0);
export const positiveInt: Spec = spec("a positive integer", (v) => Number.isInteger(v) && (v as number) > 0);
export const count: Spec = spec("an integer >= 0", (v) => Number.isInteger(v) && (v as number) >= 0);
// The predecessor ran int() on the port, so "8889" was accepted there too.
export const port: Spec = spec("an integer 0-65535", (v) => {
  const n = typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
  return Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 65535;
});

export function oneOf(values: readonly string[], caseInsensitive = false): Spec {
  const list = values.map((v) => JSON.stringify(v)).join(", ");
  return spec(
    `one of ${list}${caseInsensitive ? " (any case)" : ""}`,
    (v) => typeof v === "string" && values.includes(caseInsensitive ? v.toLowerCase() : v),
  );
}

export function nullable(inner: Spec): Spec {
  return {
    expected: `${inner.expected} or null`,
    check: (v, p, out) =>
      v === null ? undefined : inner.check(v, p, out) && `expected ${inner.expected} or null, got ${describe(v)}`,
  };
}

export function union(a: Spec, b: Spec): Spec {
  return {
    expected: `${a.expected} or ${b.expected}`,
    check: (v, p, out) =>
      a.check(v, p, []) === undefined
        ? undefined
        : b.check(v, p, out) && `expected ${a.expected} or ${b.expected}, got ${describe(v)}`,
  };
}

/** Items are checked one by one, so an error names `key[2]`. */
export function arrayOf(item: Spec): Spec {
  return {
    expected: `an array of ${item.expected.replace(/^an? /, "")}s`,
    check(v, path, out) {
      if (!Array.isArray(v)) return `expected an array of ${item.expected.replace(/^an? /, "")}s, got ${describe(v)}`;
      v.forEach((x, i) => {
        const message = item.check(x, `${path}[${i}]`, out);
        if (message) out.push({ severity: "error", path: `${path}[${i}]`, message });
      });
      return undefined;
    },
  };
}

export function recordOf(value: Spec, what: string): Spec {
  return {
    expected: `an object of ${what}`,
    check(v, path, out) {
      if (!v || typeof v !== "object" || Array.isArray(v)) return `expected an object of ${what}, got ${describe(v)}`;
      for (const [k, x] of Object.entries(v)) {
        const message = value.check(x, `${path}.${k}`, out);
        if (message) out.push({ severity: "error", path: `${path}.${k}`, message });
      }
      return undefined;
    },
  };
}

const LOG_LEVELS = ["silent", "fatal", "error", "warn", "warning", "info", "debug", "trace", "critical"];

const modelSpec: Spec = union(
  str,
  spec(
    'an object with a string "id"',
    (v) => !!v && typeof v === "object" && typeof (v as { id?: unknown }).id === "string",
  ),
);

export interface ConfigField {
  /** Dotted path in config.json. */
  key: string;
  spec: Spec;
  /** The createGeminiProxy() option path, when the key maps onto one (others are read by the CLI). */
  option?: string;
  default?: string;
  doc: string;
}

/** Every config key. Keys of the predecessor come first, then ours. */
export const CONFIG_FIELDS: readonly ConfigField[] = [
  {
    key: "server.host",
    spec: str,
    default: "127.0.0.1",
    doc: "Address to bind (predecessor: 0.0.0.0; pass 0.0.0.0 to expose)",
  },
  { key: "server.port", spec: port, default: "8889", doc: "Port to listen on (0 picks a free one)" },
  {
    key: "server.headers_timeout_sec",
    spec: positive,
    default: "10",
    doc: "A client must send its request headers within this, seconds",
  },
  {
    key: "server.request_timeout_sec",
    spec: positive,
    default: "300",
    doc: "A client must send its whole request (headers and body) within this, seconds; answers and streams are not cut",
  },
  {
    key: "server.max_connections",
    spec: positiveInt,
    default: "1024",
    doc: "Open connections at most; more are closed on arrival",
  },
  {
    key: "auth_keys",
    spec: union(str, arrayOf(str)),
    option: "authKeys",
    default: "generated on first start",
    doc: "Client keys for the API surfaces",
  },
  {
    key: "credentials_file",
    spec: str,
    option: "credentialsFile",
    default: "none (./credentials1.json if it exists)",
    doc: "The predecessor's credentials file, kept in sync",
  },
  {
    key: "project_id_map",
    spec: recordOf(str, "project ids by email"),
    option: "projectIdMap",
    default: "{}",
    doc: "email → Google Cloud project",
  },
  { key: "log_level", spec: oneOf(LOG_LEVELS, true), default: "info", doc: "Log level (case-insensitive)" },
  {
    key: "request_timeouts.connect",
    spec: positive,
    option: "requestTimeouts.connect",
    default: "60",
    doc: "Connect timeout to Google, seconds",
  },
  {
    key: "request_timeouts.read",
    spec: positive,
    option: "requestTimeouts.read",
    default: "90",
    doc: "Read timeout (headers, between chunks), seconds",
  },
  {
    key: "usage_logging.enabled",
    spec: bool,
    option: "usage.logging.enabled",
    default: "true",
    doc: "Periodic usage summary in the log",
  },
  {
    key: "usage_logging.interval_sec",
    spec: positive,
    option: "usage.logging.intervalSec",
    default: "30",
    doc: "Usage summary interval, seconds",
  },
  {
    key: "public_url",
    spec: nullable(url),
    option: "publicUrl",
    default: "null",
    doc: "Public URL of this proxy (login redirects, banner)",
  },
  {
    key: "min_credentials",
    spec: count,
    option: "pool.minCredentials",
    default: "1",
    doc: "Warn at start when fewer usable credentials",
  },
  {
    key: "admin_username",
    spec: nullable(str),
    option: "admin.username",
    default: "null",
    doc: "Admin user (same as admin.username)",
  },
  {
    key: "admin_password",
    spec: nullable(str),
    option: "admin.password",
    default: "null",
    doc: "Admin password (same as admin.password)",
  },
  // New keys.
  {
    key: "credentials_file_sync",
    spec: bool,
    option: "credentialsFileSync",
    default: "true",
    doc: "Write pool changes back to credentials_file",
  },
  { key: "data_dir", spec: str, default: "~/.gemini-cli-proxy", doc: "Directory of the fs storage" },
  { key: "log_format", spec: oneOf(["pretty", "json"]), default: "pretty", doc: "json: one JSON object per line" },
  {
    key: "shutdown_timeout_sec",
    spec: positive,
    default: "10",
    doc: "Grace period for in-flight requests on SIGINT/SIGTERM",
  },
  { key: "storage.driver", spec: oneOf(["fs", "memory", "redis"]), default: "fs", doc: "Storage driver" },
  {
    key: "storage.base",
    spec: str,
    default: "data_dir (fs), gcp (redis prefix)",
    doc: "fs directory or redis key prefix",
  },
  { key: "storage.url", spec: str, default: "redis://127.0.0.1:6379", doc: "Redis URL" },
  {
    key: "gemini_api_keys",
    spec: arrayOf(str),
    option: "geminiApiKeys",
    default: "[]",
    doc: "Gemini API keys pooled next to the accounts",
  },
  {
    key: "http_proxy",
    spec: nullable(str),
    option: "httpProxy",
    default: "HTTPS_PROXY / HTTP_PROXY",
    doc: "Outbound proxy; null disables",
  },
  { key: "base_path", spec: str, option: "basePath", default: '""', doc: "Mount prefix" },
  {
    key: "max_body_size",
    spec: positiveInt,
    option: "maxBodySize",
    default: "33554432",
    doc: "Largest request body, bytes",
  },
  {
    key: "models",
    spec: arrayOf(modelSpec),
    option: "models",
    default: "built-in catalogue",
    doc: "Model ids or objects",
  },
  {
    key: "oauth_client.client_id",
    spec: str,
    option: "oauthClient.clientId",
    default: "Gemini CLI's client",
    doc: "Own OAuth client id",
  },
  {
    key: "oauth_client.client_secret",
    spec: str,
    option: "oauthClient.clientSecret",
    default: "Gemini CLI's client",
    doc: "Own OAuth client secret",
  },
  {
    key: "pool.strategy",
    spec: oneOf(["round-robin", "least-used", "fill-first"]),
    option: "pool.strategy",
    default: "round-robin",
    doc: "Choice among usable credentials",
  },
  {
    key: "pool.max_attempts",
    spec: positiveInt,
    option: "pool.maxAttempts",
    default: "4",
    doc: "Attempts per request",
  },
  {
    key: "pool.budget_ms",
    spec: positiveInt,
    option: "pool.budgetMs",
    default: "60000",
    doc: "Time one request may spend on fail-over, ms",
  },
  {
    key: "pool.wait_for_cooldown_ms",
    spec: count,
    option: "pool.waitForCooldownMs",
    default: "10000",
    doc: "Wait for a cooling credential, ms",
  },
  {
    key: "pool.refresh_ahead_ms",
    spec: positiveInt,
    option: "pool.refreshAheadMs",
    default: "300000",
    doc: "Refresh tokens this long before expiry, ms",
  },
  {
    key: "pool.health_check.enabled",
    spec: bool,
    option: "pool.healthCheck.enabled",
    default: "true",
    doc: "Check idle credentials",
  },
  {
    key: "pool.health_check.idle_ms",
    spec: positiveInt,
    option: "pool.healthCheck.idleMs",
    default: "1800000",
    doc: "Idle time before a check, ms",
  },
  {
    key: "pool.health_check.interval_ms",
    spec: positiveInt,
    option: "pool.healthCheck.intervalMs",
    default: "60000",
    doc: "Idle-loop tick, ms",
  },
  {
    key: "pool.min_credentials",
    spec: count,
    option: "pool.minCredentials",
    default: "1",
    doc: "Same as min_credentials",
  },
  {
    key: "pool.onboarding_poll_ms",
    spec: positiveInt,
    option: "onboardingPollMs",
    default: "2000",
    doc: "Onboarding poll interval, ms",
  },
  {
    key: "admin.username",
    spec: nullable(str),
    option: "admin.username",
    default: "null",
    doc: "Admin user; without user+password admin is loopback-only",
  },
  { key: "admin.password", spec: nullable(str), option: "admin.password", default: "null", doc: "Admin password" },
  {
    key: "admin.session_ttl_sec",
    spec: positive,
    option: "admin.sessionTtlSec",
    default: "43200",
    doc: "Admin page login lifetime, seconds",
  },
  {
    key: "admin.public_metrics",
    spec: bool,
    option: "admin.publicMetrics",
    default: "false",
    doc: "Serve /metrics without admin auth",
  },
  {
    key: "usage.retention_days",
    spec: positive,
    option: "usage.retentionDays",
    default: "30",
    doc: "Days of usage rollups kept",
  },
  {
    key: "usage.logging.enabled",
    spec: bool,
    option: "usage.logging.enabled",
    default: "true",
    doc: "Same as usage_logging.enabled",
  },
  {
    key: "usage.logging.interval_sec",
    spec: positive,
    option: "usage.logging.intervalSec",
    default: "30",
    doc: "Same as usage_logging.interval_sec",
  },
  {
    key: "openai.reasoning_output",
    spec: oneOf(["reasoning_content", "think_tags", "hidden"]),
    option: "reasoningOutput",
    default: "reasoning_content",
    doc: "Where thoughts go on the OpenAI surface",
  },
  {
    key: "openai.include_thoughts",
    spec: bool,
    option: "includeThoughts",
    default: "false",
    doc: "Ask for thought summaries by default",
  },
  {
    key: "openai.keep_alive_ms",
    spec: count,
    option: "keepAliveMs",
    default: "15000",
    doc: "SSE keep-alive interval, ms (0 off)",
  },
  {
    key: "openai.stream_grace_ms",
    spec: count,
    option: "streamGraceMs",
    default: "2000",
    doc: "Wait for the first chunk before sending headers, ms",
  },
  {
    key: "openai.signature_ttl_sec",
    spec: positive,
    option: "signatureTtlSec",
    default: "86400",
    doc: "Thought signature retention, seconds",
  },
  {
    key: "anthropic.model_map",
    spec: recordOf(str, "Gemini model ids by Anthropic model name"),
    option: "anthropic.modelMap",
    default: '{"claude-*haiku*": "gemini-2.5-flash"}',
    doc: "Claude model names → Gemini models (`*` wildcards)",
  },
  {
    key: "anthropic.default_model",
    spec: str,
    option: "anthropic.defaultModel",
    default: "gemini-2.5-pro",
    doc: "Gemini model for other Claude model names",
  },
  {
    key: "responses.ttl_sec",
    spec: positive,
    option: "responses.ttlSec",
    default: "21600",
    doc: "How long answers are kept for previous_response_id, seconds",
  },
  {
    key: "embeddings.default_model",
    spec: str,
    option: "embeddings.defaultModel",
    default: "gemini-embedding-001",
    doc: "Gemini model for OpenAI embedding model names",
  },
  {
    key: "embeddings.model_map",
    spec: recordOf(str, "Gemini embedding model ids by name"),
    option: "embeddings.modelMap",
    default: "{}",
    doc: "Other embedding model names → Gemini models",
  },
  {
    key: "media.allow_private",
    spec: bool,
    option: "allowPrivateMediaUrls",
    default: "false",
    doc: "Allow media URLs on private addresses",
  },
  {
    key: "media.max_bytes",
    spec: positiveInt,
    option: "media.maxBytes",
    default: "see options",
    doc: "Largest fetched media, bytes",
  },
  {
    key: "media.timeout_ms",
    spec: positiveInt,
    option: "media.timeoutMs",
    default: "see options",
    doc: "Media fetch timeout, ms",
  },
  {
    key: "media.max_redirects",
    spec: count,
    option: "media.maxRedirects",
    default: "see options",
    doc: "Media fetch redirects",
  },
  {
    key: "media.max_urls",
    spec: positiveInt,
    option: "media.maxUrls",
    default: "see options",
    doc: "Media URLs per request",
  },
  ...(["code_assist", "gemini_api", "oauth_authorize", "oauth_token", "userinfo", "tokeninfo", "revoke"] as const).map(
    (name): ConfigField => ({
      key: `endpoints.${name}`,
      spec: url,
      option: `endpoints.${name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())}`,
      default: "Google",
      doc: "Google base URL override (tests, gateways)",
    }),
  ),
];

const IGNORED = new Set(["$schema", "_comment"]);

/** Every problem of a parsed config.json, errors and unknown-key warnings. */
export function validateConfig(config: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!config || typeof config !== "object" || Array.isArray(config)) {
    return [{ severity: "error", path: "(root)", message: `expected a JSON object, got ${describe(config)}` }];
  }
  const fields = new Map(CONFIG_FIELDS.map((f) => [f.key, f]));
  const walk = (value: Record<string, unknown>, prefix: string) => {
    for (const [key, child] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const field = fields.get(path);
      if (field) {
        if (child === undefined) continue;
        const message = field.spec.check(child, path, problems);
        if (message) problems.push({ severity: "error", path, message });
        continue;
      }
      const isGroup = CONFIG_FIELDS.some((f) => f.key.startsWith(`${path}.`));
      if (isGroup) {
        if (child && typeof child === "object" && !Array.isArray(child)) walk(child as Record<string, unknown>, path);
        else if (child !== null)
          problems.push({ severity: "error", path, message: `expected an object, got ${describe(child)}` });
        continue;
      }
      if (IGNORED.has(path)) continue;
      const hint =
        path === "credentials_encryption_key" || path === "encryption_key"
          ? ": pass the key with -ek or GEMINI_PROXY_ENCRYPTION_KEY"
          : "";
      problems.push({ severity: "warning", path, message: `unknown key, ignored${hint}` });
    }
  };
  walk(config as Record<string, unknown>, "");
  const client = (config as { oauth_client?: Record<string, unknown> }).oauth_client;
  if (client && typeof client === "object" && !client.client_id !== !client.client_secret) {
    problems.push({ severity: "error", path: "oauth_client", message: "client_id and client_secret go together" });
  }
  return problems;
}

export function formatProblem(problem: ConfigProblem): string {
  return `${problem.severity === "error" ? "error  " : "warning"} ${problem.path}: ${problem.message}`;
}
