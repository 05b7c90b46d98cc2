// `accounts ...` and `rekey` from the installed package, on an fs storage with encryption and a
// credentials_file kept in sync, against the fake Google.
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeEndpoints } from "./cli-config.ts";
import { installCli, runBin, type CliInstall } from "./cli-install.ts";
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
    expect(result.stdout).toMatch(/^old-credentials\.json: 1 entry\n {2}✔ account acc@example\.com active$/m);
    // The key's own last four characters (a generated key may end in "-" or "_").
    expect(result.stdout).toContain(`\nkeys.txt: 1 entry\n  ✔ key AIza…${apiKey.slice(-4)} active\n`);
    expect(result.stdout).toContain("imported 2 of 2 entries");
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

  it("reports each line: bad lines and keys Google refuses are not kept, good ones are, exit code 1", async () => {
    const good = fake.addApiKey();
    const refused = "AIzaRefusedByTheFakeGoogle000000000000";
    await writeFile(join(dir, "mixed.txt"), `# keys\n${good}\nnot a key!\n${refused}\n`);
    await writeFile(
      join(dir, "revoked.json"),
      JSON.stringify({ refresh_token: "1//never-issued", type: "authorized_user" }),
    );
    const result = await acc(["import", "mixed.txt", "missing.json", "revoked.json", "-ek", KEY_A]);
    expect(result.code).toBe(1);
    const out = result.stdout;
    expect(out).toContain(`mixed.txt: 3 entries\n  ✔ key AIza…${good.slice(-4)} active\n`);
    expect(out).toContain("  ✖ line 3 is not a Gemini API key\n");
    expect(out).toContain("  ✖ line 4: key refused by Google (API_KEY_INVALID)\n");
    expect(out).toContain("✖ cannot read missing.json: ENOENT\n");
    expect(out).toMatch(/revoked\.json: 1 entry\n {2}✖ entry 0: refresh token refused by Google \(invalid_grant\)/);
    expect(out).toContain("imported 1 of 5 entries; 4 not imported");
    for (const secret of [good, refused, "1//never-issued"]) expect(out + result.stderr).not.toContain(secret);
    const listed = JSON.parse((await acc(["list", "--json", "-ek", KEY_A])).stdout) as {
      id: string;
      keyLabel?: string;
    }[];
    const labels = listed.map((v) => v.keyLabel);
    expect(labels).toContain(`AIza…${good.slice(-4)}`);
    expect(labels).not.toContain(`AIza…${refused.slice(-4)}`);
    // Leave the storage as the later steps expect it.
    const added = listed.find((v) => v.keyLabel === `AIza…${good.slice(-4)}`)!;
    expect((await acc(["remove", added.id, "-ek", KEY_A])).code).toBe(0);
  }, 60_000);

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
    expect((await acc(["enable", id.slice(0, 9), "-ek", KEY_A])).stdout).toContain(
      `enabled ${id} (acc@example.com): active`,
    );
    expect((await acc(["list", "-ek", KEY_A])).stdout).toMatch(/acc@example\.com\s+\S+\s+active/);
    const unknown = await acc(["disable", "nobody@example.com", "-ek", KEY_A]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no account "nobody@example.com"/);
  }, 60_000);

  it("enable asks Google again: an account that still needs verification is not marked active", async () => {
    fake.addAccount({ email: "verify-me@example.com", scenario: "validation-required" });
    await writeFile(join(dir, "verify.json"), JSON.stringify(fake.oauthCreds("verify-me@example.com")));
    expect((await acc(["import", "verify.json", "-ek", KEY_A])).stdout).toMatch(
      /account verify-me@example\.com needs_verification/,
    );
    expect((await acc(["disable", "verify-me@example.com", "-ek", KEY_A])).code).toBe(0);
    const enabled = await acc(["enable", "verify-me@example.com", "-ek", KEY_A]);
    expect(enabled.code).toBe(0);
    expect(enabled.stdout).toMatch(/enabled oauth-\w+ \(verify-me@example\.com\): needs_verification/);
    const listed = JSON.parse((await acc(["list", "--json", "-ek", KEY_A])).stdout) as {
      email?: string;
      state: { status: string };
    }[];
    expect(listed.find((v) => v.email === "verify-me@example.com")?.state.status).toBe("needs_verification");
    expect((await acc(["remove", "verify-me@example.com", "-ek", KEY_A])).code).toBe(0);
  }, 60_000);

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

describe("a running server on fs storage", () => {
  it("picks up accounts another process imports, without a restart, and serves with them", async () => {
    const watchConfig = join(dir, "watch.json");
    await writeFile(
      watchConfig,
      JSON.stringify({
        server: { host: "127.0.0.1", port: 0 },
        auth_keys: ["watch-client-key"],
        admin_username: "admin",
        admin_password: "watch-admin-password",
        endpoints: fakeEndpoints(fake),
        data_dir: "watch-data",
      }),
    );
    const server = await cli.start(["-c", watchConfig], { cwd: dir });
    try {
      expect(server.output()).toMatch(/0 usable credential\(s\) of 0/);
      const key = fake.addApiKey();
      await writeFile(join(dir, "late-keys.txt"), `${key}\n`);
      const imported = await runBin(cli, ["accounts", "import", "late-keys.txt", "-c", watchConfig], { cwd: dir });
      expect(imported.stdout).toContain(`✔ key AIza…${key.slice(-4)} active`);
      const auth = `Basic ${Buffer.from("admin:watch-admin-password").toString("base64")}`;
      const started = Date.now();
      let listed: { key_label: string }[] = [];
      while (Date.now() - started < 5000) {
        const res = await fetch(`${server.url}/admin/credentials`, { headers: { authorization: auth } });
        listed = (await res.json()) as { key_label: string }[];
        if (listed.length) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(listed.map((c) => c.key_label)).toEqual([`AIza…${key.slice(-4)}`]);
      const res = await fetch(`${server.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
        method: "POST",
        headers: { "x-goog-api-key": "watch-client-key", "content-type": "application/json" },
        body: JSON.stringify({ contents: [{ parts: [{ text: "after the import" }] }] }),
      });
      expect(res.status).toBe(200);
      expect(fake.last({ action: "generateContent" })?.apiKey).toBe(key);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 60_000);
});
