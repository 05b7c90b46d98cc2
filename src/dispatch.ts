// The one dispatch path every surface goes through: lease a credential for the model, call the
// transport of its kind, classify failures, let the pool react, and fail over to another
// credential — only before the first chunk reaches the client.
import { isUpstreamError, type UpstreamError } from "./gemini/errors.ts";
import type { CountTokensRequest, CountTokensResponse, GenerateContentRequest, GenerateContentResponse } from "./gemini/types.ts";
import type { CredentialPool, Lease } from "./pool/pool.ts";
import type { Transport } from "./upstream/transport.ts";
import type { RequestRecord } from "./usage/record.ts";

export interface DispatchOptions {
  signal?: AbortSignal;
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
  generate(model: string, request: GenerateContentRequest, options?: DispatchOptions): Promise<DispatchResult<GenerateContentResponse>>;
  stream(model: string, request: GenerateContentRequest, options?: DispatchOptions): Promise<DispatchResult<AsyncIterable<GenerateContentResponse>>>;
  countTokens(model: string, request: CountTokensRequest, options?: DispatchOptions): Promise<DispatchResult<CountTokensResponse>>;
  /** Run any call on a pooled Gemini API key (pass-through of other /v1beta methods). */
  withApiKey<T>(model: string, run: (apiKey: string, signal?: AbortSignal) => Promise<T>, options?: DispatchOptions): Promise<DispatchResult<T>>;
}

export interface DispatcherDeps {
  pool: CredentialPool;
  transports: { oauth: Transport; api_key: Transport };
  maxAttempts?: number;
}

/** Errors that are the request's own fault: answered at once, no other credential tried. */
const FINAL_KINDS = new Set(["invalid_request", "not_found"]);

/** Pulls the first chunk so a stream that fails before any byte can still fail over. */
async function primeStream(iterable: AsyncIterable<GenerateContentResponse>): Promise<AsyncIterable<GenerateContentResponse>> {
  const iterator = iterable[Symbol.asyncIterator]();
  const first = await iterator.next();
  return {
    [Symbol.asyncIterator]() {
      let pending: IteratorResult<GenerateContentResponse> | undefined = first;
      return {
        next: () => {
          if (pending) {
            const out = pending;
            pending = undefined;
            return Promise.resolve(out);
          }
          return iterator.next();
        },
        return: async (value?: unknown) => {
          await iterator.return?.(value);
          return { done: true, value: undefined };
        },
      };
    },
  };
}

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const { pool } = deps;

  async function run<T>(model: string, options: DispatchOptions, call: (lease: Lease) => Promise<T>, kinds?: Lease["kind"][]): Promise<DispatchResult<T>> {
    const tried = new Set<string>();
    const refreshed = new Set<string>();
    const maxAttempts = deps.maxAttempts ?? 4;
    let lastError: UpstreamError | undefined;
    let attempts = 0;
    while (attempts < maxAttempts) {
      options.signal?.throwIfAborted();
      let lease: Lease;
      try {
        lease = await pool.lease(model, tried, kinds);
      } catch (error) {
        throw lastError ?? error;
      }
      attempts++;
      const attempt = { credentialId: lease.id, at: Date.now() } as NonNullable<DispatchOptions["record"]>["attempts"][number];
      options.record?.attempts.push(attempt);
      if (options.record) options.record.credentialId = lease.id;
      try {
        const value = await call(lease);
        pool.report(lease, { ok: true });
        return { value, credentialId: lease.id, attempts };
      } catch (error) {
        // A client that went away is nobody's fault: no penalty, no retry.
        if (options.signal?.aborted) throw options.signal.reason ?? error;
        if (!isUpstreamError(error)) throw error;
        attempt.status = error.status || undefined;
        attempt.errorKind = error.kind;
        pool.report(lease, { error });
        lastError = error;
        if (FINAL_KINDS.has(error.kind)) throw error;
        if (error.kind === "auth_expired" && !refreshed.has(lease.id)) {
          refreshed.add(lease.id);
          if (await pool.refresh(lease.id)) continue;
        }
        tried.add(lease.id);
      }
    }
    throw lastError!;
  }

  const transportOf = (lease: Lease) => deps.transports[lease.kind];

  return {
    generate: (model, request, options = {}) =>
      run(model, options, (lease) => transportOf(lease).generate(lease.auth, { model, request, signal: options.signal })),
    stream: (model, request, options = {}) =>
      run(model, options, async (lease) => primeStream(await transportOf(lease).stream(lease.auth, { model, request, signal: options.signal }))),
    countTokens: (model, request, options = {}) =>
      run(model, options, (lease) => transportOf(lease).countTokens(lease.auth, { model, request, signal: options.signal })),
    withApiKey: (model, call, options = {}) =>
      run(model, options, (lease) => call((lease.auth as { apiKey: string }).apiKey, options.signal), ["api_key"]),
  };
}
