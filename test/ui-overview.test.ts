// What the admin page answers at a glance (issue 16, "Admin page"): the last hour and day
// (requests, errors, error rate, p50 latency, tokens) above the fold, what "degraded" means, Google's
// message (masked) beside each error class, usage series named by email or key name, full emails for
// the signed-in admin on every page, and no horizontal overflow on a 375 px phone. Over HTTP against
// /admin/summary and friends, then in a real headless Chromium.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumFor, openBrowser, signIn, type BrowserSession } from "./_browser.ts";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";
import { maskErrorText } from "../src/pool/mask.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { authHeaders, listen, proxyOptionsFor } from "./_setup.ts";
import { ADMIN, adminHeaders, generateBody } from "./_admin.ts";

const available = chromiumFor("ui-overview");
const ADA = "ada.lovelace@example.com";
const ALAN = "alan.turing@example.com";
const NEWCOMER = "new.comer@example.com";
const UPLOADED = "page.upload@example.com";
const FLASH = "gemini-2.5-flash";
// A Google 400 whose message carries what must never reach the page whole.
const LEAKY = {
  status: 400,
  body: {
    error: {
      code: 400,
      message:
        "Invalid value at 'contents[0]' for owner someone.private@corp.example: token ya29.a0AfB_secretsecretsecret and key AIzaSyA1234567890abcdefghijklmnop rejected",
      status: "INVALID_ARGUMENT",
    },
  },
};

let fake: FakeGoogle;
let proxy: GeminiProxy;
let server: Awaited<ReturnType<typeof listen>>;
let apiKey: string;
let successes = 0;
let failures = 0;

const admin = async (path: string) => {
  const res = await fetch(`${server.url}${path}`, { headers: adminHeaders({ accept: "application/json" }) });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>;
};
const native = (model = FLASH) =>
  fetch(`${server.url}/v1beta/models/${model}:generateContent`, {
    method: "POST",
    headers: authHeaders(),
    body: generateBody("hello"),
  });
const openai = () =>
  fetch(`${server.url}/v1/chat/completions`, {
    method: "POST",
    headers: authHeaders({ "content-type": "application/json" }),
    body: JSON.stringify({ model: FLASH, messages: [{ role: "user", content: "hi" }] }),
  });

beforeAll(async () => {
  fake = await createFakeGoogle();
  for (const email of [ADA, ALAN, NEWCOMER, UPLOADED]) fake.addAccount({ email });
  apiKey = fake.addApiKey();
  proxy = createGeminiProxy(
    proxyOptionsFor(fake, {
      admin: ADMIN,
      credentials: [ADA, ALAN].map((e) => fake.simpleCredential(e)),
      geminiApiKeys: [apiKey],
      pool: { healthCheck: { enabled: false } },
    }),
  );
  await proxy.ready();
  server = await listen(proxy.node);
  await proxy.pool.setLabel(proxy.pool.list().find((c) => c.kind === "api_key")!.id, "team ci");
  // Four quick answers, then five that Google takes 300 ms for: the median is a slow one.
  for (let i = 0; i < 4; i++) expect((await native()).status).toBe(200);
  fake.inject({ delayMs: 300, times: 5 });
  for (let i = 0; i < 5; i++) expect((await native()).status).toBe(200);
  successes = 9;
  // Google's 400 through both route frames (native, and the OpenAI family's).
  fake.inject({ error: LEAKY, times: 1 });
  expect((await native()).status).toBe(400);
  fake.inject({ error: LEAKY, times: 1 });
  expect((await openai()).status).toBe(400);
  failures = 2;
  // A daily quota on one account: it cools down, and the badge turns "degraded".
  fake.inject({ match: { email: ALAN }, error: "quota_exhausted", times: 1 });
  const alan = () => proxy.pool.list().find((c) => c.email === ALAN)!;
  for (let i = 0; i < 10 && alan().state.status !== "rate_limited"; i++) {
    expect((await native("gemini-2.5-pro")).status).toBe(200);
    successes++;
  }
  expect(alan().state.status).toBe("rate_limited");
}, 60_000);
afterAll(async () => {
  await server?.close();
  await proxy?.close();
  await fake?.close();
});

describe("maskErrorText", () => {
  it("redacts token and key shapes, masks emails, keeps the words, and bounds the length", () => {
    const text = maskErrorText(LEAKY.body.error.message)!;
    expect(text).toContain("Invalid value at 'contents[0]'");
    expect(text).toContain("s*m*o*e*p*i*@corp.example");
    expect(text).not.toMatch(/someone\.private|ya29\.a0|AIzaSyA1234/);
    expect(maskErrorText("Bearer abc.def-ghi and 1//0gLongRefreshToken")).toBe("Bearer*** and 1//***");
    expect(maskErrorText("word ".repeat(400))!.length).toBe(500);
    expect(maskErrorText(undefined)).toBeUndefined();
  });
});

describe("the admin API behind the overview", () => {
  it("sums the last hour and day: requests, errors, error rate, tokens and p50 latency", async () => {
    const s = await admin("/admin/summary");
    const total = successes + failures;
    for (const w of [s.last_hour, s.last_day]) {
      expect(w.requests).toBe(total);
      expect(w.errors).toBe(failures);
      expect(w.error_rate).toBeCloseTo(failures / total, 3);
      expect(w.tokens).toBeGreaterThan(0);
      // Only 5 of them slowed by 300 ms: the median is a quick one.
      expect(w.p50_ms).toBeGreaterThanOrEqual(0);
      expect(w.p50_ms).toBeLessThan(290);
    }
    expect(Date.parse(s.since)).toBeLessThanOrEqual(Date.now());
  });

  it("puts the median where the durations are: most requests slow, p50 slow", async () => {
    fake.inject({ delayMs: 300, times: 8 });
    for (let i = 0; i < 8; i++) expect((await native()).status).toBe(200);
    successes += 8;
    const s = await admin("/admin/summary");
    expect(s.last_hour.requests).toBe(successes + failures);
    expect(s.last_hour.p50_ms).toBeGreaterThanOrEqual(290);
  });

  it("says what degraded means: the credential that needs attention, by email, and why", async () => {
    const s = await admin("/admin/summary");
    expect(s.status).toBe("degraded");
    expect(s.attention_total).toBe(1);
    expect(s.attention[0]).toMatchObject({ name: ALAN, status: "rate_limited" });
    expect(s.attention[0].reason).toMatch(/gemini-2\.5-pro cooling until .*quota/i);
    expect(s.storage).toMatchObject({ degraded: false });
  });

  it("is for the admin only", async () => {
    const res = await fetch(`${server.url}/admin/summary`, { headers: { accept: "application/json" } });
    expect([401, 403]).toContain(res.status);
  });

  it("lists recent errors with Google's message, masked, beside the class, and the credential by email", async () => {
    const errors = await admin("/admin/usage/errors");
    const leaky = errors.recent.filter((e: any) => e.error_class === "invalid_request");
    expect(leaky).toHaveLength(2);
    for (const e of leaky) {
      expect(e.message).toContain("Invalid value at 'contents[0]'");
      expect(e.message).not.toMatch(/someone\.private|ya29\.a0|AIzaSyA1234/);
      expect([ADA, ALAN, "team ci AIza…" + apiKey.slice(-4)]).toContain(e.credential);
    }
    expect(JSON.stringify(errors)).not.toContain(apiKey);
  });

  it("names usage series by account email and key name, keeping the id beside it", async () => {
    const data = await admin("/admin/usage/series?hours=24&by=credential");
    const labels = data.series.map((s: any) => s.label);
    expect(labels).toEqual(expect.arrayContaining([ADA, ALAN]));
    for (const s of data.series) expect(s.name).toMatch(/^[\w-]+$/);
    expect(labels.some((l: string) => /^cred-|^key-/.test(l))).toBe(false);
    expect(JSON.stringify(data)).not.toContain(apiKey);
  });

  it("names an API key's series by its name and masked label", async () => {
    const key = fake.addApiKey();
    const solo = createGeminiProxy(proxyOptionsFor(fake, { admin: ADMIN, geminiApiKeys: [key] }));
    const soloServer = await listen(solo.node);
    try {
      await solo.ready();
      await solo.pool.setLabel(solo.pool.list()[0]!.id, "batch jobs");
      const res = await fetch(`${soloServer.url}/v1beta/models/${FLASH}:generateContent`, {
        method: "POST",
        headers: authHeaders(),
        body: generateBody("hello"),
      });
      expect(res.status).toBe(200);
      const series = await fetch(`${soloServer.url}/admin/usage/series?hours=24&by=credential`, {
        headers: adminHeaders({ accept: "application/json" }),
      });
      const data = (await series.json()) as { series: { name: string; label: string }[] };
      expect(data.series).toEqual([
        expect.objectContaining({ name: solo.pool.list()[0]!.id, label: `batch jobs AIza…${key.slice(-4)}` }),
      ]);
      expect(JSON.stringify(data)).not.toContain(key);
    } finally {
      await soloServer.close();
      await solo.close();
    }
  });

  it("gives the signed-in admin full emails: credentials list, add and import", async () => {
    const list = (await admin("/admin/credentials")) as unknown as Record<string, any>[];
    expect(list.map((c) => c.email)).toEqual(expect.arrayContaining([ADA, ALAN]));
    const imported = await fetch(`${server.url}/admin/credentials/import`, {
      method: "POST",
      headers: adminHeaders({ "content-type": "application/json" }),
      body: JSON.stringify({ text: JSON.stringify(fake.oauthCreds(NEWCOMER)), name: "oauth_creds.json" }),
    });
    expect(await imported.json()).toMatchObject({ imported: 1, results: [{ email: NEWCOMER, result: "added" }] });
  });
});

describe.skipIf(!available)("the overview in Chromium", () => {
  let browser: BrowserSession;
  let page: import("playwright-core").Page;
  let errors: string[];

  beforeAll(async () => {
    browser = await openBrowser({ width: 1280, height: 800 });
    ({ page, errors } = browser);
    await signIn(page, server.url, ADMIN);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const stat = (key: string, window: "hour" | "day") =>
    page.locator(`.stat[data-stat="${key}"] [data-window="${window}"]`).textContent();

  it("shows the last hour and day above the fold", async () => {
    const box = await page.locator("#overview .stats").boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(800);
    const total = successes + failures;
    expect(await stat("requests", "hour")).toBe(String(total));
    expect(await stat("requests", "day")).toBe(String(total));
    expect(await stat("errors", "hour")).toBe(String(failures));
    const rate = await stat("error_rate", "hour");
    expect(rate).toMatch(/^\d+(\.\d)?%$/);
    expect(Number.parseFloat(rate!)).toBeCloseTo((failures / total) * 100, 0);
    expect(await stat("p50_ms", "hour")).toMatch(/^\d+ ms$|^\d+\.\d s$/);
    expect(Number((await stat("tokens", "hour"))!.replace(/\D/g, ""))).toBeGreaterThan(0);
  });

  it("explains the degraded badge under it: which credential, in what state", async () => {
    expect(await page.locator("#health").textContent()).toBe("degraded");
    const detail = page.locator("#health-detail");
    expect(await detail.isVisible()).toBe(true);
    expect(await detail.textContent()).toMatch(/Degraded: still serving — 1 credential needs attention/);
    expect(await detail.locator("li").first().textContent()).toMatch(
      new RegExp(`^${ALAN.replace(/\./g, "\\.")}: rate limited — gemini-2\\.5-pro cooling until`),
    );
    const box = await detail.boundingBox();
    expect(box!.y).toBeLessThan(800);
  });

  it("shows Google's message, masked, next to the error class", async () => {
    const row = page.locator("#errors-table tbody tr", { hasText: "invalid_request" }).first();
    const cells = await row.locator("td").allTextContents();
    expect(cells[1]).toBe("invalid_request");
    expect(cells[2]).toContain("Invalid value at 'contents[0]'");
    expect(cells[2]).not.toMatch(/someone\.private|ya29\.a0|AIzaSyA1234/);
    expect(await page.locator("#errors-table thead th").allTextContents()).toEqual(
      expect.arrayContaining(["Class", "Message"]),
    );
  });

  it("names the usage series by email when split by credential", async () => {
    await page.selectOption("#by", "credential");
    await page.waitForFunction(
      (email) => [...document.querySelectorAll("#legend span")].some((s) => s.textContent === email),
      ADA,
    );
    const legend = await page.locator("#legend span").allTextContents();
    expect(legend).toEqual(expect.arrayContaining([ADA, ALAN]));
    expect(legend.some((l) => /^cred-|^key-/.test(l))).toBe(false);
    expect(await page.locator("#usage-table tbody td:first-child").allTextContents()).toEqual(
      expect.arrayContaining([ADA, ALAN]),
    );
    await page.selectOption("#by", "model");
  });

  it("shows full emails on the main page and the add/import page", async () => {
    expect(await page.locator("#credentials .email").allTextContents()).toEqual(expect.arrayContaining([ADA, ALAN]));
    const add = await browser.context.newPage();
    await add.goto(`${server.url}/oauth2/add`);
    expect(await add.locator("#accounts td.account").allTextContents()).toEqual(
      expect.arrayContaining([ADA, ALAN, `team ci AIza…${apiKey.slice(-4)}`]),
    );
    await add.locator('#import input[type="file"]').setInputFiles({
      name: "oauth_creds.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(fake.oauthCreds(UPLOADED))),
    });
    await add.click('#import button[type="submit"]');
    await add.waitForSelector("#import-result li");
    expect(await add.locator("#import-result li").first().textContent()).toContain(`${UPLOADED}: added`);
    await add.close();
  });

  it("fits a 375 px phone: no horizontal overflow, wide tables scroll in their own box", async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const wraps = await page.$$eval(".table-wrap", (els) =>
      els.map((e) => ({ width: e.getBoundingClientRect().width, overflow: getComputedStyle(e).overflowX })),
    );
    for (const w of wraps) {
      expect(w.width).toBeLessThanOrEqual(375);
      expect(["auto", "scroll"]).toContain(w.overflow);
    }
    for (const path of ["/oauth2/add"]) {
      const other = await browser.context.newPage();
      await other.setViewportSize({ width: 375, height: 812 });
      await other.goto(`${server.url}${path}`);
      expect(await other.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await other.close();
    }
  });

  it("ran without script errors or CSP violations", () => {
    expect(errors).toEqual([]);
  });
});
