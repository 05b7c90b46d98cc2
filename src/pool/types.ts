// The pool's public and internal interfaces: `PoolApi` is what hosts use (`proxy.pool`),
// `CredentialPool` adds what dispatch and the proxy wiring need.
import type { UpstreamError } from "../gemini/errors.ts";
import type { Credential, QuotaBucket } from "./credential.ts";
import type { CredentialView, Lease } from "./entry.ts";
import type { NoCredentialError } from "./errors.ts";
import type { PoolEventName, PoolListener } from "./events.ts";
import type { CheckResult, CheckerName } from "./health.ts";
import type { CredentialInput } from "./input.ts";

/** Outcome of `pool.add()`: the credential's id, whether it is new, and its view. */
export interface AddResult {
  id: string;
  created: boolean;
  credential: CredentialView;
  /**
   * With `verify`: Google refused this new credential (an invalid API key, a revoked refresh
   * token); nothing was stored. The text names Google's reason, e.g. `API_KEY_INVALID`.
   */
  refused?: string;
}

/** Options of `pool.add()`. */
export interface AddOptions {
  /**
   * Check an API key with Google before keeping it, and keep neither a key nor a new OAuth account
   * that Google refuses (see `AddResult.refused`). Without it, a new API key is kept as unverified
   * (`state.verified: false`) until its first successful request or health check.
   */
  verify?: boolean;
}

/** The logger methods the pool uses. */
export interface PoolLogger {
  warn: (...args: unknown[]) => void;
  info: (...args: unknown[]) => void;
  debug: (...args: unknown[]) => void;
}

/** How a leased call ended. */
export type AttemptOutcome = { ok: true } | { error: UpstreamError } | { aborted: true };

/** Context of a reported attempt (for the `request:attempt` event). */
export interface AttemptInfo {
  attempt?: number;
  durationMs?: number;
  requestId?: string;
  surface?: string;
  /** A failure after the lease was already reported (mid-stream). */
  late?: boolean;
}

/** What hosts use (`proxy.pool`): inspect and manage credentials, subscribe to events. */
export interface PoolApi {
  list(): CredentialView[];
  get(id: string): CredentialView | undefined;
  add(input: CredentialInput, options?: AddOptions): Promise<AddResult>;
  remove(id: string): Promise<boolean>;
  disable(id: string): Promise<boolean>;
  /** Names a credential (`label`; empty clears it), e.g. to tell API keys apart. False for an unknown id. */
  setLabel(id: string, label: string | undefined): Promise<boolean>;
  /** Back into rotation; an account that had a problem Google must clear is re-checked first. */
  enable(id: string): Promise<boolean>;
  /** Run one health check now; `undefined` for an unknown id. */
  check(id: string, options?: { checker?: CheckerName }): Promise<CheckResult | undefined>;
  clearCooldown(id: string, model?: string): Promise<boolean>;
  /** Read `retrieveUserQuota` for an OAuth account now. */
  refreshQuota(id: string): Promise<Record<string, QuotaBucket> | undefined>;
  on<E extends PoolEventName>(event: E, listener: PoolListener<E>): () => void;
  hasKind(kind: Credential["kind"]): boolean;
  /** Credentials that may serve requests (optionally: right now, for `model`). */
  usableCount(model?: string): number;
}

/** The whole pool, as dispatch and the proxy wiring use it. */
export interface CredentialPool extends PoolApi {
  ready(): Promise<void>;
  /** A credential for `model`, token fresh; `exclude`: ids already failed in this request; `prefer`: retry this one. */
  lease(
    model: string,
    exclude?: ReadonlySet<string>,
    kinds?: readonly Credential["kind"][],
    prefer?: string,
  ): Promise<Lease>;
  /** `lease`, without a promise when nothing has to be waited for (the request path: most requests). */
  acquire(
    model: string,
    exclude?: ReadonlySet<string>,
    kinds?: readonly Credential["kind"][],
    prefer?: string,
  ): Lease | Promise<Lease>;
  report(lease: Lease, outcome: AttemptOutcome, info?: AttemptInfo): void;
  /** Refresh after a 401 on `lease` (skipped when its token was already replaced). False when the credential is dead. */
  refresh(id: string, lease?: Lease): Promise<boolean>;
  /** Start the background loops (after ready); `idle` says whether no request is in flight. */
  start(options?: { idle?: () => boolean }): void;
  /** Stop the loops, wait for their running work and pending writes. */
  stop(): Promise<void>;
  /** Why nothing can serve `model` right now (with when the first credential frees up), or undefined if something can. */
  unavailable(model: string, kinds?: readonly Credential["kind"][]): NoCredentialError | undefined;
}
