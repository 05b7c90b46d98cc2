// `accounts ...` and `rekey` from the installed package, on an fs storage with encryption and a
// credentials_file kept in sync, against the fake Google.
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeEndpoints } from "./cli-config.ts";
import { installCli, type CliInstall } from "./cli-install.ts";
import { opensslFernetDecrypt, opensslFernetEncrypt } from "./encryption-openssl.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

const KEY_A = "uV3nQe8Jd1Lx6Rk0Tz5Hb9Wm2Pq7Cy4Fs8Ga1Do3Ki=";
const KEY_B = "Xw2Mn7Bq4Kd9Lz1Vr6Ht3Jc8Yp5Fs0Ge2Ua7Ri4Oo=";
let cli: CliInstall;
let fake: FakeGoogle;
let dir: string;
let config: string;
let refreshToken: string;
let apiKey: string;

async function readTree(path: string): Promise<string> {
  const names = await readdir(path, { recursive: true, withFileTypes: true });
  const files = names.filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
  return (await Promise.all(files.map((f) => readFile(f, "utf8")))).join("\n");
}

beforeAll(async () => {
  [cli, fake] = await Promise.all([installCli(), createFakeGoogle()]);
  fake.addAccount({ email: "acc@example.com", scenario: "onboarded" });
  apiKey = fake.addApiKey();
  dir = await mkdtemp(join(tmpdir(), "gcp-acc-"));
  const simple = fake.simpleCredential("acc@example.com");
  refreshToken = simple.refresh_token as string;
  // The predecessor's encrypted file, made with openssl (not our code), and a list of API keys.
  await writeFile(join(dir, "old-credentials.json"), opensslFernetEncrypt(JSON.stringify([simple], null, 2), KEY_A));
  await writeFile(join(dir, "keys.txt"), `${apiKey}\n`);
  config = join(dir, "config.json");
  const endpoints = fakeEndpoints(fake);
  await writeFile(
    config,
    JSON.stringify({ credentials_file: "synced.json", endpoints, data_dir: "data", pool: { onboarding_poll_ms: 5 } }),
  );
}, 120_000);
afterAll(async () => {
  cli?.cleanup();
  await fake?.close();
});

const acc = (args: string[]) => cli.npx(["accounts", ...args, "-c", config], { cwd: dir });

describe("accounts and rekey (installed from npm pack)", () => {
  it("imports the predecessor's encrypted file and a key list; secrets are sealed at rest", async () => {
    const result = await acc(["import", "old-credentials.json", "keys.txt", "-ek", KEY_A]);
    // stdout is the report; log lines go to stderr, and none of them is a warning or an error.
    expect(result.stderr).not.toMatch(/\[(warn|error)\]/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^added oauth-\w+ \(acc@example\.com\): active$/m);
    expect(result.stdout).toMatch(/^added key-\w+ \(key-\w+\): active$/m);
    expect(result.stdout).toContain("imported 2 of 2 account(s)");
    const raw = await readTree(join(dir, "data"));
    expect(raw).toContain("acc@example.com");
    expect(raw).not.toContain(refreshToken);
    expect(raw).not.toContain(apiKey);
    expect(raw).not.toMatch(/ya29\./);
    // credentials_file follows, encrypted the predecessor's way.
    const synced = JSON.parse(opensslFernetDecrypt(await readFile(join(dir, "synced.json"), "utf8"), KEY_A));
    expect(synced).toEqual([
      expect.objectContaining({
        refresh_token: refreshToken,
        token_type: "Bearer",
        access_token: expect.stringMatching(/^ya29\./),
      }),
    ]);
  });

  it("lists as a table or JSON, and refuses to read sealed secrets without the key", async () => {
    const table = await acc(["list", "-ek", KEY_A]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+KIND\s+ACCOUNT\s+PROJECT\s+STATUS/);
    expect(table.stdout).toMatch(/oauth-\w+\s+oauth\s+acc@example\.com\s+\S+\s+active/);
    const json = JSON.parse((await acc(["list", "--json", "-ek", KEY_A])).stdout) as {
      kind: string;
      state: { status: string };
    }[];
    expect(json.map((v) => v.kind).sort()).toEqual(["api_key", "oauth"]);
    const noKey = await acc(["list"]);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/is encrypted: pass the encryption key with -ek/);
  });

  it("disables and enables by email or id", async () => {
    expect((await acc(["disable", "acc@example.com", "-ek", KEY_A])).stdout).toMatch(
      /^disabled oauth-\w+ \(acc@example\.com\)/,
    );
    expect((await acc(["list", "-ek", KEY_A])).stdout).toMatch(
      /acc@example\.com\s+\S+\s+disabled\s+disabled by an operator/,
    );
    const id = /(oauth-\w+)/.exec((await acc(["list", "-ek", KEY_A])).stdout)![1]!;
    expect((await acc(["enable", id.slice(0, 9), "-ek", KEY_A])).stdout).toContain(`enabled ${id}`);
    expect((await acc(["list", "-ek", KEY_A])).stdout).toMatch(/acc@example\.com\s+\S+\s+active/);
    const unknown = await acc(["disable", "nobody@example.com", "-ek", KEY_A]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no account "nobody@example.com"/);
  });

  it("exports for the predecessor (encrypted) and as JSON (API keys included)", async () => {
    const legacy = await acc(["export", "-o", join(dir, "export.json"), "--encrypt", "-ek", KEY_A]);
    expect(legacy.code).toBe(0);
    expect(legacy.stderr).toMatch(/exported 1 account\(s\) \(1 API key\(s\) left out/);
    expect(JSON.parse(opensslFernetDecrypt(await readFile(join(dir, "export.json"), "utf8"), KEY_A))).toEqual([
      expect.objectContaining({ refresh_token: refreshToken, token_type: "Bearer", scopes: expect.any(Array) }),
    ]);
    const json = await acc(["export", "-o", "-", "--format", "json", "-ek", KEY_A]);
    expect(JSON.parse(json.stdout)).toEqual(
      expect.arrayContaining([
        { apiKey },
        expect.objectContaining({ refresh_token: refreshToken, email: "acc@example.com" }),
      ]),
    );
  });

  it("rekey re-encrypts the storage and credentials_file; the old key stops working", async () => {
    const wrongFrom = await cli.npx(["rekey", "-c", config, "--from", "not-the-key-at-all-123", "--to", KEY_B], {
      cwd: dir,
    });
    expect(wrongFrom.code).toBe(1);
    expect(wrongFrom.stderr).toMatch(/does not decrypt/);
    const rekey = await cli.npx(["rekey", "-c", config, "--from", KEY_A, "--to", KEY_B], { cwd: dir });
    expect(rekey.stderr).toBe("");
    expect(rekey.stdout).toMatch(
      /re-encrypted 2 stored credential\(s\), .*synced\.json \(previous copy in .*synced\.json\.bak\)/,
    );
    expect((await acc(["list", "-ek", KEY_A])).stderr).toMatch(/does not decrypt/);
    expect((await acc(["list", "-ek", KEY_B])).stdout).toContain("acc@example.com");
    expect(
      JSON.parse(opensslFernetDecrypt(await readFile(join(dir, "synced.json"), "utf8"), KEY_B))[0].refresh_token,
    ).toBe(refreshToken);
    expect(() => opensslFernetDecrypt(readFileSync(join(dir, "synced.json"), "utf8"), KEY_A)).toThrow();
  });

  it("removes an account from the storage and from credentials_file", async () => {
    const removed = await acc(["remove", "acc@example.com", "-ek", KEY_B]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/^removed oauth-\w+ \(acc@example\.com\)/);
    expect((await acc(["list", "-ek", KEY_B])).stdout).not.toContain("acc@example.com");
    expect(JSON.parse(opensslFernetDecrypt(await readFile(join(dir, "synced.json"), "utf8"), KEY_B))).toEqual([]);
  });
});
