// The admin page at scale, in a real headless Chromium: 4 accounts and 150 API keys are one compact
// table with a state filter, search (email, key suffix, name, id), sorting (last use, errors, cooldown
// end) and bulk check/disable/remove; keys are told apart by a masked
// label and an optional name; the page fits a 375 px phone. Plus the bulk and rename API over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumFor, openBrowser, signIn, type BrowserSession } from "./_browser.ts";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { listen, proxyOptionsFor } from "./_setup.ts";
import { ADMIN, adminHeaders } from "./_admin.ts";

const available = chromiumFor("ui-table");
const EMAILS = ["ada@example.com", "grace@example.com", "alan@example.com", "edsger@example.com"];

let fake: FakeGoogle;
let proxy: GeminiProxy;
let server: Awaited<ReturnType<typeof listen>>;
let keys: string[];

beforeAll(async () => {
  fake = await createFakeGoogle();
  for (const email of EMAILS) fake.addAccount({ email });
  keys = Array.from({ length: 150 }, () => fake.addApiKey());
  proxy = createGeminiProxy(
    proxyOptionsFor(fake, {
      admin: ADMIN,
      credentials: EMAILS.map((e) => fake.simpleCredential(e)),
      geminiApiKeys: keys,
      pool: { healthCheck: { enabled: false } },
    }),
  );
  await proxy.ready();
  server = await listen(proxy.node);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await proxy?.close();
  await fake?.close();
});

const keyId = (key: string) => proxy.pool.list().find((v) => v.keyHint === `…${key.slice(-4)}`)!.id;

describe("bulk actions and names over HTTP", () => {
  const post = (path: string, body: unknown, method = "POST") =>
    fetch(`${server.url}${path}`, {
      method,
      headers: adminHeaders({ "content-type": "application/json" }),
      body: JSON.stringify(body),
    });

  it("names a key, and refuses bad names and unknown ids", async () => {
    const id = keyId(keys[0]!);
    const res = await post(`/admin/credentials/${id}`, { name: "team ci" }, "PATCH");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      credential: { id, label: "team ci", key_label: `AIza…${keys[0]!.slice(-4)}` },
    });
    expect(proxy.pool.get(id)!.label).toBe("team ci");
    expect((await post(`/admin/credentials/${id}`, { name: 5 }, "PATCH")).status).toBe(400);
    expect((await post(`/admin/credentials/nope`, { name: "x" }, "PATCH")).status).toBe(404);
    const anonymous = await fetch(`${server.url}/admin/credentials/${id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "x" }),
    });
    expect([401, 403]).toContain(anonymous.status);
    expect(proxy.pool.get(id)!.label).toBe("team ci");
  });

  it("runs one action over many ids, reporting each; bad bodies get a 400", async () => {
    const ids = [keyId(keys[1]!), keyId(keys[2]!)];
    const res = await post("/admin/credentials/bulk", { action: "disable", ids: [...ids, "missing"] });
    expect(await res.json()).toMatchObject({
      done: 2,
      results: [
        { id: ids[0], ok: true, status: "disabled" },
        { id: ids[1], ok: true, status: "disabled" },
        { id: "missing", ok: false, error: "not found" },
      ],
    });
    const enabled = await (await post("/admin/credentials/bulk", { action: "enable", ids })).json();
    expect(enabled).toMatchObject({ done: 2, results: [{ status: "active" }, { status: "active" }] });
    expect((await post("/admin/credentials/bulk", { action: "explode", ids })).status).toBe(400);
    expect((await post("/admin/credentials/bulk", { action: "disable", ids: [] })).status).toBe(400);
    expect((await post("/admin/credentials/bulk", { action: "disable", ids: [1] })).status).toBe(400);
  });
});

describe.skipIf(!available)("the credentials table in Chromium", () => {
  let browser: BrowserSession;
  let page: import("playwright-core").Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await openBrowser({ width: 1280, height: 900 });
    ({ page, errors } = browser);
    await signIn(page, server.url, ADMIN);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const rows = () => page.locator("#cred-table tbody tr[data-id]");

  it("shows 154 credentials as table rows, not cards, keys labelled by their masked suffix", async () => {
    expect(await page.locator("#cred-table-box").isVisible()).toBe(true);
    expect(await page.locator("#credentials").isVisible()).toBe(false);
    expect(await rows().count()).toBe(154);
    const names = await page.locator("#cred-table tbody .email").allTextContents();
    expect(names).toContain("team ci");
    expect(names).toContain(`AIza…${keys[5]!.slice(-4)}`);
    expect(names.filter((n) => n === "API key")).toEqual([]);
    expect(await page.locator("#cred-table .unverified").count()).toBeGreaterThan(100);
    // The page stays short: the table is far from 11,000 px of cards.
    expect(await page.evaluate(() => document.getElementById("credentials-section")!.offsetHeight)).toBeLessThan(6000);
  });

  it("search narrows 154 rows to 1 (email, key suffix, name, id), and the state filter works", async () => {
    await page.fill("#cred-search", keys[7]!.slice(-4));
    await page.waitForFunction(() => document.querySelectorAll("#cred-table tbody tr[data-id]").length === 1);
    expect(await rows().first().getAttribute("data-id")).toBe(keyId(keys[7]!));
    await page.fill("#cred-search", "GRACE@example");
    await page.waitForFunction(() => document.querySelectorAll("#cred-table tbody tr[data-id]").length === 1);
    expect(await rows().first().locator(".email").textContent()).toBe("grace@example.com");
    await page.fill("#cred-search", "team ci");
    await page.waitForFunction(() => document.querySelectorAll("#cred-table tbody tr[data-id]").length === 1);
    await page.fill("#cred-search", keyId(keys[9]!));
    await page.waitForFunction(() => document.querySelectorAll("#cred-table tbody tr[data-id]").length === 1);
    expect(await page.locator("#cred-shown").textContent()).toBe("1 of 154 shown");
    await page.fill("#cred-search", "");
    await page.selectOption("#cred-state", "unverified");
    await page.waitForFunction(() => document.querySelectorAll("#cred-table tbody tr[data-id]").length < 154);
    const unverified = proxy.pool.list().filter((v) => v.state.verified === false).length;
    expect(await rows().count()).toBe(unverified);
    await page.selectOption("#cred-state", "");
  });

  it("sorts by errors and by last use", async () => {
    await proxy.pool.report(await proxy.pool.lease("gemini-2.5-flash", undefined, ["api_key"]), {
      error: Object.assign(new Error("boom"), { kind: "upstream_unavailable", status: 503 }) as never,
    });
    const failing = proxy.pool.list().find((v) => v.state.failures > 0)!.id;
    // The page polls every 5 s: wait until it has seen the failure.
    await page.waitForFunction(
      (id) =>
        [...document.querySelectorAll("#cred-table tbody tr")].some(
          (r) => r.getAttribute("data-id") === id && r.children[5]?.textContent === "1",
        ),
      failing,
      { timeout: 15_000 },
    );
    await page.selectOption("#cred-sort", "errors");
    await page.waitForFunction(
      (id) => document.querySelector("#cred-table tbody tr[data-id]")?.getAttribute("data-id") === id,
      failing,
      { timeout: 8000 },
    );
    await page.selectOption("#cred-sort", "last_used");
    expect(await rows().first().getAttribute("data-id")).toBe(failing);
    await page.selectOption("#cred-sort", "name");
  });

  it("sorts by cooldown end: the credential cooling longest comes first", async () => {
    const cool = async (kind: "oauth" | "api_key", minutes: number) => {
      const lease = await proxy.pool.lease("gemini-2.5-pro", undefined, [kind]);
      const error = { kind: "rate_limited", status: 429, message: "slow down", retryAfterMs: minutes * 60_000 };
      await proxy.pool.report(lease, { error: Object.assign(new Error("slow down"), error) as never });
      return lease.id;
    };
    const longer = await cool("api_key", 50);
    const shorter = await cool("oauth", 20);
    await page.waitForFunction(
      (ids) =>
        ids.every((id) =>
          /^in /.test(document.querySelector(`#cred-table tbody tr[data-id="${id}"]`)?.children[6]?.textContent ?? ""),
        ),
      [longer, shorter],
      { timeout: 15_000 },
    );
    await page.selectOption("#cred-sort", "cooldown");
    expect(await rows().nth(0).getAttribute("data-id")).toBe(longer);
    expect(await rows().nth(1).getAttribute("data-id")).toBe(shorter);
    for (const id of [longer, shorter]) await proxy.pool.clearCooldown(id);
    await page.selectOption("#cred-sort", "name");
  });

  it("bulk-disables 3 selected keys with one POST", async () => {
    const targets = [keys[10]!, keys[11]!, keys[12]!];
    for (const key of targets) await page.check(`#cred-table tbody tr[data-id="${keyId(key)}"] input[type=checkbox]`);
    expect(await page.locator("#bulk-count").textContent()).toBe("3 selected");
    const posted = page.waitForRequest((r) => r.url().endsWith("/admin/credentials/bulk") && r.method() === "POST");
    await page.click("#bulk-bar button[data-bulk=disable]");
    expect((await posted).postDataJSON()).toMatchObject({ action: "disable" });
    await page.waitForFunction(
      () => document.querySelectorAll("#cred-table tbody tr[data-status=disabled]").length === 3,
    );
    expect(targets.map((k) => proxy.pool.get(keyId(k))!.state.status)).toEqual(["disabled", "disabled", "disabled"]);
    expect(proxy.pool.list().filter((v) => v.state.status === "disabled")).toHaveLength(3);
  });

  it("bulk-checks 2 selected keys with Google, and bulk-removes one after the confirmation", async () => {
    // The previous test's selection is still there: select all, then none.
    await page.check("#cred-all");
    expect(await page.locator("#bulk-count").textContent()).toBe("154 selected");
    await page.uncheck("#cred-all");
    expect(await page.locator("#bulk-count").textContent()).toBe("0 selected");
    const checked = [keys[20]!, keys[21]!].map(keyId);
    for (const id of checked) await page.check(`#cred-table tbody tr[data-id="${id}"] input[type=checkbox]`);
    const checks = fake.count({ apiKey: keys[20]! }) + fake.count({ apiKey: keys[21]! });
    const answer = page.waitForResponse((r) => r.url().endsWith("/admin/credentials/bulk"));
    await page.click("#bulk-bar button[data-bulk=check]");
    const body = (await (await answer).json()) as { action: string; done: number; results: { id: string }[] };
    expect(body).toMatchObject({ action: "check", done: 2 });
    expect(body.results.map((r) => r.id).sort()).toEqual([...checked].sort());
    expect(fake.count({ apiKey: keys[20]! }) + fake.count({ apiKey: keys[21]! })).toBeGreaterThanOrEqual(checks + 2);
    for (const id of checked) expect(proxy.pool.get(id)!.state.verified).toBe(true);
    for (const id of checked) await page.uncheck(`#cred-table tbody tr[data-id="${id}"] input[type=checkbox]`);

    const gone = keyId(keys[22]!);
    await page.check(`#cred-table tbody tr[data-id="${gone}"] input[type=checkbox]`);
    expect(await page.locator("#bulk-count").textContent()).toBe("1 selected");
    page.once("dialog", (dialog) => void dialog.accept());
    await page.click("#bulk-bar button[data-bulk=remove]");
    await page.waitForFunction((id) => !document.querySelector(`#cred-table tbody tr[data-id="${id}"]`), gone);
    expect(proxy.pool.get(gone)).toBeUndefined();
    expect(await rows().count()).toBe(153);
  });

  it("fits a 375 px phone without horizontal page overflow", async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it("ran without script errors", () => {
    expect(errors).toEqual([]);
  });
});
