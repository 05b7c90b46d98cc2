// What routes get: services already wired by createGeminiProxy().
import type { Dispatcher } from "../dispatch/dispatcher.ts";
import type { ModelCatalogue } from "../gemini/models.ts";
import type { Logger } from "../types.ts";
import type { ResolvedOptions } from "../config/resolve.ts";
import type { CredentialPool } from "../pool/pool.ts";
import type { GeminiApiClient } from "../upstream/gemini-api.ts";
import type { StorageLike } from "../storage/types.ts";
import type { StorageStatus } from "../storage/redis-resilience.ts";
import type { OAuthContext } from "../upstream/oauth.ts";
import type { CredentialStore } from "../pool/store.ts";
import type { SignatureStore } from "../surfaces/_signature-store.ts";
import type { MediaFetcher } from "../surfaces/_media-fetch.ts";
import type { RequestRecord } from "../usage/record.ts";
import type { ProxyUsage } from "../usage/service.ts";
import type { HookRunner } from "./hooks.ts";
import type { KeyChecker } from "./client-auth.ts";
import type { ClientKeyService } from "../keys/service.ts";

export interface AppContext {
  options: ResolvedOptions;
  checkKey: KeyChecker;
  /** Managed client keys (lookup, limits, admin API). */
  keys: ClientKeyService;
  /** Resolves once storage is loaded and start-up credentials are imported. */
  ready: () => Promise<void>;
  dispatcher: Dispatcher;
  catalogue: ModelCatalogue;
  pool: CredentialPool;
  geminiApi: GeminiApiClient;
  logger: Logger;
  /** Requests in flight (the idle health check reads it). */
  inflight: { count: number };
  storage: StorageLike;
  /** Shared-storage health for /health (redis degraded mode). */
  storageStatus?: () => StorageStatus;
  /** Start-up phase and whether the storage was ever read, for /readyz. */
  readiness?: () => { phase: "starting" | "started" | "failed"; storageLoaded: boolean };
  /** Google OAuth (the configured client) for web logins and revocation. */
  oauth: OAuthContext;
  /** The pool's credential store (opens sealed secrets), e.g. to revoke a token before removal. */
  credentialStore: CredentialStore;
  /** Thought signatures by OpenAI tool-call id (OpenAI surface). */
  signatures: SignatureStore;
  /** Fetches http(s) image/file URLs with the SSRF guard (OpenAI surface). */
  media: MediaFetcher;
  /** Finish a request record exactly once (ledger, hooks, request log); await the result before the response's end (usage journal). */
  finish: (record: RequestRecord, status?: number) => Promise<void> | undefined;
  /** Usage ledger and Prometheus counters. */
  usage: ProxyUsage;
  /** Host hooks (`onRequestStart` runs in the app middleware, `onRequestEnd` in finish). */
  hooks: HookRunner;
}
