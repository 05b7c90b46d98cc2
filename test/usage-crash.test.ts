// No usage record is lost when the CLI is killed: `bin/gemini-cli-proxy.mjs run` (the built dist/,
// fs storage, ledger on) is SIGKILLed again and again under concurrent load and restarted; at the
// end every request that got a full 200 answer is in the ledger (a request cut mid-flight may be
// counted too, never more than were sent), no temporary file is left, and every file parses.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeEndpoints } from "./cli-config.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "bin", "gemini-cli-proxy.mjs");
const KEY = "crash-client-key";
const KILLS = 10;
const WORKERS = 12;

let fake: FakeGoogle;
let dir: string;
const children = new Set<ChildProcess>();
beforeAll(async () => {
  fake = await createFakeGoogle();
  dir = await mkdtemp(join(tmpdir(), "gcp-usage-crash-"));
});
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Starts the CLI and resolves with its URL once it listens. */
function startCli(config: string): Promise<{ child: ChildProcess; url: string; exited: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "run", "-c", config], {
      cwd: dir,
      env: { ...process.env, HOME: dir, CI: "true", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.add(child);
    const exited = new Promise<void>((r) => child.once("exit", () => (children.delete(child), r())));
    let head = "";
    const onData = (data: Buffer) => {
      if (head.length > 20_000) return; // past start-up the request log is only drained
      head += data.toString();
      const url = /listening on (http:\/\/[\d.:]+)/.exec(head)?.[1];
      if (url && /usable credential\(s\) of \d+/.test(head)) {
        head = `${head.slice(0, 10_000)}${" ".repeat(20_000)}`;
        resolve({ child, url, exited });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then(() => reject(new Error(`CLI exited before listening:\n${head}`)));
  });
}

/** One request, streamed or not; true when the whole 200 answer arrived. */
async function ask(url: string, stream: boolean, i: number): Promise<boolean> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "gemini-2.5-flash", stream, messages: [{ role: "user", content: `request ${i}` }] }),
  });
  const text = await res.text();
  if (res.status !== 200) return false;
  if (!stream) return Array.isArray((JSON.parse(text) as { choices?: unknown[] }).choices);
  return text.trimEnd().endsWith("data: [DONE]") && !text.includes('"error"');
}

function files(root: string, prefix = ""): string[] {
  return readdirSync(root, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(root, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/** Every line of a journal segment, or the whole of any other file, parses as JSON. */
function unreadable(data: string): string[] {
  const bad: string[] = [];
  for (const file of files(data)) {
    const text = readFileSync(join(data, file), "utf8");
    const parts = file.endsWith(".jsonl") ? text.split("\n").filter(Boolean) : [text];
    for (const part of parts) {
      try {
        JSON.parse(part);
      } catch {
        bad.push(file);
      }
    }
  }
  return bad;
}

describe("usage ledger under SIGKILL (CLI, fs storage)", () => {
  it(`loses no answered request across ${KILLS} kills under load, and leaves no temp or unreadable file`, async () => {
    const data = join(dir, "data");
    const config = join(dir, "config.json");
    await writeFile(
      config,
      JSON.stringify({
        server: { host: "127.0.0.1", port: 0 },
        auth_keys: [KEY],
        gemini_api_keys: [fake.addApiKey()],
        endpoints: fakeEndpoints(fake),
        storage: { driver: "fs", base: data },
      }),
    );
    let sent = 0;
    let answered = 0;
    let journaledAtKill = 0;
    for (let round = 0; round < KILLS; round++) {
      const { child, url, exited } = await startCli(config);
      let stop = false;
      let inRound = 0;
      const worker = async (w: number) => {
        for (let i = 0; !stop; i++) {
          sent++;
          if (await ask(url, (i + w) % 3 === 0, i).catch(() => false)) {
            answered++;
            inRound++;
          }
        }
      };
      const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));
      // Some answers first (a loaded machine serves slowly), then a kill at a random moment.
      const since = Date.now();
      while (inRound < 10 && Date.now() - since < 5000) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, Math.random() * 400));
      child.kill("SIGKILL"); // mid-load: requests in flight, journal writes and compactions under way
      stop = true;
      await exited;
      await Promise.all(workers);
      const journal = join(data, ".~usage-journal");
      if (existsSync(journal))
        for (const f of readdirSync(journal))
          journaledAtKill += readFileSync(join(journal, f), "utf8").split("\n").filter(Boolean).length;
    }

    // The last start replays what the last kill left; a graceful stop compacts everything.
    const last = await startCli(config);
    last.child.kill("SIGTERM");
    await last.exited;

    let counted = 0;
    for (const file of files(join(data, "usage", "day"))) {
      const bucket = JSON.parse(readFileSync(join(data, "usage", "day", file), "utf8")) as Record<
        string,
        Record<string, number>
      >;
      for (const [dimension, fields] of Object.entries(bucket))
        if (dimension.includes("|")) counted += fields.requests ?? 0;
    }
    expect(answered).toBeGreaterThanOrEqual(KILLS * 10); // real load between the kills
    expect(journaledAtKill).toBeGreaterThan(0); // each kill left records only the journal had
    expect(counted).toBeGreaterThanOrEqual(answered);
    expect(counted).toBeLessThanOrEqual(sent);
    expect(files(data).filter((f) => f.includes(".~tmp-"))).toEqual([]);
    expect(unreadable(data)).toEqual([]);
    expect(files(join(data, ".~usage-journal"))).toEqual([]);
  }, 90_000);
});
