// The one dispatch path every surface goes through: lease a credential for the model, call the
// transport of its kind, classify failures, let the pool react, and fail over to another
// credential (or wait for one) within the request's attempts and time budget — only before the
// first chunk reaches the client.
import { setTimeout as delay } from "node:timers/promises";
import { isUpstreamError, type UpstreamError } from "../gemini/errors.ts";
import type {
  CountTokensRequest,
  CountTokensResponse,
  GenerateContentRequest,
  GenerateContentResponse,
} from "../gemini/types.ts";
import { NoCredentialError } from "../pool/errors.ts";
import type { AttemptInfo, CredentialPool, Lease } from "../pool/pool.ts";
import { DEFAULT_POOL_SETTINGS } from "../pool/settings.ts";
import { toAbortSignal, type ClientSignal, type Transport } from "../upstream/transport.ts";
import type { AttemptRecord, RequestRecord } from "../usage/record.ts";
import { assertModelAllowed } from "../keys/access.ts";

export interface DispatchOptions {
  signal?: ClientSignal;
  /** Which surface asked (for logs and the usage ledger). */
  surface?: string;
  /** The request's record: attempts and the serving credential are noted on it. */
  record?: RequestRecord;
}

export interface DispatchResult<T> {
  value: T;
  credentialId: string;
  attempts: number;
}

export interface Dispatcher {
  generate(
    model: string,
    request: GenerateContentRequest,
    options?: DispatchOptions,
  ): Promise<DispatchResult<GenerateContentResponse>>;
  stream(
    model: string,
    request: GenerateContentRequest,
    options?: DispatchOptions,
  ): Promise<DispatchResult<AsyncIterable<GenerateContentResponse>>>;
  countTokens(
    model: string,
    request: CountTokensRequest,
    options?: DispatchOptions,
  ): Promise<DispatchResult<CountTokensResponse>>;
  /** Run any call on a pooled Gemini API key (pass-through of other /v1beta methods). */
  withApiKey<T>(
    model: string,
    run: (apiKey: string, signal?: ClientSignal) => Promise<T>,
    options?: DispatchOptions,
  ): Promise<DispatchResult<T>>;
}

export interface DispatcherDeps {
  pool: CredentialPool;
  transports: { oauth: Transport; api_key: Transport };
  /** Attempts per request. Default 4. */
  maxAttempts?: number;
  /** Time a request may spend failing over and waiting, in ms. Default 60 s. */
  budgetMs?: number;
  /** Longest wait for a cooling credential before answering 429. Default 10 s. */
  waitForCooldownMs?: number;
}

/** Errors that are the request's own fault: answered at once, no other credential tried. */
const FINAL_KINDS = new Set(["invalid_request", "not_found"]);
const ALL_KINDS: readonly Lease["kind"][] = ["oauth", "api_key"];
/** Errors whose cooldown already keeps the credential out until it may serve again. */
const COOLDOWN_KINDS = new Set(["rate_limited", "quota_exhausted"]);
/** Wait before retrying Google's capacity error when it gives no hint. */
export const CAPACITY_RETRY_MS = 1000;

/** Resolves after `ms`, or rejects with the client's abort reason as soon as it goes away. */
const sleep = (ms: number, signal?: ClientSignal): Promise<void> =>
  delay(ms, undefined, { signal: signal && toAbortSignal(signal) }).catch((error: unknown) => {
    throw signal?.aborted ? signal.reason : error;
  });

/** Pulls the first chunk so a stream that fails before any byte can still fail over. */
async function primeStream<T>(
  iterable: AsyncIterable<T>,
  onLateError: (error: unknown) => void,
): Promise<AsyncIterable<T>> {
  const iterator = iterable[Symbol.asyncIterator]();
  let pending: IteratorResult<T> | undefined = await iterator.next();
  const late = (error: unknown): never => {
    onLateError(error);
    throw error;
  };
  // Not an async function: each later chunk costs the upstream iterator's own promise, no second one.
  const next = (): Promise<IteratorResult<T>> => {
    if (pending) {
      const out = pending;
      pending = undefined;
      return Promise.resolve(out);
    }
    return iterator.next().catch(late);
  };
  return {
    [Symbol.asyncIterator]: () => ({
      next,
      return: async (value?: unknown) => {
        await iterator.return?.(value);
        return { done: true, value: undefined };
      },
    }),
  };
}

/**
 * A failure after the first chunk is reported in-band by the surface; the pool still learns of it.
 * Made out here so the callback, which lives as long as the stream, does not keep the request (the
 * whole conversation) in its scope.
 */
function lateErrorReport(
  pool: CredentialPool,
  lease: Lease,
  info: AttemptInfo,
  signal: ClientSignal | undefined,
): (error: unknown) => void {
  return (error) => {
    if (!signal?.aborted && isUpstreamError(error))
      pool.report(lease, { error }, Object.assign({}, info, { late: true }));
  };
}

/** Everything is cooling: answer with when the first credential frees up, and what Google said last. */
function cooling(error: NoCredentialError, last: UpstreamError | undefined): Error {
  if (error.retryAfterMs === undefined) return last ?? error;
  if (!last) return error;
  return new NoCredentialError(
    error.model,
    `${error.message} (last error from Google: ${last.message})`,
    error.retryAfterMs,
    { cause: last },
  );
}

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const { pool } = deps;
  const maxAttempts = deps.maxAttempts ?? DEFAULT_POOL_SETTINGS.maxAttempts;
  const budgetMs = deps.budgetMs ?? DEFAULT_POOL_SETTINGS.budgetMs;
  const waitForCooldownMs = deps.waitForCooldownMs ?? DEFAULT_POOL_SETTINGS.waitForCooldownMs;

  async function run<T>(
    model: string,
    options: DispatchOptions,
    call: (lease: Lease, info: AttemptInfo) => Promise<T>,
    kinds?: Lease["kind"][],
  ): Promise<DispatchResult<T>> {
    const { signal, record } = options;
    assertModelAllowed(record, model); // a managed key's model list, before any credential is touched
    let scope = kinds;
    // A 404 from one kind of credential: the other kind was tried next; its failure to serve returns this.
    let notFound: UpstreamError | undefined;
    const deadline = Date.now() + budgetMs;
    // Made at the first failure: most requests are served by their first credential.
    let tried: Set<string> | undefined; // broken for this request: never looped on
    let refreshed: Set<string> | undefined;
    let lastError: UpstreamError | undefined;
    let attempts = 0;
    let waits = 0;
    let prefer: string | undefined;
    while (attempts < maxAttempts) {
      signal?.throwIfAborted();
      if (lastError && Date.now() >= deadline) break;
      let lease: Lease;
      try {
        const leased = pool.acquire(model, tried, scope, prefer);
        lease = leased instanceof Promise ? await leased : leased; // no await when one was free
      } catch (error) {
        if (!(error instanceof NoCredentialError)) throw error;
        if (notFound) throw notFound;
        const wait = error.retryAfterMs;
        // Every credential is cooling: wait for the soonest if the budget allows, else 429.
        if (
          wait !== undefined &&
          wait <= Math.min(waitForCooldownMs, deadline - Date.now()) &&
          waits++ < maxAttempts * 4
        ) {
          await sleep(wait, signal);
          continue;
        }
        throw cooling(error, lastError);
      }
      prefer = undefined;
      attempts++;
      const attempt: AttemptRecord = { credentialId: lease.id, at: Date.now() };
      record?.attempts.push(attempt);
      if (record) record.credentialId = lease.id;
      const info: AttemptInfo = { attempt: attempts, requestId: record?.id, surface: options.surface };
      try {
        const value = await call(lease, info);
        // Object.assign, not `{ ...info, durationMs }`: V8 (Node 20) builds a literal that adds
        // properties after a spread on a slow path, about 1 µs.
        pool.report(lease, { ok: true }, Object.assign({}, info, { durationMs: Date.now() - attempt.at }));
        return { value, credentialId: lease.id, attempts };
      } catch (error) {
        const done = Object.assign({}, info, { durationMs: Date.now() - attempt.at });
        // A client that went away is nobody's fault: no penalty, no retry.
        if (signal?.aborted || !isUpstreamError(error)) {
          pool.report(lease, { aborted: true }, done);
          throw signal?.aborted ? (signal.reason ?? error) : error;
        }
        attempt.status = error.status || undefined;
        attempt.errorKind = error.kind;
        pool.report(lease, { error }, done);
        lastError = error;
        if (error.kind === "not_found" && !notFound) {
          // Code Assist and the Gemini API do not serve the same models: the other kind may know it.
          const others = (scope ?? ALL_KINDS).filter((k) => k !== lease.kind && pool.hasKind(k));
          if (others.length > 0) {
            notFound = error;
            scope = others;
            continue;
          }
        }
        if (FINAL_KINDS.has(error.kind)) throw error;
        if (error.kind === "auth_expired" && !refreshed?.has(lease.id)) {
          (refreshed ??= new Set()).add(lease.id);
          if (await pool.refresh(lease.id, lease)) {
            prefer = lease.id; // same credential, new token
            continue;
          }
        }
        if (error.kind === "capacity") {
          // Google's capacity, not the account's: retry after the hint, maybe on the same credential.
          const delay = error.retryAfterMs ?? CAPACITY_RETRY_MS;
          if (attempts >= maxAttempts || Date.now() + delay > deadline) throw error;
          await sleep(delay, signal);
          continue;
        }
        if (!COOLDOWN_KINDS.has(error.kind)) (tried ??= new Set()).add(lease.id);
      }
    }
    if (lastError && COOLDOWN_KINDS.has(lastError.kind)) {
      const unavailable = pool.unavailable(model, scope);
      if (unavailable) throw cooling(unavailable, lastError);
    }
    throw lastError ?? new NoCredentialError(model, `No attempt was possible for ${model}`);
  }

  const transportOf = (lease: Lease) => deps.transports[lease.kind];

  return {
    generate: (model, request, options = {}) =>
      run(model, options, (lease) =>
        transportOf(lease).generate(lease.auth, { model, request, signal: options.signal }),
      ),
    stream: (model, request, options = {}) =>
      run(model, options, async (lease, info) => {
        const chunks = await transportOf(lease).stream(lease.auth, { model, request, signal: options.signal });
        return primeStream(chunks, lateErrorReport(pool, lease, info, options.signal));
      }),
    countTokens: (model, request, options = {}) =>
      run(model, options, (lease) =>
        transportOf(lease).countTokens(lease.auth, { model, request, signal: options.signal }),
      ),
    withApiKey: (model, call, options = {}) =>
      run(model, options, (lease) => call((lease.auth as { apiKey: string }).apiKey, options.signal), ["api_key"]),
  };
}
