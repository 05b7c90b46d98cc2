// Defaults and validation of createGeminiProxy() options: what the rest of the proxy reads, checked
// once at construction with messages that name the option.
import { resolvePoolSettings, type PoolSettings } from "../pool/settings.ts";
import { DEFAULT_ANTHROPIC_MODEL, DEFAULT_ANTHROPIC_MODEL_MAP } from "../surfaces/anthropic/models.ts";
import { DEFAULT_EMBEDDING_MODEL } from "../surfaces/embeddings/request.ts";
import { DEFAULT_RESPONSE_TTL_SEC } from "../surfaces/responses/store.ts";
import type { AuthKeysOption, GeminiProxyOptions } from "./options.ts";

export interface ResolvedOptions {
  authKeys: AuthKeysOption | undefined;
  basePath: string;
  /** `publicUrl` without a trailing slash. */
  publicUrl?: string;
  requestTimeouts: { connect: number; read: number };
  maxBodySize: number;
  openai: {
    reasoningOutput: "reasoning_content" | "think_tags" | "hidden";
    includeThoughts: boolean;
    keepAliveMs: number;
    streamGraceMs: number;
    signatureTtlSec: number;
  };
  media: { allowPrivate: boolean; maxBytes: number; timeoutMs: number; maxRedirects: number; maxUrls: number };
  maxAttempts: number;
  pool: PoolSettings;
  admin: { username?: string; password?: string; sessionTtlSec: number; publicMetrics: boolean };
  usage: { retentionDays: number; logging: { enabled: boolean; intervalSec: number } };
  anthropic: { modelMap: Record<string, string>; defaultModel: string };
  responses: { ttlSec: number };
  embeddings: { defaultModel: string; modelMap: Record<string, string> };
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

function nonNegative(value: unknown, fallback: number, name: string): number {
  return value === 0 ? 0 : positive(value, fallback, name);
}

function modelMapOf(value: unknown, name: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (
    typeof value !== "object" ||
    Array.isArray(value) ||
    !Object.values(value).every((v) => typeof v === "string" && v.length > 0)
  ) {
    throw new TypeError(`gemini-cli-proxy: ${name} must map model names to Gemini model ids (strings)`);
  }
  return { ...(value as Record<string, string>) };
}

function modelIdOf(value: unknown, fallback: string, name: string): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "string" || !value)
    throw new TypeError(`gemini-cli-proxy: ${name} must be a model id (got ${JSON.stringify(value)})`);
  return value;
}

function reasoningOutputOf(value: unknown): "reasoning_content" | "think_tags" | "hidden" {
  if (value === undefined || value === null) return "reasoning_content";
  if (value === "reasoning_content" || value === "think_tags" || value === "hidden") return value;
  throw new TypeError(
    `gemini-cli-proxy: reasoningOutput must be "reasoning_content", "think_tags" or "hidden" (got ${JSON.stringify(value)})`,
  );
}

export function normalizeBasePath(path: string | undefined): string {
  if (!path) return "";
  const trimmed = `/${path}`.replace(/\/+/g, "/").replace(/\/$/, "");
  return trimmed === "/" ? "" : trimmed;
}

function normalizePublicUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`gemini-cli-proxy: publicUrl must be an absolute http(s) URL (got ${JSON.stringify(value)})`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new TypeError("gemini-cli-proxy: publicUrl must be an http(s) URL");
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

export function resolveOptions(options: GeminiProxyOptions): ResolvedOptions {
  const keys = options.authKeys;
  if (keys !== undefined && keys !== false && typeof keys !== "function" && !Array.isArray(keys)) {
    throw new TypeError("gemini-cli-proxy: authKeys must be an array of strings, a function or false");
  }
  return {
    authKeys: keys,
    basePath: normalizeBasePath(options.basePath),
    publicUrl: normalizePublicUrl(options.publicUrl),
    requestTimeouts: {
      connect: positive(options.requestTimeouts?.connect, DEFAULT_TIMEOUTS.connect, "requestTimeouts.connect"),
      read: positive(options.requestTimeouts?.read, DEFAULT_TIMEOUTS.read, "requestTimeouts.read"),
    },
    maxBodySize: positive(options.maxBodySize, DEFAULT_MAX_BODY, "maxBodySize"),
    openai: {
      reasoningOutput: reasoningOutputOf(options.reasoningOutput),
      includeThoughts: options.includeThoughts === true,
      keepAliveMs: nonNegative(options.keepAliveMs, 15_000, "keepAliveMs"),
      streamGraceMs: nonNegative(options.streamGraceMs, 2000, "streamGraceMs"),
      signatureTtlSec: positive(options.signatureTtlSec, 86_400, "signatureTtlSec"),
    },
    media: {
      allowPrivate: options.allowPrivateMediaUrls === true,
      maxBytes: positive(options.media?.maxBytes, 20 * 1024 * 1024, "media.maxBytes"),
      timeoutMs: positive(options.media?.timeoutMs, 15_000, "media.timeoutMs"),
      maxRedirects: nonNegative(options.media?.maxRedirects, 5, "media.maxRedirects"),
      maxUrls: positive(options.media?.maxUrls, 16, "media.maxUrls"),
    },
    maxAttempts: resolvePoolSettings(options.pool, options.maxAttempts).maxAttempts, // deprecated mirror of pool.maxAttempts
    pool: resolvePoolSettings(options.pool, options.maxAttempts),
    admin: {
      username: options.admin?.username || undefined,
      password: options.admin?.password || undefined,
      sessionTtlSec: positive(options.admin?.sessionTtlSec, 12 * 3600, "admin.sessionTtlSec"),
      publicMetrics: options.admin?.publicMetrics === true,
    },
    usage: {
      retentionDays: positive(options.usage?.retentionDays, 30, "usage.retentionDays"),
      logging: {
        enabled: options.usage?.logging?.enabled !== false,
        intervalSec: positive(options.usage?.logging?.intervalSec, 30, "usage.logging.intervalSec"),
      },
    },
    anthropic: {
      modelMap: { ...DEFAULT_ANTHROPIC_MODEL_MAP, ...modelMapOf(options.anthropic?.modelMap, "anthropic.modelMap") },
      defaultModel: modelIdOf(options.anthropic?.defaultModel, DEFAULT_ANTHROPIC_MODEL, "anthropic.defaultModel"),
    },
    responses: { ttlSec: positive(options.responses?.ttlSec, DEFAULT_RESPONSE_TTL_SEC, "responses.ttlSec") },
    embeddings: {
      defaultModel: modelIdOf(options.embeddings?.defaultModel, DEFAULT_EMBEDDING_MODEL, "embeddings.defaultModel"),
      modelMap: modelMapOf(options.embeddings?.modelMap, "embeddings.modelMap"),
    },
  };
}
