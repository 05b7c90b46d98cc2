// The standalone server as users start it: the built bin, a predecessor-style config.json and
// credentials file, against the fake Google; then a clean SIGTERM shutdown.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

const BIN = join(import.meta.dirname, "..", "bin", "gemini-cli-proxy.mjs");

export function startCli(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, CI: "true", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match && /usable credential/.test(output)) resolve({ child, url: match[1]!, output: () => output });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`CLI exited with ${code} before listening:\n${output}`)));
  });
}

describe("gemini-cli-proxy run -c config.json", () => {
  let fake: FakeGoogle;
  let dir: string;
  beforeAll(async () => {
    fake = await createFakeGoogle();
    fake.addAccount({ email: "cli@example.com", scenario: "onboarded" });
    dir = await mkdtemp(join(tmpdir(), "gcp-cli-"));
  });
  afterAll(async () => {
    await fake.close();
  });

  it("serves the native API with the predecessor's files, then shuts down on SIGTERM", async () => {
    await writeFile(join(dir, "credentials.json"), JSON.stringify([fake.simpleCredential("cli@example.com")], null, 2));
    const config = {
      server: { host: "127.0.0.1", port: 0 },
      auth_keys: ["cli-key"],
      credentials_file: join(dir, "credentials.json"),
      log_level: "DEBUG",
      request_timeouts: { connect: 5, read: 10 },
      endpoints: {
        code_assist: fake.endpoints.codeAssist,
        gemini_api: fake.endpoints.geminiApi,
        oauth_token: fake.endpoints.oauthToken,
        userinfo: fake.endpoints.userinfo,
        tokeninfo: fake.endpoints.tokeninfo,
      },
      storage: { driver: "fs", base: join(dir, "data") },
    };
    await writeFile(join(dir, "config.json"), JSON.stringify(config));
    const { child, url, output } = await startCli(["run", "-c", join(dir, "config.json")]);
    expect(output()).toMatch(/1 usable credential/);
    const res = await fetch(`${url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: "POST",
      headers: { "x-goog-api-key": "cli-key", "content-type": "application/json" },
      body: JSON.stringify({ contents: [{ parts: [{ text: "from the cli" }] }] }),
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain("from the cli");
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const exited = new Promise<number | null>((r) => child.once("exit", r));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  it("accepts `-c` without the run subcommand and generates a key when none is configured", async () => {
    await writeFile(join(dir, "bare.json"), JSON.stringify({ server: { port: 0 }, storage: { driver: "fs", base: join(dir, "bare-data") } }));
    const { child, url, output } = await startCli(["-c", join(dir, "bare.json")], { GEMINI_PROXY_AUTH_KEYS: "" });
    const key = /\n\s+(gcp-[\w-]+)\n/.exec(output())?.[1];
    expect(key).toBeTruthy();
    expect((await fetch(`${url}/v1beta/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect((await fetch(`${url}/v1beta/models`, { headers: { authorization: "Bearer 123456" } })).status).toBe(401);
    child.kill("SIGTERM");
  });

  it("fails clearly on a missing config file", async () => {
    const child = spawn(process.execPath, [BIN, "run", "-c", join(dir, "missing.json")], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise((r) => child.once("exit", r));
    expect(code).toBe(1);
    expect(err).toMatch(/cannot read config file .*missing\.json: ENOENT/);
  });
});
