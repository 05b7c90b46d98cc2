// Defaults and validation of createGeminiProxy() options: what the rest of the proxy reads, checked
// once at construction (against the schema, see validate.ts) with messages that name the option.
import * as v from "valibot";
import type { PoolSettings } from "../pool/settings.ts";
import { anthropicSchema } from "./schema/groups.ts";
import type { AuthKeysOption, GeminiProxyOptions } from "./options.ts";
import { parseOptions } from "./validate.ts";

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

const DEFAULT_MODEL_MAP = v.getDefault(anthropicSchema.entries.modelMap);

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
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

export function resolveOptions(options: GeminiProxyOptions): ResolvedOptions {
  const o = parseOptions(options);
  // The deprecated top-level `maxAttempts` counts only when `pool.maxAttempts` is not given.
  const maxAttempts = options.pool?.maxAttempts ?? options.maxAttempts ?? o.pool.maxAttempts;
  return {
    authKeys: o.authKeys,
    basePath: normalizeBasePath(o.basePath),
    publicUrl: normalizePublicUrl(o.publicUrl),
    requestTimeouts: o.requestTimeouts,
    maxBodySize: o.maxBodySize,
    openai: {
      reasoningOutput: o.reasoningOutput,
      includeThoughts: o.includeThoughts,
      keepAliveMs: o.keepAliveMs,
      streamGraceMs: o.streamGraceMs,
      signatureTtlSec: o.signatureTtlSec,
    },
    media: { allowPrivate: o.allowPrivateMediaUrls, ...o.media },
    maxAttempts,
    pool: { ...o.pool, maxAttempts },
    admin: { ...o.admin, username: o.admin.username || undefined, password: o.admin.password || undefined },
    usage: { retentionDays: o.usage.retentionDays, logging: o.usage.logging },
    // A given map is merged over the default one, not instead of it.
    anthropic: { ...o.anthropic, modelMap: { ...DEFAULT_MODEL_MAP, ...o.anthropic.modelMap } },
    responses: o.responses,
    embeddings: o.embeddings,
  };
}
