// Client keys at the door of every API surface: a managed key (found by hash in memory) must be
// enabled, unexpired, allowed the model named in the path, and within its rate limits and budgets;
// any other key goes through the static check (auth_keys / the key-check function). Refusals come
// in the surface's own error shape. Models named in the body are checked in dispatch (keys/access.ts).
import { ClientRequestError, grantOf, modelRefusal, type KeyGrant } from "../keys/access.ts";
import type { ClientKeyService } from "../keys/service.ts";
import type { CachedKey } from "../keys/store.ts";
import type { RequestRecord } from "../usage/record.ts";
import type { AppContext } from "./context.ts";
import { keyLabel } from "./request-record.ts";
import { surfaceError, type Surface } from "./surface-errors.ts";

export interface Admission {
  /** The refusal to send, when the request may not go on. */
  response?: Response;
  /** The ledger's label for the key: a managed key's name, else a hash label. */
  label?: string;
  grant?: KeyGrant;
}

const MISSING =
  "Missing API key: send it as 'Authorization: Bearer KEY', 'x-api-key: KEY', 'x-goog-api-key: KEY' or '?key=KEY'";

/** The model a path names: /v1beta/models/{id}[:action] (native) or /v1/models/{id} (OpenAI). */
export function modelInPath(surface: Surface, path: string): string | undefined {
  const match =
    surface === "gemini"
      ? /^\/v1beta\/models\/([^:]+)(?::[^/]*)?$/.exec(path)
      : surface === "openai"
        ? /^(?:\/v1)?\/models\/(.+)$/.exec(path)
        : null;
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]).replace(/^models\//, "");
  } catch {
    return match[1];
  }
}

const retryHeaders = (ms: number): Record<string, string> => ({
  "retry-after": String(Math.max(1, Math.ceil(ms / 1000))),
  "retry-after-ms": String(Math.max(0, Math.ceil(ms))),
});

function refuse(surface: Surface, error: ClientRequestError): Admission {
  return { response: surfaceError(surface, error.status, error.message, error.code, error.headers) };
}

/**
 * The door's verdict. Synchronous when nothing has to be waited for (keys loaded, a static key or a
 * managed key whose counters are warm): that is every request after the first, and a promise per
 * request costs more than the check itself.
 */
export function admitClient(
  ctx: AppContext,
  surface: Surface,
  key: string | undefined,
  path: string,
): Admission | Promise<Admission> {
  if (key && !ctx.keys.loaded)
    return ctx.keys
      .ready()
      .catch((error: unknown) => ctx.logger.warn(`client keys could not be loaded: ${(error as Error).message}`))
      .then(() => admitLoaded(ctx, surface, key, path));
  return admitLoaded(ctx, surface, key, path);
}

function staticAdmission(surface: Surface, key: string | undefined, accepted: boolean): Admission {
  if (accepted) return { label: keyLabel(key) };
  return { response: surfaceError(surface, 401, key ? "Invalid API key" : MISSING, "invalid_api_key") };
}

function admitLoaded(
  ctx: AppContext,
  surface: Surface,
  key: string | undefined,
  path: string,
): Admission | Promise<Admission> {
  const keys = ctx.keys;
  const found = key && keys.any ? keys.lookup(key) : undefined;
  if (!found) {
    const accepted = ctx.checkKey(key);
    return typeof accepted === "boolean"
      ? staticAdmission(surface, key, accepted)
      : accepted.then((ok) => staticAdmission(surface, key, ok));
  }
  const { record } = found;
  const now = Date.now();
  if (record.disabled) return refuse(surface, new ClientRequestError(401, "This API key is disabled.", "key_disabled"));
  if (found.expiresAt !== undefined && now >= found.expiresAt)
    return refuse(surface, new ClientRequestError(401, `This API key expired at ${record.expires_at}.`, "key_expired"));
  const restricted = record.models.length > 0;
  const model = restricted ? modelInPath(surface, path) : undefined;
  if (model !== undefined && !found.allows(model)) return refuse(surface, modelRefusal(model));
  // First use on this instance (or after two idle minutes): start from every instance's totals.
  const warming = keys.counters.warm(record.id);
  if (warming) return warming.then(() => admitCounted(ctx, surface, found, restricted, now));
  return admitCounted(ctx, surface, found, restricted, now);
}

function admitCounted(
  ctx: AppContext,
  surface: Surface,
  found: CachedKey,
  restricted: boolean,
  now: number,
): Admission {
  const { record } = found;
  const limited = ctx.keys.counters.admit(record, now);
  if (limited)
    return refuse(
      surface,
      new ClientRequestError(429, limited.message, limited.code, retryHeaders(limited.retryAfterMs)),
    );
  ctx.keys.touch(record.id, now);
  return { label: record.name, grant: { id: record.id, name: record.name, allows: found.allows, restricted } };
}

const LIST_PATHS = new Set(["/v1/models", "/v1/models/", "/models", "/models/", "/v1beta/models", "/v1beta/models/"]);

/** A model list answered to a restricted key holds only the models it may use. */
export async function filterModelList(
  response: Response,
  grant: KeyGrant | undefined,
  method: string,
  path: string,
): Promise<Response> {
  if (!grant?.restricted || method !== "GET" || !LIST_PATHS.has(path) || response.status !== 200) return response;
  const body = (await response.json()) as { data?: { id?: string }[]; models?: { name?: string }[] };
  if (Array.isArray(body.data)) body.data = body.data.filter((m) => grant.allows(String(m.id)));
  if (Array.isArray(body.models))
    body.models = body.models.filter((m) => grant.allows(String(m.name).replace(/^models\//, "")));
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(body), { status: 200, headers });
}

/** Counts a finished request's tokens against its managed key (tpm and budgets). */
export function countKeyTokens(keys: ClientKeyService, record: RequestRecord): void {
  const grant = grantOf(record);
  if (grant && record.usage?.total) keys.counters.addTokens(grant.id, record.usage.total);
}
