// Account files: ~/.gemini/oauth_creds.json, the predecessor's credentials.json (plain and
// encrypted), Gemini API key lists (lines or a JSON array); each parsed, then added to a pool
// against the fake Google.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";
import { importAccountFiles, parseAccountFile } from "../src/login/import.ts";
import { serializeLegacyCredentials } from "../src/legacy/credentials-file.ts";
import { proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

const PASSPHRASE = "correct horse battery staple 42";

describe("account files", () => {
  let fake: FakeGoogle;
  let proxy: GeminiProxy;
  let dir: string;
  beforeAll(async () => {
    fake = await createFakeGoogle();
    fake.addAccount({ email: "cli@example.com" });
    fake.addAccount({ email: "pred1@example.com" });
    fake.addAccount({ email: "pred2@example.com" });
    fake.addAccount({ email: "enc@example.com" });
    proxy = createGeminiProxy(proxyOptionsFor(fake));
    dir = await mkdtemp(join(tmpdir(), "gcp-import-"));
  });
  afterAll(async () => {
    await proxy.close();
    await fake.close();
  });

  it("~/.gemini/oauth_creds.json (path with ~) becomes a working account", async () => {
    const home = join(dir, "home");
    await mkdir(join(home, ".gemini"), { recursive: true });
    await writeFile(
      join(home, ".gemini", "oauth_creds.json"),
      JSON.stringify(fake.oauthCreds("cli@example.com"), null, 2),
    );
    const previous = process.env.HOME;
    process.env.HOME = home;
    let inputs;
    try {
      inputs = await importAccountFiles(["~/.gemini/oauth_creds.json"], {});
    } finally {
      process.env.HOME = previous;
    }
    expect(inputs).toHaveLength(1);
    const added = await proxy.pool.add(inputs[0]!);
    expect(added.credential).toMatchObject({ kind: "oauth", email: "cli@example.com", state: { status: "active" } });
  });

  it("the predecessor's credentials.json, plain: every entry", async () => {
    const file = join(dir, "credentials.json");
    await writeFile(
      file,
      serializeLegacyCredentials([
        fake.simpleCredential("pred1@example.com"),
        fake.simpleCredential("pred2@example.com", { withProject: true }),
      ]),
    );
    const inputs = await importAccountFiles([file], {});
    expect(inputs).toHaveLength(2);
    for (const input of inputs) await proxy.pool.add(input);
    const emails = proxy.pool.list().map((c) => c.email);
    expect(emails).toEqual(expect.arrayContaining(["pred1@example.com", "pred2@example.com"]));
  });

  it("the predecessor's credentials.json, encrypted: needs the right passphrase", async () => {
    const file = join(dir, "credentials.enc.json");
    const encrypted = serializeLegacyCredentials([fake.simpleCredential("enc@example.com")], PASSPHRASE);
    await writeFile(file, encrypted);
    await expect(importAccountFiles([file], {})).rejects.toThrow(/encrypted/);
    const wrong = await importAccountFiles([file], { passphrase: "not the key at all" }).catch((e: Error) => e);
    expect((wrong as Error).message).toMatch(/does not decrypt/);
    expect((wrong as Error).message).toContain(file);
    const inputs = await importAccountFiles([file], { passphrase: PASSPHRASE });
    expect((await proxy.pool.add(inputs[0]!)).credential.email).toBe("enc@example.com");
  });

  it("Gemini API keys, one per line (comments and blank lines skipped) or a JSON array", async () => {
    const k1 = fake.addApiKey();
    const k2 = fake.addApiKey();
    const lines = join(dir, "keys.txt");
    await writeFile(lines, `# my keys\n${k1}\r\n\n  ${k2}  \n`);
    const array = join(dir, "keys.json");
    await writeFile(array, JSON.stringify([k1, k2]));
    const inputs = await importAccountFiles([lines, array], {});
    expect(inputs).toEqual([{ apiKey: k1 }, { apiKey: k2 }, { apiKey: k1 }, { apiKey: k2 }]);
    for (const input of inputs) await proxy.pool.add(input);
    expect(proxy.pool.list().filter((c) => c.kind === "api_key")).toHaveLength(2);
  });

  it("the Gemini CLI's keychain-style JSON and {apiKey} objects", () => {
    const keychain = JSON.stringify({
      serverName: "main-account",
      token: { accessToken: "ya29.x", refreshToken: "1//rt-value", tokenType: "Bearer", expiresAt: 1767225600000 },
      updatedAt: 1,
    });
    expect(parseAccountFile(keychain)).toEqual([
      { refreshToken: "1//rt-value", accessToken: "ya29.x", expiresAt: 1767225600000 },
    ]);
    expect(parseAccountFile(JSON.stringify([{ apiKey: "AIzaSyExampleExampleExample12345", label: "ci" }]))).toEqual([
      { apiKey: "AIzaSyExampleExampleExample12345", label: "ci" },
    ]);
  });

  it("refuses what it cannot pool, naming the entry but never the secret", () => {
    const secret = "super-secret-value-123";
    const cases: [string, RegExp][] = [
      [JSON.stringify({ type: "service_account", private_key: secret }), /entry 0 is a "service_account" credential/],
      [JSON.stringify([{ access_token: secret }]), /entry 0 has no refresh_token/],
      [`AIzaSyGoodKeyGoodKeyGoodKey12345\nnot a key ${secret}\n`, /line 2 is not a Gemini API key/],
      [`{"refresh_token": "${secret}"`, /is not valid JSON/],
      ["[1, 2]", /must hold a JSON object/],
    ];
    for (const [text, message] of cases) {
      const error = (() => {
        try {
          parseAccountFile(text, { name: "upload.json" });
        } catch (e) {
          return e as Error;
        }
      })();
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain(secret);
    }
  });

  it("an empty file gives nothing, a missing file a clear error", async () => {
    expect(parseAccountFile("  \n")).toEqual([]);
    await expect(importAccountFiles([join(dir, "nope.json")], {})).rejects.toThrow(/cannot read .*nope\.json: ENOENT/);
  });
});
