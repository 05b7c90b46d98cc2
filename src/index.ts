// Public surface: explicit named exports only.
export { createGeminiProxy } from "./proxy.ts";
export type { GeminiProxy } from "./proxy.ts";
export type { GeminiProxyOptions, Logger, AuthKeysOption } from "./options.ts";
export type { CredentialPool, CredentialView, Lease, AddResult } from "./pool/pool.ts";
export type { Credential, CredentialState, CredentialStatus, OAuthCredential, ApiKeyCredential, ModelCooldown } from "./pool/credential.ts";
export type { CredentialInput } from "./pool/input.ts";
export { NoCredentialError, InvalidCredentialError } from "./pool/errors.ts";
export { UpstreamError } from "./gemini/errors.ts";
export type { UpstreamErrorKind } from "./gemini/errors.ts";
export { DEFAULT_MODELS, createModelCatalogue } from "./gemini/models.ts";
export type { ModelInfo, ModelCatalogue, ResolvedModel, ModelVariant } from "./gemini/models.ts";
export { GOOGLE_ENDPOINTS } from "./upstream/endpoints.ts";
export type { Endpoints } from "./upstream/endpoints.ts";
export type { StorageLike } from "./storage/types.ts";
export { generateFernetKey, fernetEncrypt, fernetDecrypt, deriveLegacyFernetKey } from "./storage/fernet.ts";
export type * from "./gemini/types.ts";
