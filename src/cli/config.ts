// The config file (the predecessor's snake_case keys plus ours) mapped onto createGeminiProxy()
// options. A config file is only read when -c names it, as in the predecessor.
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute, resolve } from "node:path";
import type { GeminiProxyOptions } from "../options.ts";

export interface FileConfig {
  server?: { host?: string; port?: number };
  auth_keys?: string[];
  credentials_file?: string;
  project_id_map?: Record<string, string>;
  log_level?: string;
  request_timeouts?: { connect?: number; read?: number };
  endpoints?: Partial<Record<"code_assist" | "gemini_api" | "oauth_authorize" | "oauth_token" | "userinfo" | "tokeninfo" | "revoke", string>>;
  gemini_api_keys?: string[];
  storage?: { driver?: "fs" | "memory" | "redis"; base?: string; url?: string };
  http_proxy?: string | null;
  [key: string]: unknown;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export async function readConfigFile(path: string): Promise<FileConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new ConfigError(`config file ${path} must contain a JSON object`);
  return value as FileConfig;
}

export function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? resolve(homedir(), path.slice(2)) : path;
}

const ENDPOINT_KEYS = {
  code_assist: "codeAssist",
  gemini_api: "geminiApi",
  oauth_authorize: "oauthAuthorize",
  oauth_token: "oauthToken",
  userinfo: "userinfo",
  tokeninfo: "tokeninfo",
  revoke: "revoke",
} as const;

/** File keys → library options (without storage and logger, which the CLI builds). */
export function toProxyOptions(config: FileConfig, cwd: string): GeminiProxyOptions {
  const endpoints: Record<string, string> = {};
  for (const [fileKey, optionKey] of Object.entries(ENDPOINT_KEYS)) {
    const value = config.endpoints?.[fileKey as keyof typeof ENDPOINT_KEYS];
    if (value) endpoints[optionKey] = value;
  }
  const file = config.credentials_file;
  return {
    authKeys: config.auth_keys,
    credentialsFile: file ? (isAbsolute(expandHome(file)) ? expandHome(file) : resolve(cwd, file)) : undefined,
    projectIdMap: config.project_id_map,
    requestTimeouts: config.request_timeouts,
    endpoints,
    geminiApiKeys: config.gemini_api_keys,
    httpProxy: config.http_proxy === null ? null : config.http_proxy || undefined,
  };
}
