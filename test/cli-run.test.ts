// `gemini-cli-proxy run` from the installed package, against the fake Google: defaults, precedence,
// every spelling of the encryption key, bad configs, JSON logs without secrets, graceful shutdown.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializeLegacyCredentials } from "../src/legacy/credentials-file.ts";
import { fakeEndpoints } from "./cli-config.ts";
import { installCli, runBin, type CliInstall } from "./cli-install.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

const KEY = "r8Qm2v1XKp7Tn0bYc5WfLh3sJd9uEa6Gz4oIy2kPwVQ=";
let cli: CliInstall;
let fake: FakeGoogle;
let dir: string;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** A config.json pointing at the fake Google, with an encrypted predecessor credentials file. */
async function setup(
  name: string,
  extra: Record<string, unknown> = {},
): Promise<{ config: string; creds: string; data: string }> {
  const creds = join(dir, `${name}-credentials.json`);
  await writeFile(creds, serializeLegacyCredentials([fake.simpleCredential("cli@example.com") as never], KEY));
  const data = join(dir, `${name}-data`);
  const config = join(dir, `${name}.json`);
  const endpoints = fakeEndpoints(fake);
  await writeFile(
    config,
    JSON.stringify({
      server: { port: 0 },
      auth_keys: ["cli-client-key"],
      credentials_file: creds,
      endpoints,
      storage: { driver: "fs", base: data },
      pool: { onboarding_poll_ms: 5 },
      ...extra,
    }),
  );
  return { config, creds, data };
}

const generate = (url: string, text: string) =>
  fetch(`${url}/v1beta/models/gemini-2.5-flash:generateContent`, {
    method: "POST",
    headers: { "x-goog-api-key": "cli-client-key", "content-type": "application/json" },
    body: JSON.stringify({ contents: [{ parts: [{ text }] }] }),
  });

beforeAll(async () => {
  [cli, fake] = await Promise.all([installCli(), createFakeGoogle()]);
  fake.addAccount({ email: "cli@example.com", scenario: "onboarded" });
  dir = await mkdtemp(join(tmpdir(), "gcp-run-"));
}, 120_000);
afterAll(async () => {
  cli?.cleanup();
  await fake?.close();
});

describe("gemini-cli-proxy run (installed from npm pack)", () => {
  it("defaults: 127.0.0.1:8889, data in ~/.gemini-cli-proxy, a generated key instead of 123456, reused on restart", async () => {
    const first = await cli.start([]);
    expect(first.url).toBe("http://127.0.0.1:8889");
    const key = /\n\s+(gcp-[\w-]+)\n/.exec(first.output())?.[1];
    expect(key).toBeTruthy();
    expect(first.output()).toContain("admin page http://127.0.0.1:8889/");
    expect(first.output()).toMatch(/0 usable credential\(s\) of 0/);
    expect(first.output()).toMatch(/gemini-cli-proxy login.*accounts import FILE/);
    expect((await fetch(`${first.url}/v1beta/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(
      200,
    );
    expect((await fetch(`${first.url}/v1beta/models`, { headers: { authorization: "Bearer 123456" } })).status).toBe(
      401,
    );
    expect(await first.stop()).toBe(0);
    expect(await readFile(join(cli.home, ".gemini-cli-proxy", "keys", "generated"), "utf8")).toContain(key!);
    const second = await cli.start(["--port", "0"]);
    expect(second.output()).not.toContain(key!); // printed once only
    expect((await fetch(`${second.url}/v1beta/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(
      200,
    );
    expect(await second.stop("SIGINT")).toBe(0);
  });

  it("precedence: --port > GEMINI_PROXY_PORT > server.port", async () => {
    const [a, b, c] = await Promise.all([freePort(), freePort(), freePort()]);
    const { config } = await setup("prec", { server: { port: a } });
    const fromFile = await cli.start(["-c", config, "-ek", KEY]);
    expect(fromFile.url).toBe(`http://127.0.0.1:${a}`);
    await fromFile.stop();
    const fromEnv = await cli.start(["-c", config, "-ek", KEY], { env: { GEMINI_PROXY_PORT: String(b) } });
    expect(fromEnv.url).toBe(`http://127.0.0.1:${b}`);
    await fromEnv.stop();
    const fromFlag = await cli.start(["run", "-c", config, "-ek", KEY, "--port", String(c), "--host", "127.0.0.1"], {
      env: { GEMINI_PROXY_PORT: String(b) },
    });
    expect(fromFlag.url).toBe(`http://127.0.0.1:${c}`);
    await fromFlag.stop();
  });

  it.each([
    ["-ek KEY", ["-ek", KEY], {}],
    ["run -ek KEY", ["run", "-ek", KEY], {}],
    ["-ek=KEY", [`-ek=${KEY}`], {}],
    ["--ek KEY", ["--ek", KEY], {}],
    ["run --encryption-key KEY", ["run", "--encryption-key", KEY], {}],
    ["GEMINI_PROXY_ENCRYPTION_KEY", [], { GEMINI_PROXY_ENCRYPTION_KEY: KEY }],
  ])("reads the encrypted predecessor file with `%s`", async (name, flags, env) => {
    const { config } = await setup(`ek-${name.replace(/\W+/g, "")}`);
    const [command, ...rest] = flags as string[];
    const server = await cli.start(
      command === "run" ? ["run", "-c", config, ...rest] : ["-c", config, ...(flags as string[])],
      { env },
    );
    expect(server.output()).toMatch(/1 usable credential\(s\) of 1/);
    const res = await generate(server.url, "hello through the packed cli");
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain("hello through the packed cli");
    expect(await server.stop()).toBe(0);
  });

  it("stops with a clear message and changes nothing on a missing or wrong key", async () => {
    const { config, creds } = await setup("nokey");
    const before = await readFile(creds, "utf8");
    const missing = await runBin(cli, ["-c", config]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /credentials file .* is encrypted: pass the encryption key with -ek\/--encryption-key or GEMINI_PROXY_ENCRYPTION_KEY/,
    );
    const wrong = await runBin(cli, ["-c", config, "-ek", "a-wrong-key-that-is-long-enough"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/does not decrypt/);
    expect(wrong.stderr + wrong.stdout).not.toContain("a-wrong-key-that-is-long-enough");
    expect(await readFile(creds, "utf8")).toBe(before);
  });

  it("refuses bad configs with the key path and the expected type", async () => {
    await writeFile(
      join(dir, "bad.json"),
      JSON.stringify({ server: { port: 70000 }, usage_logging: { enabled: "yes" }, extra_key: 1 }),
    );
    const bad = await runBin(cli, ["-c", join(dir, "bad.json")]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("server.port: expected an integer 0-65535, got 70000");
    expect(bad.stderr).toContain('usage_logging.enabled: expected a boolean, got "yes"');
    const badEnv = await runBin(cli, ["--port", "0"], { env: { GEMINI_PROXY_LOG_LEVEL: "LOUD" } });
    expect(badEnv.code).toBe(1);
    expect(badEnv.stderr).toMatch(/log_level: expected one of silent/);
    const missing = await runBin(cli, ["run", "-c", join(dir, "missing.json")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read config file .*missing\.json: ENOENT/);
  });

  it("--log-format json --log-level debug: one JSON object per line, tagged, secrets masked", async () => {
    const { config } = await setup("json", { log_level: "warning" });
    const server = await cli.start(["-c", config, "--log-format", "json", "--log-level", "debug"], {
      env: { GEMINI_PROXY_ENCRYPTION_KEY: KEY },
    });
    expect((await generate(server.url, "json logs")).status).toBe(200);
    await server.stop();
    const lines = server.output().trim().split("\n");
    const records = lines.map((line) => JSON.parse(line) as { level: string; tag?: string; msg: string });
    // The level reaches tagged children too (consola copies it at withTag() time).
    expect(records.some((r) => r.level === "debug" && r.tag === "http")).toBe(true);
    expect(records.find((r) => r.tag === "http" && r.msg.includes("generateContent"))?.msg).toMatch(
      /^POST \/v1beta\/models\/gemini-2\.5-flash:generateContent .*200/,
    );
    const output = server.output();
    expect(output).not.toMatch(/ya29\.fake-|1\/\/fake-|cli-client-key/);
    expect(output).not.toContain(KEY);
  });

  it("lets a stream in flight finish on SIGTERM, then exits 0", async () => {
    const { config } = await setup("drain");
    const server = await cli.start(["-c", config, "-ek", KEY]);
    fake.inject({ stream: { text: "alpha beta gamma delta epsilon zeta", deltaChars: 6, chunkDelayMs: 250 } });
    const res = await fetch(`${server.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, {
      method: "POST",
      headers: { "x-goog-api-key": "cli-client-key", "content-type": "application/json" },
      body: JSON.stringify({ contents: [{ parts: [{ text: "stream" }] }] }),
    });
    const reader = res.body!.getReader();
    let body = new TextDecoder().decode((await reader.read()).value);
    const exited = server.stop();
    for (let r = await reader.read(); !r.done; r = await reader.read()) body += new TextDecoder().decode(r.value);
    expect(
      body
        .match(/"text":"([^"]*)"/g)!
        .map((m) => m.slice(8, -1))
        .join(""),
    ).toBe("alpha beta gamma delta epsilon zeta");
    expect(body).toContain('"finishReason":"STOP"');
    expect(await exited).toBe(0);
    expect(server.output()).toMatch(/SIGTERM: shutting down[\s\S]*stopped/);
  });

  it("cuts a stream still running after --shutdown-timeout, and still exits 0", async () => {
    const { config } = await setup("cut");
    const server = await cli.start(["-c", config, "-ek", KEY, "--shutdown-timeout", "0.5"]);
    fake.inject({ stream: { text: "one two three four five six", deltaChars: 4, chunkDelayMs: 1500 } });
    const res = await fetch(`${server.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, {
      method: "POST",
      headers: { "x-goog-api-key": "cli-client-key", "content-type": "application/json" },
      body: JSON.stringify({ contents: [{ parts: [{ text: "stream" }] }] }),
    });
    const reader = res.body!.getReader();
    await reader.read();
    const started = Date.now();
    const exited = server.stop();
    const rest = (async () => {
      for (let r = await reader.read(); !r.done; r = await reader.read());
    })();
    await expect(rest).rejects.toThrow();
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.output()).toMatch(/cut the requests still running after 0\.5 s/);
  });
  it("--import-gemini-cli imports ~/.gemini/oauth_creds.json into an empty pool; `auth` is an alias of login", async () => {
    const { mkdir, rm } = await import("node:fs/promises");
    const gemini = join(cli.home, ".gemini");
    await mkdir(gemini, { recursive: true });
    fake.addAccount({ email: "laptop@example.com" });
    await writeFile(join(gemini, "oauth_creds.json"), JSON.stringify(fake.oauthCreds("laptop@example.com"), null, 2));
    try {
      const { config } = await setup("firststart", { credentials_file: undefined });
      const offered = await cli.start(["-c", config, "--data-dir", join(dir, "offer-data")]);
      expect(offered.output()).toMatch(/--import-gemini-cli/);
      expect(offered.output()).toMatch(/0 usable credential/);
      await offered.stop();
      const imported = await cli.start(["-c", config, "--data-dir", join(dir, "import-data"), "--import-gemini-cli"]);
      expect(imported.output()).toMatch(/imported .*oauth_creds\.json/);
      expect((await generate(imported.url, "imported")).status).toBe(200);
      await imported.stop();
    } finally {
      await rm(gemini, { recursive: true, force: true });
    }
    const help = await runBin(cli, ["auth", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout + help.stderr).toMatch(/--no-browser/);
  });
});
