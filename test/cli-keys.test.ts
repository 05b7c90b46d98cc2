// `keys create|list|update|revoke` from the installed package, on the fs storage a running server
// shares: a key created by the CLI works on the server, limits apply, bad input exits non-zero
// naming the field, and a revocation reaches the running server within seconds.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeEndpoints } from "./cli-config.ts";
import { installCli, type CliInstall } from "./cli-install.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

let cli: CliInstall;
let fake: FakeGoogle;
let dir: string;
let config: string;

beforeAll(async () => {
  [cli, fake] = await Promise.all([installCli(), createFakeGoogle()]);
  dir = await mkdtemp(join(tmpdir(), "gcp-keys-"));
  config = join(dir, "config.json");
  await writeFile(
    config,
    JSON.stringify({
      auth_keys: ["static-key"],
      gemini_api_keys: [fake.addApiKey()],
      endpoints: fakeEndpoints(fake),
      data_dir: "data",
    }),
  );
}, 120_000);
afterAll(async () => {
  cli?.cleanup();
  await fake?.close();
});

const keys = (args: string[]) => cli.npx(["keys", ...args, "-c", config], { cwd: dir });
const chat = (url: string, key: string, model = "gemini-2.5-flash") =>
  fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });

describe("gemini-cli-proxy keys (installed from npm pack)", () => {
  it("create prints the key once; list shows limits; the running server honours it, updates and revocation", async () => {
    const created = await keys(["create", "alice", "--models", "gemini-2.5-flash*", "--rpm", "2", "--json"]);
    expect(created.code, created.stderr).toBe(0);
    const { key, id } = JSON.parse(created.stdout) as { key: string; id: string };
    expect(key).toMatch(/^gcp-[0-9A-Za-z]{32}$/);

    const list = await keys(["list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+alice\\s+gemini-2\\.5-flash\\*\\s+2\\s+-`));
    expect(list.stdout).not.toContain(key);

    const bad = await keys(["update", id, "--rpm", "-3"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("rpm");
    const unknown = await keys(["revoke", "ck_nope"]);
    expect(unknown.code).not.toBe(0);

    const server = await cli.start(["run", "-c", config, "--port", "0"], { cwd: dir });
    try {
      expect((await chat(server.url, key)).status).toBe(200);
      expect((await chat(server.url, key, "gemini-2.5-pro")).status).toBe(403);
      expect((await chat(server.url, key)).status).toBe(429);
      expect((await chat(server.url, "static-key", "gemini-2.5-pro")).status).toBe(200);

      const updated = await keys(["update", id, "--disabled"]);
      expect(updated.code, updated.stderr).toBe(0);
      await waitForStatus(() => chat(server.url, key), 401);
      const revoked = await keys(["revoke", id]);
      expect(revoked.code, revoked.stderr).toBe(0);
      expect(revoked.stdout).toContain(`revoked ${id}`);
      await waitForStatus(() => chat(server.url, key), 401);
      expect(server.output()).not.toContain(key);
    } finally {
      await server.stop();
    }
    expect((await keys(["list", "--json"])).stdout.trim()).toBe("[]");
  }, 60_000);
});

/** Polls until the server answers `status` (it reloads keys changed by another process within seconds). */
async function waitForStatus(send: () => Promise<Response>, status: number): Promise<void> {
  const deadline = Date.now() + 6000;
  let last = 0;
  while (Date.now() < deadline) {
    last = (await send()).status;
    if (last === status) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`expected ${status}, still ${last}`);
}
