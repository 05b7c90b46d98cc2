// The operator's view of the installed CLI (npm pack): help that fits 120 columns, typos refused,
// start-up notes (weak secrets, a credentials file to come, the generated key's home), JSON log
// lines with fields and request ids, probes, data commands with clean stdout, and redis: ioredis
// missing, then unreachable at start (serves, not ready) and recovered when it comes up.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeEndpoints } from "./cli-config.ts";
import { installCli, runBin, type CliInstall } from "./cli-install.ts";
import { checkRedis, freePort, startRedis, type RedisServer } from "./_redis.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

const CLIENT = "ops-client-key-long-enough";
let cli: CliInstall;
let fake: FakeGoogle;
let dir: string;
let apiKey: string;

async function config(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const path = join(dir, `${name}.json`);
  await writeFile(
    path,
    JSON.stringify({
      server: { port: 0 },
      auth_keys: [CLIENT],
      gemini_api_keys: [apiKey],
      endpoints: fakeEndpoints(fake),
      storage: { driver: "fs", base: join(dir, `${name}-data`) },
      ...extra,
    }),
  );
  return path;
}

const generate = (url: string, headers: Record<string, string>) =>
  fetch(`${url}/v1beta/models/gemini-2.5-flash:generateContent`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ contents: [{ parts: [{ text: "ops" }] }] }),
  });

async function until<T>(fn: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 200));
  }
}

const jsonLines = (output: string) =>
  output
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  [cli, fake] = await Promise.all([installCli(), createFakeGoogle()]);
  apiKey = fake.addApiKey();
  dir = await mkdtemp(join(tmpdir(), "gcp-ops-"));
}, 120_000);
afterAll(async () => {
  cli?.cleanup();
  await fake?.close();
});

describe("the CLI for operators (installed from npm pack)", () => {
  it("--help fits 120 columns for every command; auth is login's alias; a mistyped flag is refused", async () => {
    // Every command and subcommand the CLI has.
    const accounts = ["list", "import", "remove", "disable", "enable", "export"].map((c) => ["accounts", c]);
    const keys = ["create", "list", "update", "revoke"].map((c) => ["keys", c]);
    const all = [
      [],
      ["run"],
      ["login"],
      ["auth"],
      ["accounts"],
      ...accounts,
      ["keys"],
      ...keys,
      ["generate-key"],
      ["config"],
      ["config", "check"],
      ["rekey"],
    ];
    const helps = await Promise.all(all.map((args) => runBin(cli, [...args, "--help"])));
    helps.forEach((help, i) => {
      expect(help.code).toBe(0);
      const wide = help.stdout.split("\n").filter((line) => line.length > 120);
      expect(wide, `${all[i]!.join(" ")} --help`).toEqual([]);
      expect(help.stdout, `${all[i]!.join(" ")} --help`).toMatch(/USAGE/);
    });
    const root = (await runBin(cli, ["--help"])).stdout;
    expect(root).toMatch(/^ +login, auth +Sign in with a Google account/m);
    expect(root).not.toMatch(/^ +auth +/m);
    expect(root).not.toContain("Examples:");
    const typo = await runBin(cli, ["run", "--prot", "9000"]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("Unknown option --prot. Did you mean --port?");
    const nested = await runBin(cli, ["accounts", "list", "--jsn"]);
    expect([nested.code, nested.stderr]).toEqual([1, expect.stringContaining("Did you mean --json?")]);
    const root2 = await runBin(cli, ["--shutdown-timout", "3"]);
    expect(root2.stderr).toContain("Did you mean --shutdown-timeout?");
    expect((await runBin(cli, ["-c", "x.json", "--port=0", "-ek=abc", "--help"])).code).toBe(0);
  }, 90_000);

  it("start-up: weak secrets and a credentials file to come are named; JSON lines carry fields and request ids", async () => {
    const credentials = join(dir, "later", "credentials.json");
    const path = await config("startup", {
      auth_keys: ["change-me", CLIENT, "short-key"],
      admin: { username: "admin", password: "admin" },
      credentials_file: credentials,
      log_format: "json",
    });
    const server = await cli.start(["-c", path]);
    const startup = jsonLines(server.output());
    const warnings = startup.filter((l) => l.level === "warn").map((l) => String(l.msg));
    expect(warnings).toContainEqual(expect.stringMatching(/client key #1 of auth_keys is a well-known example value/));
    expect(warnings).toContainEqual(expect.stringMatching(/client key #3 of auth_keys is only 9 characters/));
    expect(warnings).toContainEqual(expect.stringMatching(/admin password is a well-known example value/));
    expect(warnings.some((w) => w.includes("#2"))).toBe(false);
    expect(startup.map((l) => String(l.msg))).toContainEqual(
      expect.stringContaining(
        `credentials_file ${credentials} does not exist yet: it will be created when an account is added`,
      ),
    );

    const ok = await generate(server.url, { "x-goog-api-key": CLIENT, "x-request-id": "ops-trace-1" });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-request-id")).toBe("ops-trace-1");
    const refused = await generate(server.url, { "x-goog-api-key": "not-a-key" });
    expect(refused.status).toBe(401);
    expect((await fetch(`${server.url}/livez`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { ready: true, usable_credentials: 1, storage: "ok" }]);
    const basic = `Basic ${Buffer.from("admin:admin").toString("base64")}`;
    const metrics = await (await fetch(`${server.url}/metrics`, { headers: { authorization: basic } })).text();
    expect(metrics).toMatch(/gemini_proxy_auth_failures_total\{reason="invalid"\} 1/);
    expect(await server.stop()).toBe(0);

    const lines = jsonLines(server.output());
    const request = lines.find((l) => l.request_id === "ops-trace-1");
    expect(request).toMatchObject({
      level: "info",
      tag: "http",
      event: "request",
      method: "POST",
      path: "/v1beta/models/gemini-2.5-flash:generateContent",
      status: 200,
      model: "gemini-2.5-flash",
      surface: "gemini",
      attempts: 1,
    });
    expect(request!.duration_ms).toBeTypeOf("number");
    expect(String(request!.credential)).toMatch(/^key-/);
    expect(request!.client_key).toMatch(/^key-[0-9a-f]{8}$/);
    const auth = lines.find((l) => l.event === "auth.refused");
    expect(auth).toMatchObject({ level: "warn", status: 401, reason: "invalid", source: "127.0.0.1" });
    const output = server.output();
    expect(output).not.toContain(CLIENT);
    expect(output).not.toContain(apiKey);
    expect(output).not.toContain("not-a-key");
  });

  it("without auth_keys: the generated key's file is named with how to show and rotate it", async () => {
    const data = join(dir, "generated-data");
    const path = await config("generated", { auth_keys: undefined, storage: { driver: "fs", base: data } });
    const server = await cli.start(["-c", path]);
    expect(server.output()).toContain(`stored in ${join(data, "keys", "generated")}`);
    expect(server.output()).toMatch(/show it again: cat .*; rotate it: delete that file and restart/);
    await server.stop();
  });

  it("accounts list --json / export -o - at --log-level debug: stdout is only the data", async () => {
    const path = await config("data");
    const list = await runBin(cli, ["accounts", "list", "-c", path, "--json", "--log-level", "debug"]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
    expect(list.stderr).toMatch(/settings: config/); // the debug lines went to stderr
    const jsonLog = await runBin(cli, [
      "accounts",
      "list",
      "-c",
      path,
      "--json",
      "--log-level",
      "debug",
      "--log-format",
      "json",
    ]);
    expect(JSON.parse(jsonLog.stdout)).toEqual([]);
    const exported = await runBin(cli, [
      "accounts",
      "export",
      "-c",
      path,
      "-o",
      "-",
      "--format",
      "json",
      "--log-level",
      "debug",
    ]);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toBeTypeOf("object");
  });

  describe.skipIf(!checkRedis("cli redis start-up"))("redis", () => {
    let redis: RedisServer | undefined;
    afterAll(async () => redis?.close());

    it("storage.driver redis without ioredis installed: one line that says what to install", async () => {
      const path = await config("no-ioredis", { storage: { driver: "redis", url: "redis://127.0.0.1:1" } });
      const result = await runBin(cli, ["-c", path]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(/optional package ioredis: install it with `npm i ioredis`/);
    });

    let ioredis: Promise<unknown> | undefined;
    const installIoredis = () =>
      (ioredis ??= promisify(execFile)(
        "npm",
        ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", "ioredis@5"],
        { cwd: cli.dir },
      ));

    it("redis unreachable at start: serves (livez 200), not ready until redis comes up, then recovers", async () => {
      await installIoredis();
      const port = await freePort();
      const path = await config("redis-down", {
        storage: { driver: "redis", url: `redis://127.0.0.1:${port}`, base: "ops" },
        log_format: "json",
      });
      const server = await cli.start(["-c", path]);
      expect((await fetch(`${server.url}/livez`)).status).toBe(200);
      const notReady = await fetch(`${server.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({ ready: false, storage: "unavailable", usable_credentials: 1 });
      // It serves from memory meanwhile.
      expect((await generate(server.url, { "x-goog-api-key": CLIENT })).status).toBe(200);
      redis = await startRedis({ port });
      const ready = await until(async () => {
        const res = await fetch(`${server.url}/readyz`);
        return res.status === 200 ? ((await res.json()) as Record<string, unknown>) : undefined;
      }, 20_000);
      expect(ready).toEqual({ ready: true, usable_credentials: 1, storage: "ok" });
      // Redis going away again never ends the process: it stays ready, storage degraded.
      await redis.stop("SIGKILL");
      const degraded = await until(async () => {
        const body = (await (await fetch(`${server.url}/readyz`)).json()) as Record<string, unknown>;
        return body.storage === "degraded" ? body : undefined;
      }, 15_000);
      expect(degraded).toMatchObject({ ready: true });
      expect((await generate(server.url, { "x-goog-api-key": CLIENT })).status).toBe(200);
      expect(server.child.exitCode).toBeNull();
      expect(await server.stop()).toBe(0);
      const messages = jsonLines(server.output()).map((l) => String(l.msg));
      expect(messages.some((m) => /redis is back/.test(m))).toBe(true);
    }, 90_000);

    it("redis unreachable at start without auth_keys: stops, saying the generated key cannot be read and what to do", async () => {
      await installIoredis();
      const port = await freePort();
      const path = await config("redis-down-no-keys", {
        auth_keys: undefined,
        storage: { driver: "redis", url: `redis://127.0.0.1:${port}`, base: "nokeys" },
      });
      const result = await runBin(cli, ["-c", path]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /no auth_keys configured, and the generated client key cannot be read from the redis key nokeys:keys:generated/,
      );
      expect(result.stderr).toMatch(/Set auth_keys \(or GEMINI_PROXY_AUTH_KEYS\), or make the storage reachable/);
    }, 90_000);
  });
});
