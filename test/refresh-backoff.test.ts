// A token Google keeps refusing after a refresh (persistent 401) must not turn every request into
// token calls: one refresh per account, then a per-account backoff (doubling), said once in the log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stateForError } from "../src/pool/accounts.ts";
import {
  nextBackoff,
  REFRESH_BACKOFF_BASE_MS,
  REFRESH_BACKOFF_MAX_MS,
  RefreshBackoffError,
} from "../src/pool/refresh-backoff.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { createPoolHarness } from "./pool-setup.ts";

const FLASH = "gemini-2.5-flash";

function capture() {
  const lines: { level: string; text: string }[] = [];
  const log =
    (level: string) =>
    (...args: unknown[]) =>
      lines.push({ level, text: args.map(String).join(" ") });
  return { lines, logger: { error: log("error"), warn: log("warn"), info: log("info"), debug: log("debug") } };
}

describe("refresh backoff after a refresh that did not help", () => {
  let fake: FakeGoogle;
  beforeAll(async () => {
    fake = await createFakeGoogle();
  });
  afterAll(() => fake.close());

  it("one account refused for good: 7 requests cost one token refresh, and one warn line", async () => {
    const email = "refused@example.com";
    const log = capture();
    const h = await createPoolHarness(fake, [email], { logger: log.logger });
    fake.inject({ match: { email, action: "generateContent" }, error: "unauthenticated", times: 1000 });
    const before = fake.count({ action: "token" });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await h.generate(FLASH)).status);
    for (const s of statuses) {
      expect(s).toBeGreaterThanOrEqual(400);
      expect(s).not.toBe(500);
    }
    expect(fake.count({ action: "token" }) - before).toBe(1);
    const warns = log.lines.filter((l) => l.level === "warn" && /refus/.test(l.text));
    expect(warns).toHaveLength(1);
    expect(warns[0]!.text).toMatch(/r\*+d@example\.com|r\*.*@example\.com/);
    expect(warns[0]!.text).not.toContain(email);
    expect(warns[0]!.text).toMatch(/again/);
    expect(h.proxy.pool.get(h.idOf(email))!.state.status).toBe("expired");
    await h.close();
    fake.clearFaults();
  });

  it("every account refused: 5 requests cost one refresh per account", async () => {
    const emails = ["all-a@example.com", "all-b@example.com", "all-c@example.com"];
    const h = await createPoolHarness(fake, emails, { logger: false });
    for (const email of emails)
      fake.inject({ match: { email, action: "generateContent" }, error: "unauthenticated", times: 1000 });
    const before = fake.count({ action: "token" });
    for (let i = 0; i < 5; i++) expect((await h.generate(FLASH)).status).toBeGreaterThanOrEqual(400);
    expect(fake.count({ action: "token" }) - before).toBe(emails.length);
    await h.close();
    fake.clearFaults();
  });
});

it("the pause doubles each time a refresh did not help, up to its cap", () => {
  let backoff = nextBackoff(undefined, 0);
  expect(backoff).toEqual({ level: 1, until: REFRESH_BACKOFF_BASE_MS });
  backoff = nextBackoff(backoff, 1000);
  expect(backoff).toEqual({ level: 2, until: 1000 + 2 * REFRESH_BACKOFF_BASE_MS });
  for (let i = 0; i < 20; i++) backoff = nextBackoff(backoff, 0);
  expect(backoff.until).toBe(REFRESH_BACKOFF_MAX_MS);
});

it("a check that meets a refresh pause leaves the account expired, never in error", () => {
  expect(stateForError(new RefreshBackoffError("oauth-x", Date.now() + 1000)).status).toBe("expired");
});
