// The predecessor's file encryption, both directions, against references that do not use our code:
// the openssl-made fixture, openssl itself, and Python's cryptography when installed.
import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStorage } from "unstorage";
import { beforeEach, describe, expect, it } from "vitest";
import type { OAuthCredential } from "../src/pool/credential.ts";
import { createCredentialStore } from "../src/pool/store.ts";
import { parseLegacyCredentials, serializeLegacyCredentials } from "../src/legacy/credentials-file.ts";
import { createLegacySync } from "../src/legacy/sync.ts";
import type { StorageLike } from "../src/storage/types.ts";
import {
  hasPythonFernet,
  opensslFernetDecrypt,
  opensslFernetEncrypt,
  pythonFernetDecrypt,
  pythonJsonDumps,
} from "./encryption-openssl.ts";

const FIXTURES = join(import.meta.dirname, "fixtures", "legacy");
const FIXTURE_PASS = "legacy fixture passphrase";
const PASS = "Zm9vYmFyLXRlc3Qta2V5LWZvci1pbnRlcm9wLTAxMjM=";

const cred = (n: number, extra: Partial<OAuthCredential> = {}): OAuthCredential => ({
  id: `oauth-${n}`,
  kind: "oauth",
  email: `u${n}@example.com`,
  project: `proj-${n}`,
  accessToken: `ya29.access-${n}`,
  refreshToken: `1//refresh-${n}`,
  expiresAt: 1767225600000 + n,
  createdAt: n,
  ...extra,
});

describe("Fernet interop with the openssl-made fixture", () => {
  it("decrypts the fixture to the exact JSON the predecessor wrote", async () => {
    const token = await readFile(join(FIXTURES, "credentials.encrypted.txt"), "utf8");
    const json = await readFile(join(FIXTURES, "credentials.json"), "utf8");
    const parsed = parseLegacyCredentials(token, FIXTURE_PASS);
    expect(parsed.encrypted).toBe(true);
    expect(parsed.credentials).toEqual(JSON.parse(json));
    expect(() => parseLegacyCredentials(token, "not the passphrase")).toThrow(/does not decrypt/);
  });

  it("encrypts byte-for-byte like the fixture with the same timestamp and IV", async () => {
    const token = await readFile(join(FIXTURES, "credentials.encrypted.txt"), "utf8");
    const creds = JSON.parse(await readFile(join(FIXTURES, "credentials.json"), "utf8"));
    const iv = Buffer.from("0f0e0d0c0b0a09080706050403020100", "hex");
    expect(serializeLegacyCredentials(creds, FIXTURE_PASS, { now: 1767225600_000, iv })).toBe(token.trim());
    // The openssl helper used below is itself checked against the fixture.
    const json = await readFile(join(FIXTURES, "credentials.json"), "utf8");
    expect(opensslFernetEncrypt(json, FIXTURE_PASS, 1767225600, "0f0e0d0c0b0a09080706050403020100")).toBe(token.trim());
  });

  it("reads a file openssl encrypted, and openssl reads what we encrypt", () => {
    const creds = [
      {
        access_token: "ya29.x",
        refresh_token: "1//y",
        token_type: "Bearer",
        expiry_date: null,
        scopes: [],
        project_id: "p-é",
      },
    ];
    const theirs = opensslFernetEncrypt(JSON.stringify(creds, null, 2), PASS);
    expect(parseLegacyCredentials(theirs, PASS).credentials).toEqual(creds);
    const ours = serializeLegacyCredentials(creds, PASS);
    expect(JSON.parse(opensslFernetDecrypt(ours, PASS))).toEqual(creds);
    expect(() => opensslFernetDecrypt(ours, "wrong")).toThrow(/HMAC/);
  });

  it.skipIf(!hasPythonFernet)("Python's cryptography.fernet (the predecessor's library) decrypts our file", () => {
    const ours = serializeLegacyCredentials([{ refresh_token: "1//z", scopes: ["openid"] }], PASS);
    const text = pythonFernetDecrypt(ours, PASS);
    expect(text).toBe(pythonJsonDumps(text));
    expect(JSON.parse(text)).toEqual([{ refresh_token: "1//z", scopes: ["openid"] }]);
  });
});

describe("keeping credentials_file in sync", () => {
  let dir: string;
  let storage: StorageLike;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "gcp-sync-"));
    storage = createStorage() as unknown as StorageLike;
  });

  it("encrypts a plain file in place after a .bak copy, then writes changes in the predecessor's format", async () => {
    const path = join(dir, "credentials.json");
    const original = JSON.stringify(
      [{ refresh_token: "1//refresh-1", access_token: null, project_id: "old" }, { broken: true }],
      null,
      2,
    );
    await writeFile(path, original);
    const sync = createLegacySync({ path, passphrase: PASS });
    expect(await sync.load()).toHaveLength(2);
    expect(await readFile(`${path}.bak`, "utf8")).toBe(original);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(opensslFernetDecrypt(await readFile(path, "utf8"), PASS))).toEqual(JSON.parse(original));

    const store = sync.wrap(createCredentialStore(storage, { encryptionKey: PASS }));
    await store.put(cred(1)); // the entry with the same refresh token is updated, in place
    await store.put(cred(2, { project: undefined, scopes: undefined }));
    await store.put({ id: "key-1", kind: "api_key", apiKey: "AIzaNotInTheFile", createdAt: 3 });
    await sync.flush();
    const text = opensslFernetDecrypt(await readFile(path, "utf8"), PASS);
    expect(JSON.parse(text)).toEqual([
      {
        refresh_token: "1//refresh-1",
        access_token: "ya29.access-1",
        project_id: "proj-1",
        token_type: "Bearer",
        expiry_date: 1767225600001,
        scopes: expect.any(Array),
      },
      { broken: true }, // an entry this proxy could not use is kept, never dropped
      {
        access_token: "ya29.access-2",
        refresh_token: "1//refresh-2",
        token_type: "Bearer",
        expiry_date: 1767225600002,
        scopes: [
          "https://www.googleapis.com/auth/cloud-platform",
          "https://www.googleapis.com/auth/userinfo.email",
          "https://www.googleapis.com/auth/userinfo.profile",
          "openid",
        ],
      },
    ]);
    if (hasPythonFernet) expect(pythonFernetDecrypt(await readFile(path, "utf8"), PASS)).toBe(pythonJsonDumps(text));

    await store.remove("oauth-1");
    await sync.flush();
    expect(
      JSON.parse(opensslFernetDecrypt(await readFile(path, "utf8"), PASS)).map(
        (e: { refresh_token?: string }) => e.refresh_token,
      ),
    ).toEqual([undefined, "1//refresh-2"]);
  });

  it("stops on a missing or wrong key for an encrypted file, changing nothing", async () => {
    const path = join(dir, "credentials.json");
    const token = opensslFernetEncrypt("[]", PASS);
    await writeFile(path, token);
    await expect(createLegacySync({ path }).load()).rejects.toThrow(/is encrypted: pass the encryption key with -ek/);
    await expect(createLegacySync({ path, passphrase: "wrong key wrong key 12345" }).load()).rejects.toThrow(
      /does not decrypt/,
    );
    expect(await readFile(path, "utf8")).toBe(token);
    await expect(stat(`${path}.bak`)).rejects.toThrow(/ENOENT/);
  });

  it("writes a plain file back plain without a key, keeping a single object a single object", async () => {
    const path = join(dir, "oauth_creds.json");
    await writeFile(path, JSON.stringify({ refresh_token: "1//refresh-7", scope: "openid", id_token: "eyJ" }, null, 2));
    const sync = createLegacySync({ path });
    await sync.load();
    await sync.wrap(createCredentialStore(storage)).put(cred(7));
    await sync.flush();
    const text = await readFile(path, "utf8");
    expect(text.startsWith("{\n")).toBe(true);
    expect(JSON.parse(text)).toMatchObject({
      refresh_token: "1//refresh-7",
      scope: "openid",
      id_token: "eyJ",
      access_token: "ya29.access-7",
      project_id: "proj-7",
    });
    if (hasPythonFernet) expect(text).toBe(pythonJsonDumps(text));
  });
});
