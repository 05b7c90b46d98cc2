// Public surface: explicit named exports only.
export { createGeminiProxy } from "./proxy.ts";
export type { GeminiProxy } from "./proxy.ts";
export type { GeminiProxyOptions, Logger, AuthKeysOption, PoolOptions } from "./config/options.ts";
export type {
  CredentialPool,
  PoolApi,
  CredentialView,
  Lease,
  AddOptions,
  AddResult,
  CheckResult,
  CheckerName,
} from "./pool/pool.ts";
export type {
  Credential,
  CredentialState,
  CredentialStatus,
  OAuthCredential,
  ApiKeyCredential,
  ModelCooldown,
  QuotaBucket,
  LastCheck,
} from "./pool/credential.ts";
export type { CredentialInput, SelectionInput } from "./pool/input.ts";
export type {
  PoolEventMap,
  PoolEventName,
  PoolListener,
  CredentialStateEvent,
  CredentialCooldownEvent,
  RequestAttemptEvent,
} from "./pool/events.ts";
export type { SelectionStrategy } from "./pool/selection.ts";
export type { PoolSettings } from "./pool/settings.ts";
export { NoCredentialError, InvalidCredentialError } from "./pool/errors.ts";
export { UpstreamError } from "./gemini/errors.ts";
export type { UpstreamErrorKind } from "./gemini/errors.ts";
export { DEFAULT_MODELS, createModelCatalogue } from "./gemini/models.ts";
export type { ModelInfo, ModelCatalogue, ResolvedModel, ModelVariant } from "./gemini/models.ts";
export { GOOGLE_ENDPOINTS } from "./upstream/endpoints.ts";
export type { Endpoints } from "./upstream/endpoints.ts";
export type { StorageLike } from "./storage/types.ts";
export { generateFernetKey, fernetEncrypt, fernetDecrypt, deriveLegacyFernetKey } from "./legacy/fernet.ts";
export { SecretsError } from "./storage/secrets.ts";
export type { SecretsErrorCode } from "./storage/secrets.ts";
export { LegacyFileError } from "./legacy/credentials-file.ts";
export type { LegacyFileErrorCode, LegacyCredential } from "./legacy/credentials-file.ts";
export type * from "./gemini/types.ts";
export type {
  AdminOptions,
  UsageOptions,
  AnthropicOptions,
  ResponsesOptions,
  EmbeddingsOptions,
} from "./config/options.ts";
export { RequestDeniedError } from "./http/hooks.ts";
export type { HookOptions, OnRequestStart, OnRequestEnd, RequestStartEvent, HookRejection } from "./http/hooks.ts";
export type { RequestRecord, AttemptRecord, TokenUsage, RequestSurface } from "./usage/record.ts";
export type { ProxyUsage } from "./usage/service.ts";
export type {
  ClientKey,
  ClientKeyInput,
  ClientKeyPatch,
  ClientKeyWithUsage,
  ClientKeysApi,
  ClientKeysOptions,
  CreatedClientKey,
  KeyUsageCount,
} from "./keys/types.ts";
export { KeyInputError } from "./keys/validate.ts";
export { KeyNotFoundError } from "./keys/service.ts";
export { ClientRequestError } from "./keys/access.ts";
export type { UsageRow, RecentError } from "./usage/ledger.ts";
export type { PredecessorModelUsage, UsageSeries, SeriesBy, ExportRow } from "./usage/report.ts";
export { createStorageUsageStore } from "./usage/store.ts";
export type { UsageStore, UsageBucket, UsageFields } from "./usage/store.ts";
export { atomicFsDriver } from "./storage/atomic-fs.ts";
export type { AtomicFsOptions } from "./storage/atomic-fs.ts";
export type { StorageStatus } from "./storage/redis-resilience.ts";
