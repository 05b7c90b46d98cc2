// Managed client keys: one per person or service, created and revoked at run time, each with its
// own model list, rate limits and token budgets. The plaintext key is shown once and never stored.

/** A managed client key as the admin API, the library and the CLI show it (never the key or its hash). */
export interface ClientKey {
  id: string;
  name: string;
  /** Glob patterns over model ids, variants included (`gemini-2.5-*`, `*-flash*`); empty: every model. */
  models: string[];
  /** Requests per minute (null: unlimited). */
  rpm: number | null;
  /** Tokens per minute, counted after each response (null: unlimited). */
  tpm: number | null;
  /** Tokens per UTC day (null: unlimited). */
  daily_tokens: number | null;
  /** Tokens per UTC month (null: unlimited). */
  monthly_tokens: number | null;
  /** ISO time after which the key is refused (null: never). */
  expires_at: string | null;
  disabled: boolean;
  created_at: string;
  last_used_at: string | null;
  metadata: Record<string, unknown>;
}

/** Requests and tokens of one key in a period. */
export interface KeyUsageCount {
  requests: number;
  tokens: number;
}

/** A key with its usage today and this month (UTC). */
export interface ClientKeyWithUsage extends ClientKey {
  usage: { today: KeyUsageCount; month: KeyUsageCount };
}

/** What `create` takes: a name, the rest optional. */
export interface ClientKeyInput {
  name: string;
  models?: string[];
  rpm?: number | null;
  tpm?: number | null;
  daily_tokens?: number | null;
  monthly_tokens?: number | null;
  expires_at?: string | null;
  disabled?: boolean;
  metadata?: Record<string, unknown>;
}

/** What `update` takes: any field of the input; null clears a limit. */
export type ClientKeyPatch = Partial<ClientKeyInput>;

/** `create` answers with the key record and the plaintext key, shown this once. */
export interface CreatedClientKey {
  key: string;
  client_key: ClientKey;
}

/** The managed keys API (`proxy.keys`). */
export interface ClientKeysApi {
  create(input: ClientKeyInput): Promise<CreatedClientKey>;
  list(): Promise<ClientKeyWithUsage[]>;
  get(id: string): Promise<ClientKeyWithUsage | undefined>;
  update(id: string, patch: ClientKeyPatch): Promise<ClientKey>;
  /** Deletes the key for good; false when there was none. */
  revoke(id: string): Promise<boolean>;
}

/** The `clientKeys` option: how fast instances sharing a storage see each other's counts and changes. */
export interface ClientKeysOptions {
  /** How often counters are merged with the shared storage, ms. Default 250. */
  syncMs?: number;
  /** How often the key list's version is polled (missed change notices), ms. Default 2000. */
  refreshMs?: number;
}

/** The stored record: the key's fields plus the hash it is found by. */
export interface StoredClientKey extends Omit<ClientKey, "last_used_at"> {
  hash: string;
}
