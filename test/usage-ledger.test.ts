// The usage ledger end to end: exact totals across a restart on a file storage, under concurrency,
// and through a failing store; retention; two instances sharing one store; the log summary.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStorage } from "unstorage";
import fsDriver from "unstorage/drivers/fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type StorageLike } from "../src/index.ts";
import { createUsageLedger } from "../src/usage/ledger.ts";
import { startUsageLogging } from "../src/usage/logging.ts";
import { createStorageUsageStore, type UsageStore } from "../src/usage/store.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { authHeaders, listen, proxyOptionsFor } from "./_setup.ts";
import { generateBody } from "./_admin.ts";
import { finishedRecord } from "./_records.ts";

let fake: FakeGoogle;
let dir: string;
beforeAll(async () => {
  fake = await createFakeGoogle();
  fake.addAccount({ email: "ledger@example.com" });
  dir = await mkdtemp(join(tmpdir(), "gcp-ledger-"));
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

const quiet = { error() {}, warn() {}, info() {}, debug() {} };
const fsStorage = () => createStorage({ driver: fsDriver({ base: dir }) }) as unknown as StorageLike;

/** Total tokens Google reported for one answer (JSON, or the last SSE event with usage). */
async function tokensOf(res: Response): Promise<number> {
  const text = await res.text();
  if (!res.headers.get("content-type")?.includes("event-stream"))
    return (JSON.parse(text) as { usageMetadata?: { totalTokenCount?: number } }).usageMetadata?.totalTokenCount ?? 0;
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith("data: ")) continue;
    const meta = (JSON.parse(line.slice(6)) as { usageMetadata?: { totalTokenCount?: number } }).usageMetadata;
    if (meta?.totalTokenCount) total = meta.totalTokenCount;
  }
  return total;
}

describe("usage ledger across a restart", () => {
  it("keeps exact totals for N requests (fs storage, real server, streams and errors)", async () => {
    const options = proxyOptionsFor(fake, {
      storage: fsStorage(),
      credentials: [fake.simpleCredential("ledger@example.com")],
    });
    const first = createGeminiProxy(options);
    await first.ready();
    const server = await listen(first.node);
    const N = 24;
    let tokens = 0;
    const jobs = Array.from({ length: N }, async (_, i) => {
      const stream = i % 3 === 0;
      const path = `/v1beta/models/gemini-2.5-flash:${stream ? "streamGenerateContent?alt=sse" : "generateContent"}`;
      const res = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: authHeaders(),
        body: generateBody(`request ${i}`),
      });
      expect(res.status).toBe(200);
      tokens += await tokensOf(res);
    });
    await Promise.all(jobs);
    fake.inject({ error: "invalid_argument", times: 2 });
    for (let i = 0; i < 2; i++)
      expect(
        (
          await fetch(`${server.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
            method: "POST",
            headers: authHeaders(),
            body: generateBody("x"),
          })
        ).status,
      ).toBe(400);
    await server.close();
    await first.close();

    const second = createGeminiProxy(proxyOptionsFor(fake, { storage: fsStorage() }));
    await second.ready();
    const summary = await second.usage.summary();
    expect(summary["gemini-2.5-flash"]).toMatchObject({
      successful_requests: N,
      failed_requests: { invalid_request: 2 },
      total_tokens: tokens,
    });
    const hourly = await second.usage.rows("hour");
    expect(hourly.reduce((n, r) => n + (r.fields.requests ?? 0), 0)).toBe(N + 2);
    expect(hourly.reduce((n, r) => n + (r.fields.streamed ?? 0), 0)).toBe(N / 3);
    expect(tokens).toBeGreaterThan(0);
    await second.close();
  });
});

const record = finishedRecord;

describe("usage ledger unit", () => {
  it("sums concurrent records and flushes exactly (no lost increments)", async () => {
    const store = createStorageUsageStore(createStorage() as unknown as StorageLike);
    const ledger = createUsageLedger({ store, retentionDays: 30, logger: quiet });
    const writers = Array.from({ length: 20 }, async () => {
      for (let i = 0; i < 25; i++) {
        ledger.record(record());
        if (i % 5 === 0) await ledger.flush();
      }
    });
    await Promise.all([...writers, ledger.flush(), ledger.flush()]);
    const rows = await ledger.rows("day");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.fields).toMatchObject({
      requests: 500,
      successes: 500,
      total: 500 * 17,
      cached: 500,
      attempts: 500,
    });
  });

  it("keeps counts when the store fails, and writes them on the next flush", async () => {
    const real = createStorageUsageStore(createStorage() as unknown as StorageLike);
    let failing = true;
    const store: UsageStore = {
      ...real,
      incrementMany: undefined,
      increment: (b, d, f) => (failing ? Promise.reject(new Error("disk full")) : real.increment(b, d, f)),
    };
    const warnings: unknown[] = [];
    const ledger = createUsageLedger({
      store,
      retentionDays: 30,
      logger: { ...quiet, warn: (...a: unknown[]) => warnings.push(a) },
    });
    for (let i = 0; i < 3; i++) ledger.record(record());
    await ledger.flush();
    expect(warnings.length).toBeGreaterThan(0);
    expect(await real.buckets()).toEqual([]);
    failing = false;
    ledger.record(record({ outcome: "error", errorClass: "rate_limited", status: 429, usage: undefined }));
    const rows = await ledger.rows("hour");
    expect(rows[0]!.fields).toMatchObject({ requests: 4, successes: 3, errors: 1, "err:rate_limited": 1 });
  });

  it("adds up two instances writing to one store", async () => {
    const store = createStorageUsageStore(createStorage() as unknown as StorageLike);
    const a = createUsageLedger({ store, retentionDays: 30, logger: quiet });
    const b = createUsageLedger({ store, retentionDays: 30, logger: quiet });
    for (let i = 0; i < 7; i++) a.record(record());
    for (let i = 0; i < 5; i++) b.record(record({ model: "gemini-2.5-flash" }));
    await Promise.all([a.flush(), b.flush()]);
    const rows = await a.rows("day");
    expect(Object.fromEntries(rows.map((r) => [r.model, r.fields.requests]))).toEqual({
      "gemini-2.5-pro": 7,
      "gemini-2.5-flash": 5,
    });
  });

  it("drops rollups older than retentionDays", async () => {
    const store = createStorageUsageStore(createStorage() as unknown as StorageLike);
    const ledger = createUsageLedger({ store, retentionDays: 3, logger: quiet });
    const day = 86_400_000;
    ledger.record(record({ startedAt: Date.now() - 10 * day }));
    ledger.record(record({ startedAt: Date.now() - 2 * day }));
    ledger.record(record());
    await ledger.flush();
    const days = await ledger.rows("day");
    expect(days.map((r) => r.fields.requests)).toEqual([1, 1]);
    expect((await store.buckets()).filter((b) => b.startsWith("hour:"))).toHaveLength(2);
  });

  it("ignores admin, UI and health requests", async () => {
    const ledger = createUsageLedger({
      store: createStorageUsageStore(createStorage() as unknown as StorageLike),
      retentionDays: 30,
      logger: quiet,
    });
    ledger.record(record({ surface: "other", path: "/admin/credentials" }));
    expect(await ledger.rows("day")).toEqual([]);
    expect(ledger.version).toBe(0);
  });

  it("prints the log summary only when something changed", async () => {
    const ledger = createUsageLedger({
      store: createStorageUsageStore(createStorage() as unknown as StorageLike),
      retentionDays: 30,
      logger: quiet,
    });
    const lines: string[] = [];
    const pool = { list: () => [{ id: "oauth-1", state: { status: "active" } }] } as never;
    const logging = startUsageLogging({
      ledger,
      pool,
      logger: { ...quiet, info: (m: unknown) => lines.push(String(m)) },
      intervalSec: 3600,
    });
    try {
      expect(await logging.tick()).toBe(true);
      expect(await logging.tick()).toBe(false);
      ledger.record(record());
      expect(await logging.tick()).toBe(true);
      expect(lines.at(-1)).toMatch(/credentials: 1 active \| last 24 h: gemini-2\.5-pro: 1 ok, 0 failed, 17 tokens/);
    } finally {
      logging.stop();
    }
  });
});
