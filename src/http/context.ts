// What routes get: services already wired by createGeminiProxy().
import type { Dispatcher } from "../dispatch.ts";
import type { ModelCatalogue } from "../gemini/models.ts";
import type { Logger, ResolvedOptions } from "../options.ts";
import type { CredentialPool } from "../pool/pool.ts";
import type { GeminiApiClient } from "../upstream/gemini-api.ts";
import type { StorageLike } from "../storage/types.ts";
import type { RequestRecord } from "../usage/record.ts";
import type { KeyChecker } from "./client-auth.ts";

export interface AppContext {
  options: ResolvedOptions;
  checkKey: KeyChecker;
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
  /** Finish a request record exactly once (ledger, hooks, request log). */
  finish: (record: RequestRecord, status?: number) => void;
}
