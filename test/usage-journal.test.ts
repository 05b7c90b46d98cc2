// The usage journal on the fs storage: a record is in the journal before its response ends, flushes
// compact it into the rollups, segments of dead processes are replayed exactly once (also after a
// crash in the middle of a compaction), live processes' segments are left alone, and the atomic fs
// driver removes the temporary files of dead writers.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync, existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStorage } from "unstorage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { atomicFsDriver, createGeminiProxy, type StorageLike } from "../src/index.ts";
import { createUsageJournal } from "../src/usage/journal.ts";
import { createUsageLedger } from "../src/usage/ledger.ts";
import type { RequestRecord } from "../src/usage/record.ts";
import { dayBucket, dimensionOf, fieldsOf, hourBucket } from "../src/usage/rollup.ts";
import { createStorageUsageStore } from "../src/usage/store.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { authHeaders, listen, proxyOptionsFor } from "./_setup.ts";
import { finishedRecord } from "./_records.ts";

let fake: FakeGoogle;
let root: string;
let deadPid: number;
const children: ChildProcess[] = [];
beforeAll(async () => {
  fake = await createFakeGoogle();
  fake.addAccount({ email: "journal@example.com" });
  root = await mkdtemp(join(tmpdir(), "gcp-journal-"));
  // A pid that certainly ran and is gone.
  const child = spawn(process.execPath, ["-e", ""]);
  deadPid = child.pid!;
  await new Promise((r) => child.once("exit", r));
});
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await fake.close();
  await rm(root, { recursive: true, force: true });
});

const quiet = { error() {}, warn() {}, info() {}, debug() {} };
let n = 0;
const newDir = () => join(root, `data-${++n}`);
const storageAt = (base: string) => createStorage({ driver: atomicFsDriver({ base }) }) as unknown as StorageLike;
const journalDir = (base: string) => join(base, ".~usage-journal");
const segments = (base: string) => (existsSync(journalDir(base)) ? readdirSync(journalDir(base)) : []);

const record = finishedRecord;

/** A ledger over the fs storage at `base`, with its journal, as the proxy wires it. */
function ledgerAt(base: string) {
  const storage = storageAt(base);
  const store = createStorageUsageStore(storage);
  const journal = createUsageJournal(journalDir(base), () => {});
  const ledger = createUsageLedger({ store, retentionDays: 30, logger: quiet, journal, flushIntervalMs: 60_000 });
  return { storage, store, journal, ledger };
}

/** Journal lines as a process that died would have left them. */
function writeSegment(base: string, name: string, records: RequestRecord[], torn = ""): void {
  mkdirSync(journalDir(base), { recursive: true });
  const lines = records.map(
    (r) => `${JSON.stringify({ i: r.id, t: r.startedAt, d: dimensionOf(r), f: fieldsOf(r) })}\n`,
  );
  writeFileSync(join(journalDir(base), name), lines.join("") + torn);
}

const requestsIn = async (ledger: ReturnType<typeof ledgerAt>["ledger"], period: "hour" | "day") =>
  (await ledger.rows(period)).reduce((sum, row) => sum + (row.fields.requests ?? 0), 0);

describe("usage journal (ledger over the fs storage)", () => {
  it("journals a record before record() resolves, then compacts it into the rollups and deletes the segment", async () => {
    const base = newDir();
    const { ledger, storage } = ledgerAt(base);
    const r = record();
    await ledger.record(r);
    const [file] = segments(base);
    expect(file).toMatch(new RegExp(`^${process.pid}\\.[0-9a-f]+-1\\.jsonl$`));
    const line = JSON.parse(readFileSync(join(journalDir(base), file!), "utf8").trim()) as { i: string; f: object };
    expect(line.i).toBe(r.id);
    expect(line.f).toMatchObject({ requests: 1, total: 17 });

    await ledger.flush();
    expect(segments(base)).toEqual([]);
    expect(await requestsIn(ledger, "hour")).toBe(1);
    // The bucket keeps the mark of that segment only until its next write (the file is gone).
    const raw = () => storage.getItem<Record<string, Record<string, number>>>(`usage:${hourBucket(r.startedAt)}`);
    expect(Object.keys((await raw())!["#journal"]!)).toEqual([`${file!.split(".")[1]}`]);
    await ledger.record(record());
    await ledger.flush();
    expect(Object.keys((await raw())!["#journal"]!)).toHaveLength(1);
    expect(Object.keys((await raw())!["#journal"]!)[0]).toMatch(/-2$/);
    // Marks never show up as a dimension.
    expect((await ledger.rows("hour")).map((row) => row.model)).toEqual(["gemini-2.5-pro"]);
    await ledger.close();
    expect(segments(base)).toEqual([]);
  });

  it("groups the records of one event-loop turn into one write", async () => {
    const base = newDir();
    const { ledger } = ledgerAt(base);
    const written = Array.from({ length: 50 }, () => ledger.record(record()));
    expect(new Set(written).size).toBe(1); // one shared promise: one batch
    await Promise.all(written);
    const text = readFileSync(join(journalDir(base), segments(base)[0]!), "utf8");
    expect(text.trim().split("\n")).toHaveLength(50);
    await ledger.close();
    expect(await requestsIn(ledger, "day")).toBe(50);
  });

  it("replays a dead process's segments at start, once, skipping a torn last line", async () => {
    const base = newDir();
    const old = Date.now() - 3_600_000;
    writeSegment(base, `${deadPid}.0a0b0c0d0e0f-1.jsonl`, [record(), record()]);
    writeSegment(base, `${deadPid}.0a0b0c0d0e0f-2.jsonl`, [record({ startedAt: old })], '{"i":"req-torn","t":17');
    const first = ledgerAt(base);
    first.ledger.start();
    expect(await requestsIn(first.ledger, "hour")).toBe(3);
    expect(segments(base)).toEqual([]);
    await first.ledger.close();

    const second = ledgerAt(base);
    second.ledger.start();
    expect(await requestsIn(second.ledger, "hour")).toBe(3);
    await second.ledger.close();
  });

  it("a crash in the middle of a compaction (hour bucket written, day bucket and deletion not) counts once", async () => {
    const base = newDir();
    const records = [record(), record(), record({ model: "gemini-2.5-flash" })];
    writeSegment(base, `${deadPid}.1a2b3c4d5e6f-7.jsonl`, records);
    // What the dead process had written before it died: the hour bucket, with the segment's mark.
    const { store } = ledgerAt(base);
    const dims: Record<string, Record<string, number>> = {};
    for (const r of records) {
      const f = fieldsOf(r);
      const into = (dims[dimensionOf(r)] ??= {});
      for (const [k, v] of Object.entries(f)) into[k] = (into[k] ?? 0) + v;
    }
    await store.incrementOnce!(hourBucket(records[0]!.startedAt), dims, "1a2b3c4d5e6f-7", () => true);

    const { ledger } = ledgerAt(base);
    ledger.start();
    expect(await requestsIn(ledger, "hour")).toBe(3);
    expect(await requestsIn(ledger, "day")).toBe(3);
    expect(Object.keys(await store.read(dayBucket(records[0]!.startedAt))).sort()).toEqual([
      "key-aaaa0000|oauth-1|gemini-2.5-flash",
      "key-aaaa0000|oauth-1|gemini-2.5-pro",
    ]);
    expect(segments(base)).toEqual([]);
    await ledger.close();
  });

  it("leaves a running process's fresh segment alone, and takes it over once it is old", async () => {
    const base = newDir();
    const live = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    children.push(live);
    const name = `${live.pid}.2b3c4d5e6f70-1.jsonl`;
    writeSegment(base, name, [record()]);
    const first = ledgerAt(base);
    first.ledger.start();
    expect(await requestsIn(first.ledger, "hour")).toBe(0);
    expect(segments(base)).toEqual([name]);
    await first.ledger.close();

    const elevenMinutesAgo = (Date.now() - 11 * 60_000) / 1000;
    utimesSync(join(journalDir(base), name), elevenMinutesAgo, elevenMinutesAgo);
    const second = ledgerAt(base);
    second.ledger.start();
    expect(await requestsIn(second.ledger, "hour")).toBe(1);
    expect(segments(base)).toEqual([]);
    await second.ledger.close();
    live.kill("SIGKILL");
  });

  it("reset() drops journaled records too", async () => {
    const base = newDir();
    const { ledger } = ledgerAt(base);
    await ledger.record(record());
    await ledger.reset();
    expect(segments(base)).toEqual([]);
    const again = ledgerAt(base);
    again.ledger.start();
    expect(await requestsIn(again.ledger, "day")).toBe(0);
    await Promise.all([ledger.close(), again.ledger.close()]);
  });
});

describe("atomic fs driver: temporary files of interrupted writes", () => {
  it("removes those of dead writers and stale ones at start, keeps a live writer's fresh one, never lists .~ entries", async () => {
    const base = newDir();
    mkdirSync(join(base, "credentials"), { recursive: true });
    mkdirSync(journalDir(base), { recursive: true });
    writeFileSync(join(base, "credentials", "acct-1"), '{"id":"acct-1"}');
    const dead = join(base, "credentials", `acct-1.~tmp-${deadPid}-0123456789ab`);
    const fresh = join(base, "credentials", `acct-1.~tmp-${process.pid}-ba9876543210`);
    const stale = join(base, `state.~tmp-${process.pid}-aaaaaaaaaaaa`);
    for (const path of [dead, fresh, stale]) writeFileSync(path, '{"trunc');
    const twoMinutesAgo = (Date.now() - 120_000) / 1000;
    utimesSync(stale, twoMinutesAgo, twoMinutesAgo);

    const storage = storageAt(base);
    expect(await storage.getKeys()).toEqual(["credentials:acct-1"]);
    await (storage as unknown as { dispose(): Promise<void> }).dispose();
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    expect(existsSync(join(base, "credentials", "acct-1"))).toBe(true);
  });
});

describe("usage journal through the proxy (fs storage)", () => {
  it("a response's record is journaled before the client has its body, or the final stream event", async () => {
    const base = newDir();
    const proxy = createGeminiProxy(
      proxyOptionsFor(fake, { storage: storageAt(base), credentials: [fake.simpleCredential("journal@example.com")] }),
    );
    await proxy.ready();
    await proxy.usage.flush(); // the start-up replay is over
    const server = await listen(proxy.node);
    const journaled = () =>
      segments(base)
        .map((f) => readFileSync(join(journalDir(base), f), "utf8"))
        .join("");
    const chat = (stream: boolean) =>
      fetch(`${server.url}/v1/chat/completions`, {
        method: "POST",
        headers: authHeaders(),
        body: JSON.stringify({ model: "gemini-2.5-flash", stream, messages: [{ role: "user", content: "hi" }] }),
      });

    const plain = await chat(false);
    expect(plain.status).toBe(200);
    expect(journaled()).toContain(plain.headers.get("x-request-id"));
    await plain.text();

    const streamed = await chat(true);
    const id = streamed.headers.get("x-request-id")!;
    const reader = streamed.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    let seenAtDone: boolean | undefined;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
      if (seenAtDone === undefined && text.includes("[DONE]")) seenAtDone = journaled().includes(id);
    }
    expect(seenAtDone).toBe(true);

    await server.close();
    await proxy.close();
    expect(segments(base)).toEqual([]);
    const again = createGeminiProxy(proxyOptionsFor(fake, { storage: storageAt(base) }));
    await again.ready();
    expect((await again.usage.rows("day")).reduce((s, r) => s + (r.fields.requests ?? 0), 0)).toBe(2);
    await again.close();
  });
});
