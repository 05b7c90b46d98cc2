// config.json validation, its mapping onto createGeminiProxy() options, precedence (flags > env >
// file > defaults), and the CLI logger (levels, tags, masking, JSON lines).
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CONFIG_FIELDS, validateConfig } from "../src/config/file-schema.ts";
import { toProxyOptions } from "../src/cli/config.ts";
import { createCliLogger, parseLogLevel } from "../src/cli/logger.ts";
import { createSecretMasker } from "../src/cli/mask.ts";
import { flushLogLines } from "../src/logging/line-sink.ts";
import { loadSettings } from "../src/cli/settings.ts";
import { PREDECESSOR_CONFIG as PREDECESSOR } from "./cli-config.ts";

async function configFile(content: unknown): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), "gcp-config-"));
  const path = join(dir, "config.json");
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return { dir, path };
}

describe("validateConfig", () => {
  it("accepts the predecessor's template with no problem at all", () => {
    expect(validateConfig(PREDECESSOR)).toEqual([]);
  });

  it("reports every problem with its key path and the expected type", () => {
    const problems = validateConfig({
      server: { port: "http" },
      auth_keys: ["ok", 42],
      request_timeouts: { read: 0 },
      log_level: "loud",
      project_id_map: { "a@b.c": 1 },
      storage: "redis",
      endpoints: { code_assist: "not a url" },
      pool: { strategy: "random", max_attempts: 2.5 },
      credentials_encryption_key: "k",
      mystery: true,
    });
    const lines = problems.map((p) => `${p.severity} ${p.path}: ${p.message}`);
    expect(lines).toEqual([
      'error server.port: expected an integer 0-65535, got "http"',
      "error auth_keys[1]: expected a string, got 42",
      "error request_timeouts.read: expected a positive number, got 0",
      expect.stringMatching(/^error log_level: expected one of "silent", .* \(any case\), got "loud"$/),
      "error project_id_map.a@b.c: expected a string, got 1",
      'error storage: expected an object, got "redis"',
      'error endpoints.code_assist: expected an http(s) URL, got "not a url"',
      expect.stringMatching(
        /^error pool.strategy: expected one of "round-robin", "least-used", "fill-first", got "random"$/,
      ),
      "error pool.max_attempts: expected a positive integer, got 2.5",
      "warning credentials_encryption_key: unknown key, ignored: pass the key with -ek or GEMINI_PROXY_ENCRYPTION_KEY",
      "warning mystery: unknown key, ignored",
    ]);
    expect(validateConfig([])).toEqual([
      { severity: "error", path: "(root)", message: "expected a JSON object, got an array" },
    ]);
  });

  it("knows every key it maps, once", () => {
    const keys = CONFIG_FIELDS.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("toProxyOptions", () => {
  it("maps the predecessor's keys and ours onto library options", () => {
    const options = toProxyOptions(
      {
        ...PREDECESSOR,
        auth_keys: "single-key",
        admin_username: "old-admin",
        admin: { username: "admin", password: "pw-123456", public_metrics: true },
        usage_logging: { enabled: false, interval_sec: 5 },
        pool: { max_attempts: 2, min_credentials: 3, health_check: { enabled: false } },
        endpoints: { oauth_token: "http://127.0.0.1:9/token" },
        http_proxy: null,
        gemini_api_keys: ["AIzaOne"],
      },
      "/work/dir",
    );
    expect(options).toMatchObject({
      authKeys: ["single-key"],
      credentialsFile: "/work/dir/credentials.json",
      projectIdMap: { "user1@gmail.com": "your-gcp-project-id-1" },
      requestTimeouts: { connect: 60, read: 90 },
      usage: { logging: { enabled: false, intervalSec: 5 } },
      admin: { username: "admin", password: "pw-123456", publicMetrics: true },
      pool: { maxAttempts: 2, minCredentials: 3, healthCheck: { enabled: false } },
      endpoints: { oauthToken: "http://127.0.0.1:9/token" },
      httpProxy: null,
      geminiApiKeys: ["AIzaOne"],
    });
    expect(options).not.toHaveProperty("publicUrl");
  });
});

describe("loadSettings: flags > environment > file > defaults", () => {
  it("maps the Anthropic, Responses and embeddings keys", () => {
    const config = {
      anthropic: { model_map: { "claude-opus-*": "gemini-3-pro-preview" }, default_model: "gemini-2.5-flash" },
      responses: { ttl_sec: 60 },
      embeddings: { default_model: "gemini-embedding-001", model_map: { small: "gemini-embedding-001" } },
    };
    expect(validateConfig(config)).toEqual([]);
    expect(toProxyOptions(config, "/")).toMatchObject({
      anthropic: { modelMap: { "claude-opus-*": "gemini-3-pro-preview" }, defaultModel: "gemini-2.5-flash" },
      responses: { ttlSec: 60 },
      embeddings: { defaultModel: "gemini-embedding-001", modelMap: { small: "gemini-embedding-001" } },
    });
    expect(validateConfig({ responses: { ttl_sec: "soon" } })).toMatchObject([
      { severity: "error", path: "responses.ttl_sec" },
    ]);
  });

  it("uses the documented defaults without a config file", async () => {
    const s = await loadSettings({}, {}, "/srv");
    expect(s).toMatchObject({
      host: "127.0.0.1",
      port: 8889,
      logLevel: 3,
      logFormat: "pretty",
      shutdownTimeoutSec: 10,
      configPath: undefined,
    });
    expect(s.storage).toMatchObject({ driver: "fs" });
    expect(s.storage.base).toMatch(/\.gemini-cli-proxy$/);
    expect(s.options.authKeys).toBeUndefined(); // no built-in "123456"
  });

  it("layers the sources, arrays replaced (not concatenated)", async () => {
    const { path, dir } = await configFile({
      server: { port: 1001, host: "10.0.0.1" },
      auth_keys: ["file-key"],
      log_level: "DEBUG",
      data_dir: "file-data",
      admin: { username: "file-admin" },
    });
    const env = {
      GEMINI_PROXY_PORT: "1002",
      GEMINI_PROXY_AUTH_KEYS: "env-1, env-2",
      GEMINI_PROXY_ADMIN_PASSWORD: "env-password",
      GEMINI_PROXY_API_KEYS: "AIzaEnv1,AIzaEnv2",
    };
    const fileOnly = await loadSettings({ config: path }, {}, dir);
    expect(fileOnly).toMatchObject({ port: 1001, host: "10.0.0.1", logLevel: 4 });
    expect(fileOnly.storage.base).toBe(join(dir, "file-data"));
    const withEnv = await loadSettings({ config: path }, env, dir);
    expect(withEnv.port).toBe(1002);
    expect(withEnv.options.authKeys).toEqual(["env-1", "env-2"]);
    expect(withEnv.options.admin).toEqual({ username: "file-admin", password: "env-password" });
    expect(withEnv.options.geminiApiKeys).toEqual(["AIzaEnv1", "AIzaEnv2"]);
    expect(withEnv.secrets).toEqual(expect.arrayContaining(["env-1", "env-password", "AIzaEnv2"]));
    const withFlags = await loadSettings(
      { config: path, port: "1003", host: "127.0.0.2", logLevel: "warn", dataDir: "/abs/data" },
      env,
      dir,
    );
    expect(withFlags).toMatchObject({ port: 1003, host: "127.0.0.2", logLevel: 1, storage: { base: "/abs/data" } });
    // GEMINI_PROXY_CONFIG names the file when -c does not.
    expect((await loadSettings({}, { GEMINI_PROXY_CONFIG: path }, dir)).port).toBe(1001);
  });

  it("takes the encryption key from -ek before the environment", async () => {
    expect(
      (await loadSettings({ encryptionKey: "flag-key" }, { GEMINI_PROXY_ENCRYPTION_KEY: "env-key" })).encryptionKey,
    ).toBe("flag-key");
    expect((await loadSettings({}, { GEMINI_PROXY_ENCRYPTION_KEY: "env-key" })).encryptionKey).toBe("env-key");
  });

  it("fails with the key path and expected type, or the variable / flag name", async () => {
    const { path } = await configFile({ server: { port: -1 }, request_timeouts: { connect: "60" } });
    await expect(loadSettings({ config: path }, {})).rejects.toThrow(
      /has 2 error\(s\):\n {2}error {3}server\.port: expected an integer 0-65535, got -1\n {2}error {3}request_timeouts\.connect: expected a positive number, got "60"/,
    );
    await expect(loadSettings({}, { GEMINI_PROXY_PORT: "eighty" })).rejects.toThrow(
      'GEMINI_PROXY_PORT: expected an integer 0-65535, got "eighty"',
    );
    await expect(loadSettings({ port: "99999" }, {})).rejects.toThrow("--port: expected an integer 0-65535");
    await expect(loadSettings({ logLevel: "chatty" }, {})).rejects.toThrow(/--log-level: expected one of silent/);
    const bad = await configFile("{ not json");
    await expect(loadSettings({ config: bad.path }, {})).rejects.toThrow(/is not valid JSON/);
  });

  it("picks up the predecessor's default ./credentials1.json when -c gives no credentials_file", async () => {
    const { path, dir } = await configFile({});
    await writeFile(join(dir, "credentials1.json"), "[]");
    const s = await loadSettings({ config: path }, {}, dir);
    expect(s.options.credentialsFile).toBe(join(dir, "credentials1.json"));
    expect(s.notes.join()).toMatch(/credentials1\.json/);
  });
});

describe("CLI logger", () => {
  afterEach(() => vi.restoreAllMocks());

  it("parses levels case-insensitively, Python names included", () => {
    expect([
      parseLogLevel("DEBUG"),
      parseLogLevel("Warning"),
      parseLogLevel("critical"),
      parseLogLevel(undefined),
    ]).toEqual([4, 1, 0, 3]);
    expect(() => parseLogLevel("success")).toThrow(/expected one of/);
  });

  it("writes masked JSON lines, and tagged children keep the level", () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const masker = createSecretMasker(["my-client-key-1"]);
    const logger = createCliLogger({ level: 4, format: "json", masker });
    const pool = logger.withTag("pool");
    pool.debug("refreshed", { token: "ya29.a0AfB_secret", refresh: "1//0gSecret" });
    logger.withTag("http").info("key my-client-key-1 used with AIzaSyA1234567890abcdefghij and GOCSPX-abcdef");
    logger.error(new Error("failed with ya29.inError"));
    logger.trace("not at level 4");
    flushLogLines(); // lines are gathered and written together (logging/line-sink.ts)
    vi.restoreAllMocks();
    const records = lines
      .join("")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { level: string; tag?: string; msg: string; time: string });
    expect(records.map((r) => [r.level, r.tag])).toEqual([
      ["debug", "pool"],
      ["info", "http"],
      ["error", undefined],
    ]);
    expect(records[0]!.msg).toBe("refreshed { token: 'ya29.***', refresh: '1//***' }");
    expect(records[1]!.msg).toBe("key *** used with AIza*** and GOCSPX-***");
    expect(records[2]!.msg).toMatch(/^Error: failed with ya29\.\*\*\*/);
    expect(lines.join("")).not.toMatch(/secret|inError|my-client-key-1/i);
  });
});
