// Crash safety of the CLI's fs backend: a child process writing records as fast as it can is killed
// (SIGKILL) again and again; every record left behind must still parse, and temporary files never
// show up as keys. A plain in-place writeFile (fs / fs-lite) leaves truncated JSON in this test.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createStorage } from "unstorage";
import { afterAll, describe, expect, it } from "vitest";
import type { StorageLike } from "../src/storage/types.ts";
import { atomicFsDriver } from "../src/storage/atomic-fs.ts";

const dir = mkdtempSync(join(tmpdir(), "gcp-fs-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const driverUrl = pathToFileURL(join(import.meta.dirname, "../src/storage/atomic-fs.ts")).href;
/** The writer: ten records rewritten in a loop, each 200-600 KB so a kill often lands mid-write. */
const WRITER = `
import { atomicFsDriver } from ${JSON.stringify(driverUrl)};
const driver = atomicFsDriver({ base: process.argv[2] });
let seq = Number(process.argv[3]);
process.stdout.write("ready\\n");
for (;;) {
  seq++;
  const id = "acct-" + (seq % 10);
  await driver.setItem("credentials:" + id, JSON.stringify({ id, seq, pad: "x".repeat(200_000 + (seq % 5) * 100_000) }));
}
`;

function files(root: string, prefix = ""): string[] {
  return readdirSync(root, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(root, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

async function runAndKill(script: string, round: number): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", script, join(dir, "data"), String(round * 100_000)], {
    stdio: ["ignore", "pipe", "inherit"],
    cwd: join(import.meta.dirname, ".."),
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`writer exited early (${code})`)));
  });
  await new Promise((r) => setTimeout(r, 60 + Math.random() * 140));
  await new Promise<void>((resolve) => {
    child.removeAllListeners("exit");
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

describe("fs backend under SIGKILL", () => {
  it("a writer killed 15 times mid-write leaves every record readable", async () => {
    const script = join(dir, "writer.mts");
    writeFileSync(script, WRITER);
    const base = join(dir, "data");
    const seen = new Set<number>();
    for (let round = 1; round <= 15; round++) {
      await runAndKill(script, round);
      for (const file of files(join(base, "credentials")).filter((f) => !f.includes(".~tmp-"))) {
        const text = readFileSync(join(base, "credentials", file), "utf8");
        const record = JSON.parse(text) as { id: string; seq: number; pad: string };
        expect(record.id).toBe(file);
        expect(record.pad.length).toBe(200_000 + (record.seq % 5) * 100_000);
        seen.add(record.seq);
      }
    }
    // The writer did make progress between kills (records from many rounds were read back).
    expect(seen.size).toBeGreaterThan(15);
    // Through the driver: the same records, never a temporary file as a key.
    const storage = createStorage({ driver: atomicFsDriver({ base }) }) as unknown as StorageLike;
    const keys = await storage.getKeys("credentials");
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => /^credentials:acct-\d$/.test(k))).toBe(true);
    for (const key of keys)
      expect(((await storage.getItem(key)) as { id: string }).id).toBe(key.slice("credentials:".length));
    expect(statSync(base).isDirectory()).toBe(true);
  }, 60_000);
});
