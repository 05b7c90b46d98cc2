// Fernet (github.com/fernet/spec) on node:crypto, byte-compatible with Python's `cryptography.fernet`,
// so credentials files encrypted by the predecessor proxy can be read and written back.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export class FernetError extends Error {
  override name = "FernetError";
}

const VERSION = 0x80;
const HEADER = 1 + 8 + 16; // version | timestamp | IV
const HMAC_LEN = 32;
const BLOCK = 16;
/** Same as cryptography's _MAX_CLOCK_SKEW: a token may be at most 60 s "from the future" (TTL mode only). */
const MAX_CLOCK_SKEW_SEC = 60;

/** URL-safe base64 with padding, exactly what Python's base64.urlsafe_b64encode produces. */
function encodeB64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64").replaceAll("+", "-").replaceAll("/", "_");
}

/**
 * Strict URL-safe base64 decoding. Padding is optional (Python requires it, but a token copied without
 * its trailing "=" is unambiguous and still protected by the HMAC); if present it must be correct.
 */
function decodeB64Url(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return undefined;
  const body = text.replace(/=+$/, "");
  if (body.length !== text.length && text.length % 4 !== 0) return undefined;
  if (body.length % 4 === 1) return undefined;
  return Buffer.from(body, "base64url");
}

function splitKey(key: string): { signing: Buffer; encryption: Buffer } {
  const raw = typeof key === "string" ? decodeB64Url(key.trim()) : undefined;
  if (!raw || raw.length !== 32) throw new FernetError("invalid Fernet key: it must be 32 bytes of url-safe base64");
  return { signing: raw.subarray(0, 16), encryption: raw.subarray(16) };
}

function toBytes(input: Uint8Array | string): Buffer {
  return typeof input === "string" ? Buffer.from(input, "utf8") : Buffer.from(input);
}

/** 32 random bytes as url-safe base64 with padding (44 chars), like `Fernet.generate_key()`. */
export function generateFernetKey(): string {
  return encodeB64Url(randomBytes(32));
}

/** Encrypts with a Fernet key (the predecessor's file format); returns the token. */
export function fernetEncrypt(
  key: string,
  plaintext: Uint8Array | string,
  options: { now?: number; iv?: Uint8Array } = {},
): string {
  const { signing, encryption } = splitKey(key);
  const iv = options.iv ? Buffer.from(options.iv) : randomBytes(16);
  if (iv.length !== 16) throw new RangeError("Fernet IV must be 16 bytes");
  const seconds = Math.floor((options.now ?? Date.now()) / 1000);
  if (!Number.isSafeInteger(seconds) || seconds < 0)
    throw new RangeError("Fernet timestamp must be a non-negative time");

  const header = Buffer.alloc(HEADER);
  header[0] = VERSION;
  header.writeBigUInt64BE(BigInt(seconds), 1);
  iv.copy(header, 9);
  const cipher = createCipheriv("aes-128-cbc", encryption, iv); // PKCS7 padding is Node's default
  const signed = Buffer.concat([header, cipher.update(toBytes(plaintext)), cipher.final()]);
  const mac = createHmac("sha256", signing).update(signed).digest();
  return encodeB64Url(Buffer.concat([signed, mac]));
}

/** Decrypts a Fernet token (optionally enforcing a TTL); throws on a wrong key or a tampered token. */
export function fernetDecrypt(key: string, token: string, options: { ttlSec?: number; now?: number } = {}): Buffer {
  const { signing, encryption } = splitKey(key);
  // Surrounding whitespace (a trailing newline from an editor) is not part of the token.
  const data = typeof token === "string" ? decodeB64Url(token.trim()) : undefined;
  if (!data) throw new FernetError("invalid Fernet token: not url-safe base64");
  if (data.length < HEADER + HMAC_LEN) throw new FernetError("invalid Fernet token: too short");
  if (data[0] !== VERSION) throw new FernetError("invalid Fernet token: unknown version");

  // Authenticate before looking at anything else, so no unauthenticated input reaches the cipher.
  const signed = data.subarray(0, data.length - HMAC_LEN);
  const expected = createHmac("sha256", signing).update(signed).digest();
  if (!timingSafeEqual(expected, data.subarray(data.length - HMAC_LEN))) {
    throw new FernetError("invalid Fernet token: signature mismatch (wrong key or corrupted data)");
  }

  // Like Python, time is only checked when a TTL is asked for: stored files must decrypt regardless of clocks.
  if (options.ttlSec !== undefined) {
    const timestamp = Number(data.readBigUInt64BE(1));
    const now = Math.floor((options.now ?? Date.now()) / 1000);
    if (timestamp + options.ttlSec < now) throw new FernetError("Fernet token has expired");
    if (now + MAX_CLOCK_SKEW_SEC < timestamp) throw new FernetError("Fernet token timestamp is too far in the future");
  }

  const ciphertext = signed.subarray(HEADER);
  if (ciphertext.length === 0 || ciphertext.length % BLOCK !== 0) {
    throw new FernetError("invalid Fernet token: ciphertext is not a whole number of blocks");
  }
  try {
    const decipher = createDecipheriv("aes-128-cbc", encryption, signed.subarray(9, HEADER));
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new FernetError("invalid Fernet token: bad padding");
  }
}

/** The predecessor's key derivation: Fernet key = urlsafe_b64encode(sha256(utf8(passphrase))). No salt, no KDF. */
export function deriveLegacyFernetKey(passphrase: string): string {
  return encodeB64Url(createHash("sha256").update(passphrase, "utf8").digest());
}

/**
 * Cheap sniffing for "this file is one Fernet token": version byte 0x80 and a timestamp below 2^36 s
 * always encode to "gAAAAA"; 98 chars is the shortest token (73 bytes, unpadded). Authenticates nothing.
 */
export function looksLikeFernetToken(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length >= 98 && /^gAAAAA[A-Za-z0-9_-]+={0,2}$/.test(trimmed);
}
