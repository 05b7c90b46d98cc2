// One-shot commands of the installed package, run as `npx gemini-cli-proxy ...`: help and examples
// for every command, --version, generate-key, config check, and unknown commands.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installCli, type CliInstall } from "./cli-install.ts";

let cli: CliInstall;
let dir: string;
beforeAll(async () => {
  cli = await installCli();
  dir = await mkdtemp(join(tmpdir(), "gcp-cmd-"));
}, 120_000);
afterAll(() => cli?.cleanup());

describe("npx gemini-cli-proxy (installed from npm pack)", () => {
  it("prints --version and the root help with every command and flag", async () => {
    expect((await cli.npx(["--version"])).stdout.trim()).toBe("0.1.0");
    const help = await cli.npx(["--help"]);
    expect(help.code).toBe(0);
    for (const word of [
      "run",
      "accounts",
      "generate-key",
      "config",
      "rekey",
      "-c, --config",
      "-ek, --encryptionKey",
      "--host",
      "--port",
      "--dataDir",
      "--logLevel",
      "--logFormat",
      "EXAMPLES",
    ]) {
      expect(help.stdout).toContain(word);
    }
  });

  it.each([
    [
      ["run", "--help"],
      ["--shutdownTimeout", "-ek, --encryptionKey", "gemini-cli-proxy -c config.json -ek KEY"],
    ],
    [["generate-key", "--help"], ["gemini-cli-proxy generate-key"]],
    [
      ["config", "check", "--help"],
      ["-c, --config", "gemini-cli-proxy config check -c config.json"],
    ],
    [
      ["rekey", "--help"],
      ["--from", "--to", "gemini-cli-proxy rekey"],
    ],
    [
      ["accounts", "--help"],
      ["list", "import", "remove", "disable", "enable", "export"],
    ],
    [
      ["accounts", "list", "--help"],
      ["--json", "gemini-cli-proxy accounts list"],
    ],
    [
      ["accounts", "import", "--help"],
      ["FILES", "oauth_creds.json"],
    ],
    [
      ["accounts", "remove", "--help"],
      ["ACCOUNT", "gemini-cli-proxy accounts remove"],
    ],
    [
      ["accounts", "disable", "--help"],
      ["ACCOUNT", "gemini-cli-proxy accounts disable"],
    ],
    [
      ["accounts", "enable", "--help"],
      ["ACCOUNT", "gemini-cli-proxy accounts enable"],
    ],
    [
      ["accounts", "export", "--help"],
      ["--output", "--format", "--encrypt", "gemini-cli-proxy accounts export"],
    ],
  ])("%j has help with examples", async (args, expected) => {
    const result = await cli.npx(args);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("EXAMPLES");
    for (const text of expected) expect(result.stdout).toContain(text);
  });

  it("generate-key prints a Fernet key alone on stdout and the advice on stderr", async () => {
    const [a, b] = await Promise.all([cli.npx(["generate-key"]), cli.npx(["generate-key"])]);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^[A-Za-z0-9_-]{43}=\n$/);
    expect(Buffer.from(a.stdout.trim(), "base64url")).toHaveLength(32);
    expect(a.stdout).not.toBe(b.stdout);
    expect(a.stderr).toMatch(/GEMINI_PROXY_ENCRYPTION_KEY/);
    expect(a.stderr).toMatch(/rekey --from OLD --to NEW/);
  });

  it("config check: 0 when valid, 0 with warnings only, 1 with every error and its key path", async () => {
    await writeFile(
      join(dir, "good.json"),
      JSON.stringify({ server: { port: 8889 }, auth_keys: ["k"], log_level: "DEBUG" }),
    );
    await writeFile(join(dir, "warn.json"), JSON.stringify({ auth_keys: ["k"], colour: "blue" }));
    await writeFile(
      join(dir, "bad.json"),
      JSON.stringify({ server: { port: "x" }, request_timeouts: { read: -5 }, gemini_api_keys: "AIza" }),
    );
    const good = await cli.npx(["config", "check", "-c", join(dir, "good.json")]);
    expect([good.code, good.stdout.trim()]).toEqual([0, `${join(dir, "good.json")}: valid`]);
    const warn = await cli.npx(["config", "check", join(dir, "warn.json")]);
    expect(warn.code).toBe(0);
    expect(warn.stdout).toContain("warning colour: unknown key, ignored");
    const bad = await cli.npx(["config", "check", "-c", join(dir, "bad.json")]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('error   server.port: expected an integer 0-65535, got "x"');
    expect(bad.stdout).toContain("error   request_timeouts.read: expected a positive number, got -5");
    expect(bad.stdout).toContain('error   gemini_api_keys: expected an array of strings, got "AIza"');
    expect(bad.stdout).toContain("3 error(s)");
    const missing = await cli.npx(["config", "check", "-c", join(dir, "nope.json")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read config file .*nope\.json: ENOENT/);
  });

  it("refuses an unknown command", async () => {
    const result = await cli.npx(["frobnicate"]);
    expect(result.code).toBe(1);
    expect(result.stderr + result.stdout).toMatch(/Unknown command/);
  });
});
