// Secret fields sealed before any storage driver sees them; reading without the key, or with
// another one, fails clearly and writes nothing.
import { createHash, createHmac } from "node:crypto";
import { createStorage } from "unstorage";
import { describe, expect, it } from "vitest";
import type { Credential } from "../src/pool/credential.ts";
import { createCredentialStore } from "../src/pool/store.ts";
import { createSecretBox, deriveSecretsKey, SecretsError } from "../src/storage/secrets.ts";
import type { StorageLike } from "../src/storage/types.ts";

const KEY = "5k3sCWyJ0lqXq3H2m1YkS8tWl0Zb6m3x4nOBqgJdE1c=";
const oauth: Credential = {
  id: "oauth-1",
  kind: "oauth",
  email: "a@example.com",
  project: "p-1",
  accessToken: "ya29.secret-access",
  refreshToken: "1//secret-refresh",
  expiresAt: 1767225600000,
  createdAt: 1,
};
const apiKey: Credential = { id: "key-1", kind: "api_key", apiKey: "AIzaSySecretApiKey0123456789", createdAt: 2 };

/** Everything the driver holds, as one string. */
async function dump(storage: StorageLike): Promise<string> {
  const keys = await storage.getKeys();
  const values = await Promise.all(keys.map(async (k) => [k, await storage.getItem(k)]));
  return JSON.stringify(values);
}

function newStorage(): StorageLike {
  return createStorage() as unknown as StorageLike;
}

describe("secret box", () => {
  it("seals as enc:v1:<Fernet token> under an scrypt-derived key and opens it back", () => {
    const box = createSecretBox(KEY);
    const sealed = box.seal("1//refresh");
    expect(sealed).toMatch(/^enc:v1:gAAAAA[\w-]+={0,2}$/);
    expect(box.open(sealed)).toBe("1//refresh");
    expect(box.seal(sealed)).toBe(sealed); // never double-sealed
    expect(box.open("plain value")).toBe("plain value");
    // The token is a standard Fernet token under the derived key: check its HMAC independently.
    const key = Buffer.from(deriveSecretsKey(KEY), "base64url");
    const raw = Buffer.from(sealed.slice(7), "base64url");
    const mac = createHmac("sha256", key.subarray(0, 16)).update(raw.subarray(0, -32)).digest();
    expect(mac.equals(raw.subarray(-32))).toBe(true);
    // Distinct from the predecessor's SHA-256 file key, so one leaked key does not open the other.
    expect(deriveSecretsKey(KEY)).not.toBe(createHash("sha256").update(KEY).digest("base64url"));
  });

  it("names the field when the key is wrong", () => {
    const sealed = createSecretBox(KEY).seal("x");
    expect(() =>
      createSecretBox("another key entirely, 1234").open(sealed, "the refreshToken of credential oauth-1"),
    ).toThrow(/does not decrypt the refreshToken of credential oauth-1/);
  });
});

describe("credential store with an encryption key", () => {
  it("never hands a secret to the driver in plain text", async () => {
    const storage = newStorage();
    const store = createCredentialStore(storage, { encryptionKey: KEY });
    await store.put(oauth);
    await store.put(apiKey);
    const raw = await dump(storage);
    for (const secret of ["ya29.secret-access", "1//secret-refresh", "AIzaSySecretApiKey0123456789"])
      expect(raw).not.toContain(secret);
    expect(raw).toContain("a@example.com"); // non-secret fields stay readable for operators
    const stored = await storage.getItem<Record<string, string>>("credentials:oauth-1");
    expect(stored!.refreshToken).toMatch(/^enc:v1:/);
    expect(await store.list()).toEqual([oauth, apiKey]);
    expect(await store.get("key-1")).toEqual(apiKey);
  });

  it("fails clearly without the key or with another key, and changes nothing", async () => {
    const storage = newStorage();
    await createCredentialStore(storage, { encryptionKey: KEY }).put(oauth);
    const before = await dump(storage);

    const noKey = createCredentialStore(storage);
    const missing = await noKey.list().catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SecretsError);
    expect((missing as SecretsError).code).toBe("missing_key");
    expect((missing as Error).message).toMatch(/credential oauth-1 is encrypted: pass the encryption key with -ek/);

    const wrong = await createCredentialStore(storage, { encryptionKey: "a different passphrase 98765" })
      .list()
      .catch((e: unknown) => e);
    expect((wrong as SecretsError).code).toBe("wrong_key");
    expect((wrong as Error).message).not.toContain(KEY);
    await expect(noKey.get("oauth-1")).rejects.toThrow(SecretsError);
    expect(await dump(storage)).toBe(before);
  });

  it("reads records stored before encryption was turned on, and seals them", async () => {
    const storage = newStorage();
    await createCredentialStore(storage).put(oauth); // plain, as a store without a key writes
    expect(await dump(storage)).toContain("1//secret-refresh");
    const store = createCredentialStore(storage, { encryptionKey: KEY });
    expect(await store.list()).toEqual([oauth]);
    expect(await dump(storage)).not.toContain("1//secret-refresh");
    expect(await store.list()).toEqual([oauth]);
  });

  it("keeps working unchanged without a key (the old interface)", async () => {
    const storage = newStorage();
    const store = createCredentialStore(storage);
    await store.put(oauth);
    expect((await storage.getItem<Record<string, string>>("credentials:oauth-1"))!.refreshToken).toBe(
      "1//secret-refresh",
    );
    expect(await store.list()).toEqual([oauth]);
  });
});
