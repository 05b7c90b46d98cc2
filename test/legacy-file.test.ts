import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deriveLegacyFernetKey, fernetEncrypt } from "../src/legacy/fernet.ts";
import {
  LegacyFileError,
  parseLegacyCredentials,
  readLegacyCredentialsFile,
  serializeLegacyCredentials,
  weakPassphraseReason,
  writeLegacyCredentialsFile,
} from "../src/legacy/credentials-file.ts";
import type { LegacyCredential, LegacyFileErrorCode } from "../src/legacy/credentials-file.ts";

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/legacy/${name}`, import.meta.url), "utf8");
const FIXTURE_PASSPHRASE = "legacy fixture passphrase";
const FIXTURE_NOW = 1_767_225_600_000;
const FIXTURE_IV = Uint8Array.from([15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);

function codeOf(run: () => unknown): LegacyFileErrorCode | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LegacyFileError);
    return (error as LegacyFileError).code;
  }
  return undefined;
}

const oauthCreds = {
  access_token: "ya29.a0AfB_exampleAccessToken",
  refresh_token: "1//0gExampleRefreshToken",
  scope: "https://www.googleapis.com/auth/cloud-platform openid",
  token_type: "Bearer",
  id_token: "eyJhbGciOi.example.sig",
  expiry_date: 1767225600000,
};

describe("interop with the predecessor (fixture made by openssl, see fixtures/legacy/README.md)", () => {
  it("derives the same key as the openssl script", () => {
    expect(deriveLegacyFernetKey(FIXTURE_PASSPHRASE)).toBe(fixture("derived-key.txt"));
  });

  it("decrypts the openssl-made file with the passphrase", () => {
    const parsed = parseLegacyCredentials(fixture("credentials.encrypted.txt"), FIXTURE_PASSPHRASE);
    expect(parsed.encrypted).toBe(true);
    expect(parsed.format).toBe("array");
    expect(parsed.credentials).toEqual(JSON.parse(fixture("credentials.json")));
    expect(parsed.credentials[1]?.project_id).toBe("projet-été-ü");
  });

  it("encrypts to exactly the openssl-made token with the same time and IV", () => {
    const credentials = JSON.parse(fixture("credentials.json")) as LegacyCredential[];
    const token = serializeLegacyCredentials(credentials, FIXTURE_PASSPHRASE, { now: FIXTURE_NOW, iv: FIXTURE_IV });
    expect(token).toBe(fixture("credentials.encrypted.txt"));
  });
});

describe("parseLegacyCredentials", () => {
  it("reads a plain array", () => {
    const parsed = parseLegacyCredentials(fixture("credentials.json"));
    expect(parsed).toMatchObject({ encrypted: false, format: "array" });
    expect(parsed.credentials).toHaveLength(2);
    expect(parsed.credentials[1]).toMatchObject({ access_token: null, expiry_date: null, scopes: [] });
  });

  it("reads a single Gemini CLI oauth_creds.json object, keeping scope and id_token", () => {
    const parsed = parseLegacyCredentials(JSON.stringify(oauthCreds, null, 2));
    expect(parsed).toEqual({ credentials: [oauthCreds], encrypted: false, format: "object" });
  });

  it("treats empty and whitespace-only text as no credentials, and tolerates a BOM", () => {
    for (const text of ["", "  \n\t", "\uFEFF"]) {
      expect(parseLegacyCredentials(text)).toEqual({ credentials: [], encrypted: false, format: "array" });
    }
    expect(parseLegacyCredentials(`\uFEFF${JSON.stringify([oauthCreds])}`).credentials).toEqual([oauthCreds]);
  });

  it("reads a plain file even when a passphrase is given (migration from an unencrypted file)", () => {
    expect(parseLegacyCredentials("[]", "some passphrase")).toMatchObject({ encrypted: false });
  });

  it("asks for the key when the file is encrypted, without echoing the token", () => {
    const token = fixture("credentials.encrypted.txt");
    expect(codeOf(() => parseLegacyCredentials(token))).toBe("encrypted_no_key");
    expect(codeOf(() => parseLegacyCredentials(token, ""))).toBe("encrypted_no_key");
    expect(() => parseLegacyCredentials(token)).toThrow(/-ek\/--encryption-key or GEMINI_PROXY_ENCRYPTION_KEY/);
    expect(() => parseLegacyCredentials(token)).not.toThrow(token.slice(0, 20));
  });

  it("reports a wrong key without echoing key or token", () => {
    const token = fixture("credentials.encrypted.txt");
    expect(codeOf(() => parseLegacyCredentials(token, "not the passphrase"))).toBe("wrong_key");
    try {
      parseLegacyCredentials(token, "not the passphrase");
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/does not decrypt/);
      expect(message).not.toContain("not the passphrase");
      expect(message).not.toContain(deriveLegacyFernetKey("not the passphrase"));
      expect(message).not.toContain(token.slice(0, 20));
    }
  });

  it("reports decrypted content that is not JSON, without quoting it", () => {
    const token = fernetEncrypt(deriveLegacyFernetKey("pw"), "refresh=1//secret-not-json");
    expect(codeOf(() => parseLegacyCredentials(token, "pw"))).toBe("invalid_json");
    expect(() => parseLegacyCredentials(token, "pw")).toThrow(/decrypted but does not contain valid JSON/);
    expect(() => parseLegacyCredentials(token, "pw")).not.toThrow(/secret/);
    // An encrypted empty document is just an empty file.
    expect(parseLegacyCredentials(fernetEncrypt(deriveLegacyFernetKey("pw"), ""), "pw")).toMatchObject({
      credentials: [],
      encrypted: true,
    });
  });

  it("reports plain text that is neither JSON nor a token", () => {
    expect(codeOf(() => parseLegacyCredentials("access_token=ya29.secret"))).toBe("invalid_json");
    expect(() => parseLegacyCredentials("access_token=ya29.secret")).not.toThrow(/ya29/);
  });

  it("rejects JSON that is not an object or an array of objects", () => {
    for (const text of ["42", "null", '"x"', "[1]", '[{}, "x"]', "[[]]", "[null]"]) {
      expect(
        codeOf(() => parseLegacyCredentials(text)),
        text,
      ).toBe("invalid_shape");
    }
    expect(() => parseLegacyCredentials('[{}, "x"]')).toThrow(/entry 1 is string/);
  });
});

describe("serializeLegacyCredentials (Python json.dumps(indent=2, ensure_ascii=False) byte-for-byte)", () => {
  it("reproduces the Python-written credentials file", () => {
    const text = fixture("credentials.json");
    expect(serializeLegacyCredentials(JSON.parse(text) as LegacyCredential[])).toBe(text);
  });

  it("reproduces Python's output for non-ASCII, escapes, nulls, empty containers and floats", () => {
    const text = fixture("python-format.json");
    expect(serializeLegacyCredentials(JSON.parse(text) as LegacyCredential[])).toBe(text);
  });

  it("writes an empty list as [] and drops undefined members like JSON does", () => {
    expect(serializeLegacyCredentials([])).toBe("[]");
    expect(serializeLegacyCredentials([{ access_token: "a", project_id: undefined }])).toBe(
      '[\n  {\n    "access_token": "a"\n  }\n]',
    );
  });

  it("known difference: an integral float (5.0 in Python) is written as an int, because JSON.parse cannot tell", () => {
    expect(serializeLegacyCredentials(JSON.parse('[{"expiry_date": 5.0}]') as LegacyCredential[])).toContain(
      '"expiry_date": 5\n',
    );
  });

  it("can write a lone credential as a bare object, as the predecessor does", () => {
    expect(serializeLegacyCredentials([oauthCreds], undefined, { singleAsObject: true })).toBe(
      JSON.stringify(oauthCreds, null, 2),
    );
    expect(serializeLegacyCredentials([oauthCreds])).toBe(JSON.stringify([oauthCreds], null, 2));
  });

  it("encrypts the whole document with the derived key when a passphrase is given", () => {
    const token = serializeLegacyCredentials([oauthCreds], "pw");
    expect(token).toMatch(/^gAAAAA[A-Za-z0-9_-]+=*$/);
    expect(parseLegacyCredentials(token, "pw")).toEqual({
      credentials: [oauthCreds],
      encrypted: true,
      format: "array",
    });
  });
});

describe("legacy credentials file I/O", () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "legacy-file-"));
    path = join(dir, "credentials.json");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a missing file as no credentials", async () => {
    expect(await readLegacyCredentialsFile(path)).toEqual({ credentials: [], encrypted: false, format: "array" });
  });

  it("names the file in errors and maps read failures to io", async () => {
    await writeFile(path, fixture("credentials.encrypted.txt"));
    await expect(readLegacyCredentialsFile(path)).rejects.toThrow(`credentials file ${path} is encrypted`);
    await expect(readLegacyCredentialsFile(path, "wrong")).rejects.toMatchObject({ code: "wrong_key" });
    await expect(readLegacyCredentialsFile(dir)).rejects.toMatchObject({ code: "io" });
  });

  it("writes atomically with mode 0600 and leaves no temp files, even over a 0644 file", async () => {
    await writeFile(path, "[]", { mode: 0o644 });
    const old = process.umask(0);
    try {
      await writeLegacyCredentialsFile(path, [oauthCreds]);
    } finally {
      process.umask(old);
    }
    expect(await readdir(dir)).toEqual(["credentials.json"]);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, "utf8")).toBe(serializeLegacyCredentials([oauthCreds]));
  });

  it("round-trips an encrypted file", async () => {
    await writeLegacyCredentialsFile(path, [oauthCreds], { passphrase: "pw" });
    expect(await readLegacyCredentialsFile(path, "pw")).toEqual({
      credentials: [oauthCreds],
      encrypted: true,
      format: "array",
    });
  });

  it("keeps the previous content in <path>.bak (0600) when asked", async () => {
    await writeLegacyCredentialsFile(path, [], { backup: true }); // nothing to back up yet
    expect((await readdir(dir)).sort()).toEqual(["credentials.json"]);
    await writeLegacyCredentialsFile(path, [oauthCreds], { backup: true });
    expect(await readFile(`${path}.bak`, "utf8")).toBe("[]");
    expect((await stat(`${path}.bak`)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).sort()).toEqual(["credentials.json", "credentials.json.bak"]);
  });

  it("maps write failures to io and cleans up", async () => {
    // The parent is a file: no directory can be made there.
    await writeFile(join(dir, "a-file"), "x");
    const missing = join(dir, "a-file", "credentials.json");
    await expect(writeLegacyCredentialsFile(missing, [])).rejects.toMatchObject({ code: "io" });
    await expect(writeLegacyCredentialsFile(missing, [])).rejects.toThrow(/ENOTDIR|EEXIST/);
    expect(await readdir(dir)).toEqual(["a-file"]);
  });
});

describe("weakPassphraseReason", () => {
  const cases: [string, boolean][] = [
    ["", true],
    ["hunter2", true],
    ["Tr0ub4dor&3", true], // 11 chars
    ["aaaaaaaaaaaaaaaaaaaaaaaaaaaa", true], // long but one character
    ["abababababababababab", true], // few distinct characters
    ["passwordpasswordpa", true], // one character class, < 24
    ["12345678901234567890", true],
    ["correct horse battery staple", false],
    ["Zk8-wq2LpX9vB4nM", false], // 16 chars, mixed
    ["lowercaseonlybutlongenough", false], // one class but >= 24
    ["LOxx7PJ6eOJcy_3OQXg3YMLfRdh1HIpZyBGiAF8fBac=", false], // a generate-key output
  ];
  for (const [passphrase, weak] of cases) {
    it(`${JSON.stringify(passphrase)} is ${weak ? "weak" : "fine"}`, () => {
      const reason = weakPassphraseReason(passphrase);
      if (weak) {
        expect(reason).toBeTypeOf("string");
        if (passphrase) expect(reason).not.toContain(passphrase);
      } else {
        expect(reason).toBeUndefined();
      }
    });
  }
});
