import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  FernetError,
  deriveLegacyFernetKey,
  fernetDecrypt,
  fernetEncrypt,
  generateFernetKey,
  looksLikeFernetToken,
} from "../src/legacy/fernet.ts";

interface Vector {
  token: string;
  now: string;
  secret: string;
  src?: string;
  iv?: number[];
  ttl_sec?: number;
  desc?: string;
}

const vectorDir = new URL("./fixtures/fernet-vectors", import.meta.url).pathname;
const load = (name: string): Vector[] => JSON.parse(readFileSync(`${vectorDir}/${name}`, "utf8")) as Vector[];
const ms = (rfc3339: string): number => Date.parse(rfc3339);

describe("Fernet spec vectors", () => {
  describe("generate.json", () => {
    for (const v of load("generate.json")) {
      it(`encrypts "${v.src}" to the published token`, () => {
        const token = fernetEncrypt(v.secret, v.src ?? "", { now: ms(v.now), iv: Uint8Array.from(v.iv ?? []) });
        expect(token).toBe(v.token);
      });
    }
  });

  describe("verify.json", () => {
    for (const v of load("verify.json")) {
      it(`decrypts to "${v.src}" with ttl ${v.ttl_sec}`, () => {
        const plain = fernetDecrypt(v.secret, v.token, { ttlSec: v.ttl_sec, now: ms(v.now) });
        expect(plain.toString("utf8")).toBe(v.src);
      });
    }
  });

  describe("invalid.json", () => {
    // Each vector must fail for the reason it was built for, not by accident.
    const reasons: Record<string, RegExp> = {
      "incorrect mac": /signature/,
      "too short": /too short/,
      "invalid base64": /base64/,
      "payload size not multiple of block size": /blocks/,
      "payload padding error": /padding/,
      "far-future TS (unacceptable clock skew)": /future/,
      "expired TTL": /expired/,
      "incorrect IV (causes padding error)": /padding/,
    };
    for (const v of load("invalid.json")) {
      it(`rejects: ${v.desc}`, () => {
        const run = () => fernetDecrypt(v.secret, v.token, { ttlSec: v.ttl_sec, now: ms(v.now) });
        expect(run).toThrow(FernetError);
        expect(run).toThrow(reasons[v.desc ?? ""] ?? /./);
      });
    }
  });
});

describe("fernet", () => {
  const key = generateFernetKey();

  it("generates 44-char url-safe base64 keys of 32 bytes, with padding", () => {
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(Buffer.from(key, "base64url")).toHaveLength(32);
    expect(generateFernetKey()).not.toBe(key);
  });

  it("round-trips text and bytes, including empty input", () => {
    expect(fernetDecrypt(key, fernetEncrypt(key, "héllo 🔑")).toString("utf8")).toBe("héllo 🔑");
    const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);
    expect([...fernetDecrypt(key, fernetEncrypt(key, bytes))]).toEqual([...bytes]);
    expect(fernetDecrypt(key, fernetEncrypt(key, ""))).toHaveLength(0);
  });

  it("uses a fresh IV per token", () => {
    expect(fernetEncrypt(key, "x")).not.toBe(fernetEncrypt(key, "x"));
  });

  it("rejects every single tampered byte", () => {
    const raw = Buffer.from(fernetEncrypt(key, "secret payload"), "base64url");
    for (let i = 0; i < raw.length; i++) {
      const bad = Buffer.from(raw);
      bad[i] = (bad[i] ?? 0) ^ 0x01;
      expect(() => fernetDecrypt(key, bad.toString("base64url"))).toThrow(FernetError);
    }
  });

  it("rejects the wrong key and malformed keys without echoing them", () => {
    const token = fernetEncrypt(key, "x");
    expect(() => fernetDecrypt(generateFernetKey(), token)).toThrow(FernetError);
    for (const badKey of ["", "short", "A".repeat(44), `${key.slice(0, 40)}%%%=`]) {
      try {
        fernetDecrypt(badKey, token);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(FernetError);
        if (badKey) expect((error as Error).message).not.toContain(badKey);
      }
    }
  });

  it("accepts a token with surrounding whitespace or without padding, rejects broken padding", () => {
    const token = fernetEncrypt(key, "abcd"); // 73 bytes, so the text ends in "=="
    expect(token.endsWith("=")).toBe(true);
    expect(fernetDecrypt(key, `\n ${token}\n`).toString()).toBe("abcd");
    expect(fernetDecrypt(key, token.replace(/=+$/, "")).toString()).toBe("abcd");
    expect(() => fernetDecrypt(key, `${token}=`)).toThrow(FernetError);
    expect(() => fernetDecrypt(key, `${token.slice(0, 10)}+${token.slice(11)}`)).toThrow(FernetError); // not url-safe
  });

  it("checks time only with a TTL, like Python (stored files must decrypt whatever the clock)", () => {
    const token = fernetEncrypt(key, "x", { now: 1_000_000_000_000 });
    expect(fernetDecrypt(key, token).toString()).toBe("x");
    expect(fernetDecrypt(key, token, { now: 0 }).toString()).toBe("x");
    expect(() => fernetDecrypt(key, token, { ttlSec: 10, now: 1_000_000_011_000 })).toThrow(/expired/);
    expect(fernetDecrypt(key, token, { ttlSec: 10, now: 1_000_000_010_999 }).toString()).toBe("x");
    expect(fernetDecrypt(key, token, { ttlSec: 10, now: 999_999_940_000 }).toString()).toBe("x");
    expect(() => fernetDecrypt(key, token, { ttlSec: 10, now: 999_999_939_000 })).toThrow(/future/);
  });

  it("refuses an IV that is not 16 bytes", () => {
    expect(() => fernetEncrypt(key, "x", { iv: new Uint8Array(8) })).toThrow(RangeError);
  });
});

describe("deriveLegacyFernetKey", () => {
  it("matches an independent SHA-256 + base64url-with-padding computation", () => {
    for (const passphrase of ["my passphrase", "", "pässwörd 🔑", generateFernetKey()]) {
      const digest = createHash("sha256").update(Buffer.from(passphrase, "utf8")).digest();
      const expected = digest.toString("base64url").padEnd(44, "=");
      expect(deriveLegacyFernetKey(passphrase)).toBe(expected);
    }
  });

  it("matches values computed by hand with sha256sum | xxd -r -p | base64 | tr '+/' '-_'", () => {
    expect(deriveLegacyFernetKey("my passphrase")).toBe("LOxx7PJ6eOJcy_3OQXg3YMLfRdh1HIpZyBGiAF8fBac=");
    expect(deriveLegacyFernetKey("")).toBe("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=");
    expect(deriveLegacyFernetKey("pässwörd 🔑")).toBe("zLQ5vxkqBHSpua1ewvCayVORethcZN8sR45E16spGlI=");
  });

  it("is itself a usable Fernet key", () => {
    const derived = deriveLegacyFernetKey("my passphrase");
    expect(fernetDecrypt(derived, fernetEncrypt(derived, "ok")).toString()).toBe("ok");
  });
});

describe("looksLikeFernetToken", () => {
  it("recognises tokens and nothing else", () => {
    const token = fernetEncrypt(generateFernetKey(), "x");
    expect(looksLikeFernetToken(token)).toBe(true);
    expect(looksLikeFernetToken(`  ${token}\n`)).toBe(true);
    expect(looksLikeFernetToken(token.replace(/=+$/, ""))).toBe(true);
    for (const text of ["", "[]", '{"access_token":"x"}', "gAAAAA", `gAAAAA${"%".repeat(100)}`, "hello world"]) {
      expect(looksLikeFernetToken(text)).toBe(false);
    }
  });
});
