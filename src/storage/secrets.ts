// Encryption of single secret fields at rest: `enc:v1:<Fernet token>`, under a key derived from the
// passphrase with scrypt. Storage drivers only ever see the sealed string.
import { scryptSync } from "node:crypto";
import { fernetDecrypt, fernetEncrypt } from "../legacy/fernet.ts";

export const SEALED_PREFIX = "enc:v1:";

/** Why sealed secrets could not be opened: no `encryptionKey` given, or a different one. */
export type SecretsErrorCode = "missing_key" | "wrong_key";

/** Stored secrets are sealed and cannot be opened with the configured `encryptionKey` (see `code`). */
export class SecretsError extends Error {
  override name = "SecretsError";
  constructor(
    readonly code: SecretsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SecretBox {
  seal(plaintext: string): string;
  /** Plain values pass through unchanged (stored before encryption was turned on). */
  open(value: string, where?: string): string;
}

// A fixed, app-specific salt: the key must be derivable from the passphrase alone (any storage,
// any host). Strong keys come from `generate-key`; scrypt only slows guessing of weak ones.
const SALT = "gemini-cli-proxy/secrets/v1";
const cache = new Map<string, string>();

/** Fernet key (url-safe base64 of 32 bytes) for field secrets; distinct from the predecessor's SHA-256 file key. */
export function deriveSecretsKey(passphrase: string): string {
  let key = cache.get(passphrase);
  if (!key) {
    const raw = scryptSync(passphrase, SALT, 32, { N: 1 << 14, r: 8, p: 1 });
    key = raw.toString("base64").replaceAll("+", "-").replaceAll("/", "_");
    if (cache.size > 8) cache.clear();
    cache.set(passphrase, key);
  }
  return key;
}

export function isSealed(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(SEALED_PREFIX);
}

export function createSecretBox(passphrase: string): SecretBox {
  const key = deriveSecretsKey(passphrase);
  return {
    seal: (plaintext) => (isSealed(plaintext) ? plaintext : SEALED_PREFIX + fernetEncrypt(key, plaintext)),
    open(value, where = "a stored secret") {
      if (!isSealed(value)) return value;
      try {
        return fernetDecrypt(key, value.slice(SEALED_PREFIX.length)).toString("utf8");
      } catch {
        throw new SecretsError(
          "wrong_key",
          `the encryption key does not decrypt ${where} (wrong key, or the data is corrupted)`,
        );
      }
    },
  };
}

/** Open a value that may be sealed, failing clearly when it is sealed and no key was given. */
export function openSecret(value: string, box: SecretBox | undefined, where: string): string {
  if (!isSealed(value)) return value;
  if (!box) {
    throw new SecretsError(
      "missing_key",
      `${where} is encrypted: pass the encryption key with -ek/--encryption-key or GEMINI_PROXY_ENCRYPTION_KEY`,
    );
  }
  return box.open(value, where);
}
