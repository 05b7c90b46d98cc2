// `gemini-cli-proxy login` as users run it (the package packed and installed, see cli-install.ts), against the fake
// Google: --no-browser with the code on stdin, the loopback server (and a pasted redirect URL),
// --server pushes with and without admin credentials, a running server picking the account up, and the failures.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStorage } from "unstorage";
import fsLiteDriver from "unstorage/drivers/fs-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy, type StorageLike } from "../src/index.ts";
import { listen, proxyOptionsFor } from "./_setup.ts";
import { ADMIN, consent } from "./_login.ts";
import { installCli, type CliInstall } from "./cli-install.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { fakeEndpoints } from "./cli-config.ts";

let cli: CliInstall;

interface Run {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  waitFor: (re: RegExp, ms?: number) => Promise<RegExpExecArray>;
  exit: Promise<number | null>;
}

function runLogin(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(cli.bin, ["login", ...args], {
    env: cli.env({ BROWSER: "", ...env }),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const waitFor = async (re: RegExp, ms = 15_000) => {
    const start = Date.now();
    for (;;) {
      const match = re.exec(out);
      if (match) return match;
      if (child.exitCode !== null || Date.now() - start > ms)
        throw new Error(`no ${re} in output (exit ${child.exitCode}):\n${out}\n${err}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { child, out: () => out, err: () => err, waitFor, exit };
}

const URL_LINE = /^ {2}(http\S+)$/m;

describe("gemini-cli-proxy login", () => {
  let fake: FakeGoogle;
  let dir: string;
  let config: string;
  beforeAll(async () => {
    [cli, fake] = await Promise.all([installCli(), createFakeGoogle()]);
    dir = await mkdtemp(join(tmpdir(), "gcp-login-"));
    config = join(dir, "config.json");
    await writeFile(
      config,
      JSON.stringify({
        endpoints: fakeEndpoints(fake),
      }),
    );
  });
  afterAll(async () => {
    cli?.cleanup();
    await fake?.close();
  });

  const storedEmails = async (dataDir: string) => {
    const storage = createStorage({ driver: fsLiteDriver({ base: dataDir }) }) as unknown as StorageLike;
    const proxy = createGeminiProxy(proxyOptionsFor(fake, { storage }));
    await proxy.pool.ready();
    const emails = proxy.pool.list().map((c) => c.email);
    await proxy.close();
    return emails;
  };

  it("--no-browser: prints Google's URL (authcode + PKCE), reads the pasted code, stores the account", async () => {
    fake.setConsent({ email: "cli-code@example.com" });
    const data = join(dir, "data-code");
    // A browser is available ($BROWSER), yet --no-browser chooses the code flow.
    const run = runLogin(["-c", config, "--data-dir", data, "--no-browser"], { BROWSER: "true" });
    const url = new URL((await run.waitFor(URL_LINE))[1]!);
    await run.waitFor(/Paste the authorization code/);
    expect(url.searchParams.get("redirect_uri")).toBe("https://codeassist.google.com/authcode");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    const google = await consent(url.toString());
    run.child.stdin!.write(`${google.code}\n`);
    expect(await run.exit).toBe(0);
    expect(run.out()).toMatch(/cli-code@example\.com added/);
    // While Google checks the account there is something on screen, then the summary.
    expect(run.out()).toMatch(/Checking the account with Google…[\s\S]*cli-code@example\.com added/);
    expect(run.out()).toMatch(/^ {2}email {3}cli-code@example\.com$/m);
    expect(run.out()).toMatch(/^ {2}status {2}active$/m);
    expect(run.out()).toMatch(/^ {2}tier {4}\S+/m);
    expect(run.out()).toMatch(/^ {2}project {1}\S+/m);
    expect(run.out() + run.err()).not.toContain(google.code!);
    expect(typeof (fake.last({ action: "token" })!.body as Record<string, unknown>).code_verifier).toBe("string");
    expect(await storedEmails(data)).toContain("cli-code@example.com");
  });

  it("an account added by login appears in a server running on the same storage, without a restart", async () => {
    const data = join(dir, "data-running");
    const server = await cli.start(["-c", config, "--data-dir", data, "--host", "127.0.0.1", "--port", "0"]);
    try {
      fake.setConsent({ email: "cli-live@example.com" });
      const run = runLogin(["-c", config, "--data-dir", data, "--no-browser"]);
      const google = await consent((await run.waitFor(URL_LINE))[1]!);
      run.child.stdin!.write(`${google.code}\n`);
      expect(await run.exit).toBe(0);
      // Loopback without admin credentials: the admin API answers local clients.
      let emails: string[] = [];
      for (const end = Date.now() + 8000; Date.now() < end && !emails.length;) {
        const res = await fetch(`${server.url}/admin/credentials`);
        emails = ((await res.json()) as { email?: string }[]).map((c) => c.email ?? "");
        if (!emails.length) await new Promise((r) => setTimeout(r, 100));
      }
      expect(emails).toEqual(["cli-live@example.com"]);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it("with a browser: loopback callback server on 127.0.0.1, the browser's redirect finishes the login", async () => {
    fake.setConsent({ email: "cli-loop@example.com" });
    const data = join(dir, "data-loop");
    // BROWSER=true: "opening the browser" runs `true`; this test plays the browser.
    const run = runLogin(["-c", config, "--data-dir", data], { BROWSER: "true" });
    const url = new URL((await run.waitFor(URL_LINE))[1]!);
    expect(url.searchParams.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2callback$/);
    const google = await consent(url.toString());
    const page = await fetch(google.location!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Authentication Successful!");
    expect(await run.exit).toBe(0);
    // The same summary block as --no-browser and --server.
    expect(run.out()).toMatch(/Checking the account with Google…[\s\S]*cli-loop@example\.com added/);
    expect(run.out()).toMatch(/^ {2}email {3}cli-loop@example\.com$/m);
    expect(run.out()).toMatch(/^ {2}project {1}\S+$/m);
    expect(run.out()).toMatch(/^ {2}tier {4}\S+$/m);
    expect(run.out()).toMatch(/^ {2}status {2}active$/m);
    expect(await storedEmails(data)).toContain("cli-loop@example.com");
  });

  it("loopback with the browser elsewhere: the dead redirect URL pasted on stdin finishes the login", async () => {
    fake.setConsent({ email: "cli-paste@example.com" });
    const data = join(dir, "data-paste");
    const run = runLogin(["-c", config, "--data-dir", data], { BROWSER: "true" });
    const google = await consent((await run.waitFor(URL_LINE))[1]!);
    const wrong = new URL(google.location!);
    wrong.searchParams.set("state", "0".repeat(64));
    run.child.stdin!.write(`${wrong}\n`);
    await run.waitFor(/State mismatch.*Paste the full address again/);
    run.child.stdin!.write(`${google.location}\n`);
    expect(await run.exit).toBe(0);
    expect(await storedEmails(data)).toContain("cli-paste@example.com");
  });

  it("a wrong code: exit 1 with invalid_grant, nothing stored", async () => {
    const data = join(dir, "data-bad");
    const run = runLogin(["-c", config, "--data-dir", data, "--no-browser"]);
    await run.waitFor(/Paste the authorization code/);
    run.child.stdin!.write("4/0AbNotAValidCode\n");
    expect(await run.exit).toBe(1);
    expect(run.err()).toMatch(/invalid_grant/);
    expect(await storedEmails(data)).toEqual([]);
  });

  it("an ineligible account: exit 1 with Google's reason, not stored", async () => {
    fake.addAccount({ email: "cli-gone@example.com", scenario: "ineligible" });
    fake.setConsent({ email: "cli-gone@example.com" });
    const data = join(dir, "data-gone");
    const run = runLogin(["-c", config, "--data-dir", data, "--no-browser"]);
    const google = await consent((await run.waitFor(URL_LINE))[1]!);
    run.child.stdin!.write(`${google.code}\n`);
    expect(await run.exit).toBe(1);
    expect(run.out()).toMatch(/cli-gone@example\.com was not added: Google says the account is ineligible/);
    expect(await storedEmails(data)).toEqual([]);
  });

  describe("--server", () => {
    const servers: { proxy: GeminiProxy; close: () => Promise<void> }[] = [];
    const start = async (admin?: typeof ADMIN) => {
      const proxy = createGeminiProxy(proxyOptionsFor(fake, admin ? { admin } : {}));
      const server = await listen(proxy.node);
      servers.push({ proxy, close: server.close });
      return { proxy, url: server.url };
    };
    afterAll(async () => {
      for (const s of servers) {
        await s.close();
        await s.proxy.close();
      }
    });

    const pushLogin = async (email: string, url: string, extra: string[]) => {
      fake.setConsent({ email });
      const run = runLogin(["-c", config, "--no-browser", "--server", url, ...extra]);
      const google = await consent((await run.waitFor(URL_LINE))[1]!);
      run.child.stdin!.write(`${google.code}\n`);
      return { run, code: await run.exit };
    };

    it("pushes to POST /admin/credentials/add with the admin's Basic credentials", async () => {
      const server = await start(ADMIN);
      const { run, code } = await pushLogin("push@example.com", server.url, [
        "--admin-user",
        ADMIN.username,
        "--admin-password",
        ADMIN.password,
      ]);
      expect(code).toBe(0);
      expect(run.out()).toMatch(/\[SUCCESS\] Credential for '.+' processed successfully: credential_added/);
      // The same summary block as a local login (the server's admin API masks only the project).
      expect(run.out()).toMatch(/Checking the account with Google…/);
      expect(run.out()).toMatch(/^ {2}email {3}push@example\.com$/m);
      expect(run.out()).toMatch(/^ {2}status {2}active$/m);
      expect(run.out()).toMatch(/^ {2}project {1}\*\*\*-\S{4}$/m);
      expect(run.out()).toMatch(/^ {2}tier {4}\S+$/m);
      expect(server.proxy.pool.list().map((c) => c.email)).toContain("push@example.com");
      expect(run.out() + run.err()).not.toContain(ADMIN.password);
    });

    it("without admin credentials: refused by a protected server (exit 1, a hint), accepted by a loopback-only one", async () => {
      const guarded = await start(ADMIN);
      // Checked before the consent page: no URL is printed, nobody goes through Google for nothing.
      const consents = fake.count({ action: "token" });
      const refused = runLogin(["-c", config, "--no-browser", "--server", guarded.url]);
      expect(await refused.exit).toBe(1);
      expect(refused.err()).toMatch(/answered 401.*--admin-user/);
      expect(refused.out()).not.toMatch(URL_LINE);
      expect(fake.count({ action: "token" })).toBe(consents);
      const wrong = runLogin(["-c", config, "--no-browser", "--server", guarded.url, "--admin-user", "admin"], {
        GEMINI_PROXY_ADMIN_PASSWORD: "not-the-password",
      });
      expect(await wrong.exit).toBe(1);
      expect(wrong.err()).toMatch(/answered 401/);
      expect(wrong.out()).not.toMatch(URL_LINE);
      expect(guarded.proxy.pool.list().map((c) => c.email)).not.toContain("nopass@example.com");
      const local = await start();
      const accepted = await pushLogin("local-push@example.com", local.url, []);
      expect(accepted.code).toBe(0);
      expect(local.proxy.pool.list().map((c) => c.email)).toContain("local-push@example.com");
    });
  });
});
