// What Google's `models.list` offers the pooled API keys, for the model lists of the OpenAI and native
// surfaces: fetched with one key, cached, and never a reason to fail a list (failures are logged at debug).
import { isUpstreamError } from "../gemini/errors.ts";
import type { AppContext } from "../http/context.ts";
import type { GoogleModelEntry } from "../upstream/gemini-api.ts";

/** A fresh list is kept this long. */
export const GOOGLE_MODELS_TTL_MS = 10 * 60_000;
/** After a failure, Google is not asked again for this long. */
const FAILURE_TTL_MS = 60_000;
/** Pool key of the list call: a cooldown on it never touches a real model. */
const LIST_MODEL = "models.list";

interface Cache {
  until: number;
  models: GoogleModelEntry[];
  pending?: Promise<GoogleModelEntry[]>;
}

const caches = new WeakMap<AppContext, Cache>();

async function fetchList(ctx: AppContext): Promise<{ models: GoogleModelEntry[]; ok: boolean }> {
  let lease;
  try {
    lease = await ctx.pool.lease(LIST_MODEL, undefined, ["api_key"]);
  } catch (error) {
    ctx.logger.debug(`models list: no usable API key (${(error as Error).message})`);
    return { models: [], ok: false };
  }
  const started = Date.now();
  try {
    const models = await ctx.geminiApi.listModels((lease.auth as { apiKey: string }).apiKey);
    ctx.pool.report(lease, { ok: true }, { surface: "models", durationMs: Date.now() - started });
    return { models, ok: true };
  } catch (error) {
    // The pool learns of a dead key as from any call; the list itself just goes without Google's part.
    ctx.pool.report(lease, isUpstreamError(error) ? { error } : { aborted: true }, { surface: "models" });
    ctx.logger.debug(`models list from Google failed: ${(error as Error).message}`);
    return { models: [], ok: false };
  }
}

/** Google's models for the pooled API keys ([] without keys, in strict mode, or when Google fails). */
export async function googleModels(ctx: AppContext): Promise<GoogleModelEntry[]> {
  if (ctx.catalogue.strict || !ctx.pool.hasKind("api_key")) return [];
  const now = Date.now();
  let cache = caches.get(ctx);
  if (cache && cache.until > now) return cache.models;
  if (cache?.pending) return cache.pending;
  cache ??= { until: 0, models: [] };
  caches.set(ctx, cache);
  const entry = cache;
  entry.pending = fetchList(ctx)
    .then(({ models, ok }) => {
      entry.models = ok ? models : entry.models;
      entry.until = Date.now() + (ok ? GOOGLE_MODELS_TTL_MS : FAILURE_TTL_MS);
      return entry.models;
    })
    .finally(() => {
      entry.pending = undefined;
    });
  return entry.pending;
}

/** Bare id of a `models/…` name. */
export const idOfGoogleModel = (entry: GoogleModelEntry): string => entry.name.replace(/^models\//, "");

/** Chat-capable entries the proxy would route (`gemini-*` / `gemma-*` with generateContent). */
export function chatModelsOf(ctx: AppContext, entries: readonly GoogleModelEntry[]): GoogleModelEntry[] {
  return entries.filter((e) => {
    const methods = Array.isArray(e.supportedGenerationMethods) ? e.supportedGenerationMethods : [];
    return methods.includes("generateContent") && ctx.catalogue.resolve(idOfGoogleModel(e)) !== undefined;
  });
}
