// Persistence of credential records and their state through any unstorage-compatible instance.
// The pool owns the live state; this only reads and writes it.
import type { Credential, CredentialState } from "../pool/credential.ts";
import type { StorageLike } from "./types.ts";

export interface CredentialStore {
  list(): Promise<Credential[]>;
  get(id: string): Promise<Credential | null>;
  put(credential: Credential): Promise<void>;
  remove(id: string): Promise<void>;
  getState(id: string): Promise<CredentialState | null>;
  putState(id: string, state: CredentialState): Promise<void>;
}

export function createCredentialStore(storage: StorageLike): CredentialStore {
  const credKey = (id: string) => `credentials:${id}`;
  const stateKey = (id: string) => `state:${id}`;
  return {
    async list() {
      const keys = await storage.getKeys("credentials");
      const out: Credential[] = [];
      for (const key of keys) {
        const value = await storage.getItem<Credential>(key);
        if (value && typeof value === "object" && "id" in value) out.push(value);
      }
      return out.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    },
    get: (id) => storage.getItem<Credential>(credKey(id)),
    put: (credential) => storage.setItem(credKey(credential.id), credential),
    async remove(id) {
      await storage.removeItem(credKey(id));
      await storage.removeItem(stateKey(id));
    },
    getState: (id) => storage.getItem<CredentialState>(stateKey(id)),
    putState: (id, state) => storage.setItem(stateKey(id), state),
  };
}
