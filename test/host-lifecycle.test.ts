// Lifecycle for hosts: nothing runs at import or construction; ready() does the start-up work;
// close() leaves no timers, sockets or connections behind (tests and hot reloads must not leak).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createStorage } from "unstorage";
import fsDriver from "unstorage/drivers/fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type StorageLike } from "../src/index.ts";
import { authHeaders, CLIENT_KEY } from "./_setup.ts";
import { createHostFake, HOST_ACCOUNT, hostProxyOptions } from "./_host-scenario.ts";
import type { FakeGoogle } from "./fake-google/index.ts";

/** Active resources by kind ("Timeout", "TCPSocketWrap", ...), as counts. */
function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

async function settle(): Promise<void> {
  // Closed sockets and cleared timers leave the list on the next turns of the loop.
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 20));
}

describe("lifecycle", () => {
  let fake: FakeGoogle;
  let dir: string;
  beforeAll(async () => {
    fake = await createHostFake();
    dir = await mkdtemp(join(tmpdir(), "gcp-lifecycle-"));
  });
  afterAll(async () => {
    await fake?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("does no work at import time", () => {
    const root = fileURLToPath(new URL("..", import.meta.url));
    const script = [
      'await import("./src/index.ts");',
      'await import("./src/h3-v1.ts");',
      "await new Promise((r) => setTimeout(r, 50));",
      "console.log(JSON.stringify(process.getActiveResourcesInfo()));",
    ].join("\n");
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
    });
    // Only kinds the library could start count: the child's stdio pipes and tsx's loader do not.
    const ours = /^(Timeout|Immediate|TCP|FS|StatWatcher|GetAddrInfo|Process|Signal)/;
    expect((JSON.parse(out.trim()) as string[]).filter((kind) => ours.test(kind))).toEqual([]);
  });

  it("does no I/O at construction: an fs storage dir appears only with ready()", async () => {
    const base = join(dir, "not-yet", "data");
    const storage = createStorage({ driver: fsDriver({ base }) }) as unknown as StorageLike;
    const before = fake.requests.length;
    const proxy = createGeminiProxy(hostProxyOptions(fake, { storage }));
    await settle();
    expect(existsSync(join(dir, "not-yet"))).toBe(false);
    expect(fake.requests.length).toBe(before); // no token refresh, no loadCodeAssist yet
    await proxy.ready();
    expect(fake.requests.length).toBeGreaterThan(before);
    await proxy.close(); // flushes queued writes
    expect(existsSync(base)).toBe(true); // the imported account was persisted
  });

  it("leaves no active handles or timers after creating, using and closing 20 proxies", async () => {
    await settle();
    const before = resources();
    for (let i = 0; i < 20; i++) {
      const proxy = createGeminiProxy(hostProxyOptions(fake));
      // Exercise the pool and an upstream keep-alive connection before closing.
      const res = await proxy.fetch(
        new Request("http://host.test/v1/chat/completions", {
          method: "POST",
          headers: authHeaders(),
          body: JSON.stringify({ model: "gemini-2.5-flash", messages: [{ role: "user", content: `n${i}` }] }),
        }),
      );
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      await proxy.close();
    }
    await settle();
    const after = resources();
    const grown = [...after]
      .filter(([kind, n]) => n > (before.get(kind) ?? 0))
      .map(([kind, n]) => `${kind}: ${before.get(kind) ?? 0} -> ${n}`);
    expect(grown).toEqual([]);
    expect(fake.last({ action: "streamGenerateContent" }) ?? fake.last({ action: "generateContent" })).toBeDefined();
  });

  it("close() is safe before ready() and twice", async () => {
    const proxy = createGeminiProxy(hostProxyOptions(fake));
    await proxy.close();
    await proxy.close();
    const other = createGeminiProxy({ ...hostProxyOptions(fake), authKeys: [CLIENT_KEY] });
    await other.ready();
    await other.close();
    await other.close();
    await settle();
  });

  it("keeps an account imported at ready() usable (sanity for the leak test)", async () => {
    const proxy = createGeminiProxy(hostProxyOptions(fake));
    await proxy.ready();
    expect(proxy.pool.list().map((c) => c.email)).toEqual([HOST_ACCOUNT]);
    await proxy.close();
  });
});
