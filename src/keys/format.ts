// Key material: `gcp-` + 32 base62 characters (~190 bits), ids `ck_` + 12, and the sha256 the key is
// stored and found under.
import { createHash, randomBytes } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Uniform base62 (rejection sampling: 248 = 4 × 62 keeps every character equally likely). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export const newClientKey = (): string => `gcp-${randomBase62(32)}`;
export const newKeyId = (): string => `ck_${randomBase62(12)}`;
export const hashClientKey = (key: string): string => createHash("sha256").update(key).digest("hex");
