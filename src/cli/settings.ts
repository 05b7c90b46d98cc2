// Everything the CLI needs, resolved once: flags > environment > config file > defaults.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createDefu } from "defu";
import * as v from "valibot";
import type { GeminiProxyOptions } from "../config/options.ts";
import { checkKey } from "../config/file-schema.ts";
import { cliSchema } from "../config/schema/cli.ts";
import { ConfigError, getPath, readConfigFile, resolvePath, toProxyOptions, type FileConfig } from "./config.ts";
import { parseLogLevel, type LogFormat } from "./logger.ts";

/** The flags every command shares (their citty definitions are in args.ts). */
export interface CommonFlags {
  config?: string;
  encryptionKey?: string;
  dataDir?: string;
  logLevel?: string;
  logFormat?: string;
  host?: string;
  port?: string;
  shutdownTimeout?: string;
}

export interface CliSettings {
  configPath?: string;
  /** The merged config, file-shaped. */
  config: FileConfig;
  host: string;
  port: number;
  storage: { driver: "fs" | "memory" | "redis"; base: string; url?: string };
  logLevel: number;
  logFormat: LogFormat;
  shutdownTimeoutSec: number;
  /** node:http limits against slow or numerous clients (config `server.*`). */
  limits: { headersTimeoutSec: number; requestTimeoutSec: number; maxConnections: number };
  encryptionKey?: string;
  options: GeminiProxyOptions;
  /** Lines to log once the logger exists. */
  warnings: string[];
  notes: string[];
  /** Values the log masker must redact. */
  secrets: string[];
}

/** The CLI-only keys' defaults, from the schema. */
const CLI_DEFAULTS = v.parse(cliSchema, {});

// defu concatenates arrays; a higher layer's auth_keys must replace the lower one's.
const merge = createDefu((object, key, value) => {
  if (Array.isArray(value) || Array.isArray(object[key])) {
    object[key] = value;
    return true;
  }
});

const list = (value: string | undefined) =>
  value
    ?.split(/[,\s]+/)
    .map((v) => v.trim())
    .filter(Boolean);
const nonEmpty = (value: string | undefined) => (value === undefined || value === "" ? undefined : value);

/** A flag or variable checked as the config key it stands for, named as the user wrote it. */
function checked<T>(value: T | undefined, key: string, where: string): T | undefined {
  if (value === undefined) return undefined;
  const message = checkKey(key, value);
  if (message) throw new ConfigError(`${where}: ${message}`);
  return value;
}

function envLayer(env: NodeJS.ProcessEnv): FileConfig {
  const e = (name: string) => nonEmpty(env[`GEMINI_PROXY_${name}`]);
  return {
    server: { host: e("HOST"), port: checked(e("PORT"), "server.port", "GEMINI_PROXY_PORT") },
    auth_keys: list(e("AUTH_KEYS")),
    gemini_api_keys: list(e("API_KEYS")),
    admin: { username: e("ADMIN_USERNAME"), password: e("ADMIN_PASSWORD") },
    log_level: e("LOG_LEVEL"),
    log_format: checked(e("LOG_FORMAT"), "log_format", "GEMINI_PROXY_LOG_FORMAT"),
    data_dir: e("DATA_DIR"),
    public_url: e("PUBLIC_URL"),
  };
}

function flagLayer(flags: CommonFlags): FileConfig {
  const timeout = nonEmpty(flags.shutdownTimeout);
  return {
    server: { host: nonEmpty(flags.host), port: checked(nonEmpty(flags.port), "server.port", "--port") },
    log_level: nonEmpty(flags.logLevel),
    log_format: checked(nonEmpty(flags.logFormat), "log_format", "--log-format"),
    data_dir: nonEmpty(flags.dataDir),
    shutdown_timeout_sec: checked(
      timeout === undefined ? undefined : Number(timeout),
      "shutdown_timeout_sec",
      "--shutdown-timeout",
    ),
  };
}

export async function loadSettings(
  flags: CommonFlags,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<CliSettings> {
  const configPath = nonEmpty(flags.config) ?? nonEmpty(env.GEMINI_PROXY_CONFIG);
  const warnings: string[] = [];
  const notes: string[] = [];
  let file: FileConfig = {};
  if (configPath) {
    const read = await readConfigFile(configPath);
    file = read.config;
    for (const w of read.warnings) warnings.push(`${configPath}: ${w.path}: ${w.message}`);
  }
  const config = merge(flagLayer(flags), envLayer(env), file) as FileConfig;

  // The predecessor always had a credentials file, ./credentials1.json by default.
  if (configPath && config.credentials_file === undefined && existsSync(join(cwd, "credentials1.json"))) {
    config.credentials_file = "credentials1.json";
    notes.push(`using ./credentials1.json (the predecessor's default credentials_file)`);
  }

  const storageDriver =
    (getPath(config, "storage.driver") as CliSettings["storage"]["driver"] | undefined) ?? CLI_DEFAULTS.storage.driver;
  const dataDir =
    (config.data_dir as string | undefined) ??
    (storageDriver === "fs" ? (getPath(config, "storage.base") as string | undefined) : undefined);
  const base =
    storageDriver === "redis"
      ? ((getPath(config, "storage.base") as string | undefined) ?? "gcp")
      : resolvePath(dataDir ?? CLI_DEFAULTS.dataDir, cwd);
  const portValue = getPath(config, "server.port");
  const encryptionKey = nonEmpty(flags.encryptionKey) ?? nonEmpty(env.GEMINI_PROXY_ENCRYPTION_KEY);
  const options = toProxyOptions(config, cwd);
  const admin = options.admin;

  return {
    configPath,
    config,
    host: (getPath(config, "server.host") as string | undefined) ?? CLI_DEFAULTS.server.host,
    port: Number(portValue ?? CLI_DEFAULTS.server.port),
    storage: { driver: storageDriver, base, url: getPath(config, "storage.url") as string | undefined },
    logLevel: parseLogLevel(config.log_level as string | undefined, flags.logLevel ? "--log-level" : "log_level"),
    logFormat: (config.log_format as LogFormat | undefined) ?? CLI_DEFAULTS.logFormat,
    shutdownTimeoutSec: (config.shutdown_timeout_sec as number | undefined) ?? CLI_DEFAULTS.shutdownTimeoutSec,
    limits: {
      headersTimeoutSec:
        (getPath(config, "server.headers_timeout_sec") as number | undefined) ?? CLI_DEFAULTS.server.headersTimeoutSec,
      requestTimeoutSec:
        (getPath(config, "server.request_timeout_sec") as number | undefined) ?? CLI_DEFAULTS.server.requestTimeoutSec,
      maxConnections:
        (getPath(config, "server.max_connections") as number | undefined) ?? CLI_DEFAULTS.server.maxConnections,
    },
    encryptionKey,
    options,
    warnings,
    notes,
    secrets: [
      ...(Array.isArray(options.authKeys) ? options.authKeys : []),
      ...(options.geminiApiKeys ?? []),
      admin?.password,
      options.oauthClient?.clientSecret,
      encryptionKey,
    ].filter((s): s is string => typeof s === "string"),
  };
}
