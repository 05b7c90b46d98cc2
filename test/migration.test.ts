// Moving from the Python predecessor and back: its config.json and its encrypted credentials.json
// (made with openssl, not our code) work unchanged with `-c` and `-ek`, a request is served through
// the fake Google, and the file is left in the exact format the predecessor reads.
import { readFile, stat, writeFile } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { looksLikeFernetToken } from "../src/legacy/fernet.ts";
import { parseLegacyCredentials } from "../src/legacy/credentials-file.ts";
import { fakeEndpoints, PREDECESSOR_CONFIG } from "./cli-config.ts";
import { installCli, type CliInstall } from "./cli-install.ts";
import {
  hasPythonFernet,
  opensslFernetDecrypt,
  opensslFernetEncrypt,
  pythonFernetDecrypt,
  pythonJsonDumps,
} from "./encryption-openssl.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

// What the predecessor's `generate-key` prints, used as the passphrase (section 6.4).
const KEY = "q1Zp0c8hY2bN6fWm4sK9rT3vX7dL5gJ0aE2iU8oQ1yM=";
let cli: CliInstall;
let fake: FakeGoogle;

/** The predecessor's config.template.json on a free loopback port, plus `endpoints` to reach the fake Google. */
function predecessorConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...PREDECESSOR_CONFIG,
    server: { host: "127.0.0.1", port: 0 },
    project_id_map: {},
    endpoints: fakeEndpoints(fake),
    data_dir: "proxy-data",
    ...extra,
  };
}

beforeAll(async () => {
  [cli, fake] = await Promise.all([installCli(), createFakeGoogle()]);
  fake.addAccount({ email: "old-user@example.com", scenario: "onboarded" });
  fake.addAccount({ email: "new-user@example.com", scenario: "onboarded" });
  fake.addAccount({ email: "plain@example.com", scenario: "onboarded" });
}, 120_000);
afterAll(async () => {
  cli?.cleanup();
  await fake?.close();
});

describe("migration from the Python proxy", () => {
  it("runs on its config.json and encrypted credentials.json, and leaves the file readable by it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gcp-migrate-"));
    const original = fake.simpleCredential("old-user@example.com", { withProject: false });
    await writeFile(join(dir, "config.json"), JSON.stringify(predecessorConfig(), null, 2));
    await writeFile(join(dir, "credentials.json"), opensslFernetEncrypt(JSON.stringify([original], null, 2), KEY));

    // Exactly the predecessor's command line, relative paths resolved against the working directory.
    const server = await cli.start(["run", "-c", "config.json", "-ek", KEY], { cwd: dir });
    expect(server.output()).toMatch(/1 usable credential\(s\) of 1/);
    const chat = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer your-secret-key-2", "content-type": "application/json" },
      body: JSON.stringify({
        model: "gemini-2.5-flash",
        messages: [{ role: "user", content: "hello from the old proxy's users" }],
      }),
    });
    expect(chat.status).toBe(200);
    expect(
      ((await chat.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content,
    ).toContain("hello from the old proxy's users");
    expect(fake.last({ action: "generateContent" })?.email).toBe("old-user@example.com");

    // The predecessor's add route and body: the account lands in the file too.
    const add = await fetch(`${server.url}/admin/credentials/add`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ credential: fake.simpleCredential("new-user@example.com") }),
    });
    expect(add.status).toBeLessThan(300);
    expect(await server.stop("SIGINT")).toBe(0);

    const token = await readFile(join(dir, "credentials.json"), "utf8");
    expect(looksLikeFernetToken(token)).toBe(true);
    const text = opensslFernetDecrypt(token, KEY); // the predecessor's scheme, decrypted without our code
    const written = JSON.parse(text) as Record<string, unknown>[];
    expect(written).toHaveLength(2);
    expect(written[0]).toEqual({
      access_token: expect.stringMatching(/^ya29\./),
      refresh_token: original.refresh_token,
      token_type: "Bearer",
      expiry_date: expect.any(Number),
      scopes: original.scopes,
      project_id: expect.any(String), // discovered and persisted, as the predecessor does
    });
    expect(written[1]!.refresh_token).toBe(fake.simpleCredential("new-user@example.com").refresh_token);
    expect(Object.keys(written[1]!)).toEqual([
      "access_token",
      "refresh_token",
      "token_type",
      "expiry_date",
      "scopes",
      "project_id",
    ]);
    expect(parseLegacyCredentials(token, KEY).credentials).toEqual(written);
    // Byte for byte what Python's json.dumps(indent=2, ensure_ascii=False) writes, and decryptable
    // by cryptography.fernet itself when it is installed.
    if (hasPythonFernet) {
      expect(text).toBe(pythonJsonDumps(text));
      expect(pythonFernetDecrypt(token, KEY)).toBe(text);
    }
  });

  it("encrypts a plain credentials file in place on the first start with -ek, keeping a .bak", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gcp-migrate-plain-"));
    const plain = JSON.stringify([fake.simpleCredential("plain@example.com")], null, 2);
    await writeFile(join(dir, "config.json"), JSON.stringify(predecessorConfig()));
    await writeFile(join(dir, "credentials.json"), plain);
    const server = await cli.start(["-c", "config.json", "--ek", KEY], { cwd: dir });
    expect(server.output()).toMatch(
      /encrypted .*credentials\.json in place; its plain-text copy is .*credentials\.json\.bak/,
    );
    expect(await server.stop()).toBe(0);
    expect(await readFile(join(dir, "credentials.json.bak"), "utf8")).toBe(plain);
    expect((await stat(join(dir, "credentials.json"))).mode & 0o777).toBe(0o600);
    const decrypted = JSON.parse(opensslFernetDecrypt(await readFile(join(dir, "credentials.json"), "utf8"), KEY));
    expect(decrypted[0].refresh_token).toBe(JSON.parse(plain)[0].refresh_token);
    // Going back: without the key the file is refused, as the predecessor refuses it.
    const again = await cli.npx(["-c", "config.json"], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is encrypted: pass the encryption key/);
  });
});
