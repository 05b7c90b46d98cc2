// The one config schema: config.json keys ↔ library options, the predecessor's keys, defaults, one
// rule per setting for the file and the library, the messages, the JSON Schema, and typo hints.
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { toProxyOptions } from "../src/cli/config.ts";
import { CONFIG_FIELDS, validateConfig } from "../src/config/file-schema.ts";
import { resolveOptions } from "../src/config/resolve.ts";
import { CODE_ONLY_OPTIONS, PREDECESSOR_KEYS } from "../src/config/schema/fields.ts";
import { unknownOptionKeys } from "../src/config/unknown-keys.ts";
import { parseOptions } from "../src/config/validate.ts";
import { createGeminiProxy } from "../src/index.ts";
import { DEFAULT_POOL_SETTINGS } from "../src/pool/settings.ts";
import { configJsonSchema } from "../scripts/config-docs.ts";
import { PREDECESSOR_CONFIG } from "./cli-config.ts";

const libError = (options: object): string => {
  try {
    parseOptions(options);
  } catch (error) {
    return (error as Error).message;
  }
  return "";
};

function nested(path: string, value: unknown): Record<string, unknown> {
  return path
    .split(".")
    .reverse()
    .reduce<unknown>((inner, part) => ({ [part]: inner }), value) as Record<string, unknown>;
}

describe("config.json keys and library options", () => {
  it("keeps every key of the predecessor, each meaning what it meant", () => {
    expect(PREDECESSOR_KEYS.filter((key) => !CONFIG_FIELDS.some((f) => f.key === key))).toEqual([]);
    expect(validateConfig(PREDECESSOR_CONFIG)).toEqual([]);
    const option = (key: string) => CONFIG_FIELDS.find((f) => f.key === key)!.option;
    expect(PREDECESSOR_KEYS.map((key) => [key, option(key) ?? "(CLI)"])).toEqual([
      ["server.host", "(CLI)"],
      ["server.port", "(CLI)"],
      ["auth_keys", "authKeys"],
      ["credentials_file", "credentialsFile"],
      ["project_id_map", "projectIdMap"],
      ["log_level", "(CLI)"],
      ["request_timeouts.connect", "requestTimeouts.connect"],
      ["request_timeouts.read", "requestTimeouts.read"],
      ["usage_logging.enabled", "usage.logging.enabled"],
      ["usage_logging.interval_sec", "usage.logging.intervalSec"],
      ["public_url", "publicUrl"],
      ["min_credentials", "pool.minCredentials"],
      ["admin_username", "admin.username"],
      ["admin_password", "admin.password"],
    ]);
    // The predecessor's keys come first in the table.
    expect(CONFIG_FIELDS.slice(0, PREDECESSOR_KEYS.length).map((f) => f.key)).toEqual(PREDECESSOR_KEYS);
  });

  it("gives every option a config.json key or marks it code-only, and names the three server limits", () => {
    const fileOptions = new Set(CONFIG_FIELDS.flatMap((f) => (f.option ? [f.option] : [])));
    expect(CODE_ONLY_OPTIONS.map((o) => o.option).filter((o) => fileOptions.has(o))).toEqual([]);
    expect(CODE_ONLY_OPTIONS.map((o) => o.option).sort()).toEqual(
      ["clientKeys", "credentials", "encryptionKey", "hooks", "logger", "maxAttempts", "storage", "usage.store"].sort(),
    );
    const server = CONFIG_FIELDS.filter((f) => f.key.startsWith("server."));
    expect(server.map((f) => [f.key, f.option, f.default])).toEqual([
      ["server.host", undefined, "127.0.0.1"],
      ["server.port", undefined, "8889"],
      ["server.headers_timeout_sec", undefined, "10"],
      ["server.request_timeout_sec", undefined, "300"],
      ["server.max_connections", undefined, "1024"],
    ]);
  });

  it("round-trips: a file with every mapped key becomes the options, and they resolve", () => {
    const sample: Record<string, unknown> = {
      auth_keys: ["k1"],
      credentials_file: "/creds.json",
      project_id_map: { "a@b.c": "p" },
      request_timeouts: { connect: 5, read: 7 },
      public_url: "https://proxy.example.com/",
      credentials_file_sync: false,
      endpoints: { code_assist: "http://127.0.0.1:9/ca", revoke: "http://127.0.0.1:9/r" },
      gemini_api_keys: ["AIzaX"],
      http_proxy: "http://127.0.0.1:3128",
      base_path: "/g",
      max_body_size: 1024,
      models: ["gemini-2.5-pro", { id: "custom-1", thinking: false }],
      oauth_client: { client_id: "id", client_secret: "secret" },
      openai: { reasoning_output: "think_tags", include_thoughts: true, keep_alive_ms: 0, stream_grace_ms: 10 },
      media: { allow_private: true, max_bytes: 10, timeout_ms: 11, max_redirects: 0, max_urls: 2 },
      pool: {
        strategy: "fill-first",
        max_attempts: 2,
        budget_ms: 0,
        wait_for_cooldown_ms: 0,
        refresh_ahead_ms: 1,
        health_check: { enabled: false, idle_ms: 0, interval_ms: 10 },
        min_credentials: 0,
        onboarding_poll_ms: 5,
      },
      admin: { username: "root", password: "pw", session_ttl_sec: 60, public_metrics: true },
      usage: { retention_days: 1.5, logging: { enabled: false, interval_sec: 2 } },
      anthropic: { model_map: { "claude-x": "gemini-2.5-flash" }, default_model: "gemini-2.5-flash" },
      responses: { ttl_sec: 9 },
      embeddings: { default_model: "e", model_map: { small: "e" } },
    };
    expect(validateConfig(sample)).toEqual([]);
    const options = toProxyOptions(sample, "/");
    expect(unknownOptionKeys(options)).toEqual([]);
    const resolved = resolveOptions(options);
    expect(resolved).toMatchObject({
      basePath: "/g",
      publicUrl: "https://proxy.example.com",
      requestTimeouts: { connect: 5, read: 7 },
      maxBodySize: 1024,
      openai: { reasoningOutput: "think_tags", includeThoughts: true, keepAliveMs: 0, streamGraceMs: 10 },
      media: { allowPrivate: true, maxBytes: 10, timeoutMs: 11, maxRedirects: 0, maxUrls: 2 },
      pool: {
        strategy: "fill-first",
        maxAttempts: 2,
        budgetMs: 0,
        healthCheck: { enabled: false, idleMs: 0, intervalMs: 10 },
        minCredentials: 0,
      },
      admin: { username: "root", password: "pw", sessionTtlSec: 60, publicMetrics: true },
      usage: { retentionDays: 1.5, logging: { enabled: false, intervalSec: 2 } },
      anthropic: { modelMap: { "claude-*haiku*": "gemini-2.5-flash", "claude-x": "gemini-2.5-flash" } },
      responses: { ttlSec: 9 },
      embeddings: { defaultModel: "e", modelMap: { small: "e" } },
    });
    expect(options).toMatchObject({
      oauthClient: { clientId: "id", clientSecret: "secret" },
      endpoints: { codeAssist: "http://127.0.0.1:9/ca", revoke: "http://127.0.0.1:9/r" },
      onboardingPollMs: 5,
      credentialsFileSync: false,
    });
  });

  it("fills the documented defaults from the schema", () => {
    const r = resolveOptions({});
    expect(r).toMatchObject({
      basePath: "",
      requestTimeouts: { connect: 60, read: 90 },
      maxBodySize: 32 * 1024 * 1024,
      openai: {
        reasoningOutput: "reasoning_content",
        includeThoughts: false,
        keepAliveMs: 15_000,
        streamGraceMs: 2000,
        signatureTtlSec: 86_400,
      },
      media: { allowPrivate: false, maxBytes: 20 * 1024 * 1024, timeoutMs: 15_000, maxRedirects: 5, maxUrls: 16 },
      maxAttempts: 4,
      admin: { sessionTtlSec: 43_200, publicMetrics: false },
      usage: { retentionDays: 30, logging: { enabled: true, intervalSec: 30 } },
      anthropic: { modelMap: { "claude-*haiku*": "gemini-2.5-flash" }, defaultModel: "gemini-2.5-pro" },
      responses: { ttlSec: 21_600 },
      embeddings: { defaultModel: "gemini-embedding-001", modelMap: {} },
    });
    expect(r.pool).toEqual(DEFAULT_POOL_SETTINGS);
    expect(DEFAULT_POOL_SETTINGS).toEqual({
      strategy: "round-robin",
      maxAttempts: 4,
      budgetMs: 60_000,
      waitForCooldownMs: 10_000,
      refreshAheadMs: 300_000,
      healthCheck: { enabled: true, idleMs: 1_800_000, intervalMs: 60_000 },
      minCredentials: 1,
    });
    expect(Object.isFrozen(DEFAULT_POOL_SETTINGS.healthCheck)).toBe(true);
    // The deprecated top-level maxAttempts still works; pool.maxAttempts wins.
    expect(resolveOptions({ maxAttempts: 2 }).pool.maxAttempts).toBe(2);
    expect(resolveOptions({ maxAttempts: 2, pool: { maxAttempts: 3 } }).maxAttempts).toBe(3);
  });

  it("applies one rule to a setting, whether it comes from config.json or from code", () => {
    const values = [0, -1, 1, 2.5, 9, 70_000, "", "x", "http://127.0.0.1:1", true, [], ["s"], {}, { a: "b" }];
    const disagreements: string[] = [];
    for (const field of CONFIG_FIELDS) {
      if (!field.option || field.key !== CONFIG_FIELDS.find((f) => f.option === field.option)!.key) continue;
      for (const value of values) {
        const file = validateConfig(nested(field.key, value)).some((p) => p.severity === "error");
        const lib = libError(nested(field.option, value)) !== "";
        // config.json may say more (one auth key as a string): never less.
        if (file !== lib && !(lib && !file && field.key === "auth_keys" && typeof value === "string"))
          disagreements.push(`${field.key} ${JSON.stringify(value)}: file ${file ? "rejects" : "accepts"}`);
      }
    }
    expect(disagreements).toEqual([]);
    // pool.budget_ms: 0 means no fail-over, in both.
    expect(validateConfig({ pool: { budget_ms: 0 } })).toEqual([]);
    expect(parseOptions({ pool: { budgetMs: 0 } }).pool.budgetMs).toBe(0);
  });
});

describe("messages", () => {
  it("name the option, what it must be and what came, every problem at once", () => {
    expect(() => createGeminiProxy({ pool: { maxAttempts: 0 } })).toThrow(
      "gemini-cli-proxy: pool.maxAttempts must be a positive integer (got 0)",
    );
    expect(libError({ pool: { strategy: "random" }, geminiApiKeys: ["ok", 5], keepAliveMs: -1 })).toBe(
      'gemini-cli-proxy: geminiApiKeys[1] must be a string (got 5); keepAliveMs must be an integer >= 0 (got -1); pool.strategy must be one of "round-robin", "least-used", "fill-first" (got "random")',
    );
    expect(libError({ authKeys: "one-key" })).toBe(
      'gemini-cli-proxy: authKeys must be an array of strings, a function or false (got "one-key")',
    );
    expect(libError({ publicUrl: "ftp://x" })).toMatch(/publicUrl must be an http\(s\) URL \(got "ftp:\/\/x"\)/);
    expect(libError({ anthropic: { modelMap: { a: "" } } })).toMatch(/anthropic\.modelMap\.a must be a model id/);
    expect(libError({ logger: "console" })).toMatch(/logger must be a logger or false/);
    expect(libError({ authKeys: ["k"], logger: false, storage: undefined, pool: {} })).toBe("");
  });

  it("config.json: a wrong value in a nested group and in a list item, in document order", () => {
    expect(
      validateConfig({
        models: ["ok", 7, { id: 1 }],
        pool: { health_check: { interval_ms: 5 } },
        oauth_client: { client_id: "" },
        $schema: "./node_modules/gemini-cli-proxy/config.schema.json",
      }).map((p) => `${p.path}: ${p.message}`),
    ).toEqual([
      'models[1]: expected a string or an object with a string "id", got 7',
      'models[2].id: expected an object with a string "id", got 1',
      "pool.health_check.interval_ms: expected an integer >= 10, got 5",
      "oauth_client: client_id and client_secret go together",
    ]);
  });
});

describe("JSON Schema of config.json", () => {
  const ajv = new Ajv({ strict: true, allErrors: true });
  const check = ajv.compile(configJsonSchema());

  it("is a valid draft-07 schema that agrees with the validator on sample files", () => {
    const samples: unknown[] = [
      PREDECESSOR_CONFIG,
      { $schema: "./node_modules/gemini-cli-proxy/config.schema.json", server: { port: "8889" }, log_level: "DEBUG" },
      { server: { port: "http" } },
      { server: { port: 65_536 } },
      { auth_keys: ["ok", 42] },
      { auth_keys: "single" },
      { log_level: "loud" },
      { pool: { strategy: "random", budget_ms: 0 } },
      { pool: { max_attempts: 2.5 } },
      { request_timeouts: { read: 0 } },
      { public_url: "not a url" },
      { models: ["a", { id: "b", extra: 1 }] },
      { models: [{ name: "no id" }] },
      { storage: "redis" },
      { anthropic: { model_map: { "claude-*": "" } } },
    ];
    const verdicts = samples.map((sample) => [
      JSON.stringify(sample),
      check(sample),
      !validateConfig(sample).some((p) => p.severity === "error"),
    ]);
    expect(verdicts.filter(([, schema, ours]) => schema !== ours)).toEqual([]);
    expect(verdicts.filter(([, , ours]) => ours).length).toBe(4);
  });

  it("describes each key with its default", () => {
    const schema = configJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown> }> };
    expect(schema.properties.pool!.properties!.budget_ms).toEqual({
      description: "Time one request may spend on fail-over, ms (0: none)",
      type: "integer",
      minimum: 0,
      default: 60_000,
    });
    expect(schema.properties.log_level).toMatchObject({
      default: "info",
      examples: expect.arrayContaining(["warning"]),
    });
  });
});

describe("unknownOptionKeys", () => {
  it("lists misspelled options with the nearest valid name, nested groups included", () => {
    expect(
      unknownOptionKeys({
        authkeys: ["k"],
        auth_keys: ["k"],
        pool: { maxAttempt: 2, strategy: "least-used", healthcheck: {} },
        budgetMs: 100,
        admin: { user: "x" },
        projectIdMap: { "any@key.com": "p" },
        colour: "blue",
        logger: false,
      }),
    ).toEqual([
      { key: "authkeys", suggestion: "authKeys" },
      { key: "auth_keys", suggestion: "authKeys" },
      { key: "pool.maxAttempt", suggestion: "pool.maxAttempts" },
      { key: "pool.healthcheck", suggestion: "pool.healthCheck" },
      { key: "budgetMs", suggestion: "pool.budgetMs" },
      { key: "admin.user", suggestion: undefined },
      { key: "colour", suggestion: undefined },
    ]);
    expect(unknownOptionKeys({ authKeys: false, pool: { healthCheck: { idleMs: 1 } } })).toEqual([]);
  });
});
