// Persistence of credential records and their state through any unstorage-compatible instance.
// The pool owns the live state; this only reads and writes it. With an encryption key, the secret
// fields (tokens, API keys) are sealed before the driver sees them.
import type { Credential, CredentialState } from "./credential.ts";
import { createSecretBox, isSealed, openSecret, type SecretBox } from "../storage/secrets.ts";
import type { StorageLike } from "../storage/types.ts";
import { mapBounded } from "../storage/map-bounded.ts";

export interface CredentialStore {
  list(): Promise<Credential[]>;
  get(id: string): Promise<Credential | null>;
  put(credential: Credential): Promise<void>;
  remove(id: string): Promise<void>;
  getState(id: string): Promise<CredentialState | null>;
  putState(id: string, state: CredentialState): Promise<void>;
}

export interface CredentialStoreOptions {
  /** Passphrase: `accessToken`, `refreshToken` and `apiKey` are stored as `enc:v1:<Fernet token>`. */
  encryptionKey?: string;
  /** With a key, re-write records still stored in plain text when `list()` reads them. Default true. */
  sealPlaintext?: boolean;
}

const SECRET_FIELDS = ["accessToken", "refreshToken", "apiKey"] as const;
type SecretField = (typeof SECRET_FIELDS)[number];

/** The secret fields of either kind of credential, by name. */
type Secrets = Partial<Record<SecretField, unknown>>;

function mapSecrets(credential: Credential, fn: (value: string, field: SecretField) => string): Credential {
  const out = { ...credential };
  const secrets: Secrets = out;
  for (const field of SECRET_FIELDS) {
    const value = secrets[field];
    if (typeof value === "string" && value !== "") secrets[field] = fn(value, field);
  }
  return out;
}

function hasPlainSecret(credential: Credential): boolean {
  const secrets: Secrets = credential;
  return SECRET_FIELDS.some((field) => {
    const value = secrets[field];
    return typeof value === "string" && value !== "" && !isSealed(value);
  });
}

export function createCredentialStore(storage: StorageLike, options: CredentialStoreOptions = {}): CredentialStore {
  const credKey = (id: string) => `credentials:${id}`;
  const stateKey = (id: string) => `state:${id}`;
  const box: SecretBox | undefined = options.encryptionKey ? createSecretBox(options.encryptionKey) : undefined;
  const seal = (credential: Credential): Credential => (box ? mapSecrets(credential, (v) => box.seal(v)) : credential);
  const open = (credential: Credential): Credential =>
    mapSecrets(credential, (v, field) => openSecret(v, box, `the ${field} of credential ${credential.id}`));

  async function readAll(): Promise<Credential[]> {
    const values = await mapBounded(await storage.getKeys("credentials"), (key) => storage.getItem<Credential>(key));
    return values.filter((value): value is Credential => !!value && typeof value === "object" && "id" in value);
  }

  return {
    async list() {
      const stored = await readAll();
      // Open everything first: a missing or wrong key fails before anything is written.
      const opened = stored.map(open);
      if (box && options.sealPlaintext !== false) {
        for (const [index, record] of stored.entries()) {
          if (hasPlainSecret(record)) await storage.setItem(credKey(record.id), seal(opened[index]!));
        }
      }
      return opened.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    },
    async get(id) {
      const value = await storage.getItem<Credential>(credKey(id));
      return value && typeof value === "object" ? open(value) : null;
    },
    put: (credential) => storage.setItem(credKey(credential.id), seal(credential)),
    async remove(id) {
      await storage.removeItem(credKey(id));
      await storage.removeItem(stateKey(id));
    },
    getState: (id) => storage.getItem<CredentialState>(stateKey(id)),
    putState: (id, state) => storage.setItem(stateKey(id), state),
  };
}
