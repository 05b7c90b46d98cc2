// Options of createGeminiProxy(): the camelCase twins of the config file's keys, so the CLI only
// maps a file onto them. Defaults and validation live here.
import type { ModelInfo } from "./gemini/models.ts";
import type { CredentialInput } from "./pool/input.ts";
import type { StorageLike } from "./storage/types.ts";
import type { Endpoints } from "./upstream/endpoints.ts";
import type { OAuthClient } from "./upstream/oauth.ts";

type LogMethod = (...args: unknown[]) => void;

/** A consola-compatible logger (consola itself, or anything with these methods). */
export interface Logger {
  error: LogMethod;
  warn: LogMethod;
  info: LogMethod;
  debug: LogMethod;
  withTag?: (tag: string) => Logger;
}

export type AuthKeysOption = readonly string[] | ((key: string) => boolean | Promise<boolean>) | false;

export interface GeminiProxyOptions {
  /**
   * Client keys accepted on the API surfaces (Bearer, Basic password, `?key=`, `x-goog-api-key`).
   * An array, a checker function, or `false` to disable client auth (only behind your own auth).
   * Without keys every API request is refused.
   */
  authKeys?: AuthKeysOption;
  /** Any unstorage instance (1.x or 2.x). Default: in memory. */
  storage?: StorageLike;
  /** Credentials to import at start: the predecessor's SimpleCredential shape, `oauth_creds.json`, or `{ apiKey }`. */
  credentials?: readonly CredentialInput[];
  /** The predecessor's credentials file (JSON array, single object, or Fernet-encrypted with `encryptionKey`). */
  credentialsFile?: string;
  /** Passphrase of an encrypted `credentialsFile` (the predecessor's `-ek`). */
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
  /** Largest accepted request body, in bytes. Default 32 MiB. */
  maxBodySize?: number;
  /** Attempts (credentials tried) per request. Default 4. */
  maxAttempts?: number;
  /** Onboarding LRO poll interval in ms (Google's CLI uses 5000). Default 2000. */
  onboardingPollMs?: number;
}

export interface ResolvedOptions {
  authKeys: AuthKeysOption | undefined;
  basePath: string;
  requestTimeouts: { connect: number; read: number };
  maxBodySize: number;
  maxAttempts: number;
}

export const DEFAULT_TIMEOUTS = { connect: 60, read: 90 } as const;
export const DEFAULT_MAX_BODY = 32 * 1024 * 1024;

function positive(value: unknown, fallback: number, name: string): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`gemini-cli-proxy: ${name} must be a positive number (got ${JSON.stringify(value)})`);
  }
  return value;
}

export function normalizeBasePath(path: string | undefined): string {
  if (!path) return "";
  const trimmed = `/${path}`.replace(/\/+/g, "/").replace(/\/$/, "");
  return trimmed === "/" ? "" : trimmed;
}

export function resolveOptions(options: GeminiProxyOptions): ResolvedOptions {
  const keys = options.authKeys;
  if (keys !== undefined && keys !== false && typeof keys !== "function" && !Array.isArray(keys)) {
    throw new TypeError("gemini-cli-proxy: authKeys must be an array of strings, a function or false");
  }
  return {
    authKeys: keys,
    basePath: normalizeBasePath(options.basePath),
    requestTimeouts: {
      connect: positive(options.requestTimeouts?.connect, DEFAULT_TIMEOUTS.connect, "requestTimeouts.connect"),
      read: positive(options.requestTimeouts?.read, DEFAULT_TIMEOUTS.read, "requestTimeouts.read"),
    },
    maxBodySize: positive(options.maxBodySize, DEFAULT_MAX_BODY, "maxBodySize"),
    maxAttempts: positive(options.maxAttempts, 4, "maxAttempts"),
  };
}
