// The admin page in a real headless Chromium (playwright-core + the system chromium): sign in, see
// the credentials and their states, disable and re-enable one, see the usage chart drawn with data.
// Screenshots land in test/artifacts/ (git-ignored); UPDATE_SCREENSHOTS=1 refreshes docs/admin-ui.png.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { authHeaders, listen, proxyOptionsFor } from "./_setup.ts";
import { ADMIN, generateBody } from "./_admin.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available) {
  if (process.env.REQUIRE_ALL_SUITES === "1")
    throw new Error(`ui-browser: ${CHROMIUM} is missing and REQUIRE_ALL_SUITES=1`);
  console.warn(`ui-browser: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

const ARTIFACTS = join(import.meta.dirname, "artifacts");
const DOCS_SHOT = join(import.meta.dirname, "..", "docs", "admin-ui.png");

describe.skipIf(!available)("admin page in Chromium", () => {
  let fake: FakeGoogle;
  let proxy: GeminiProxy;
  let server: Awaited<ReturnType<typeof listen>>;
  let profile: string;
  let context: import("playwright-core").BrowserContext;
  let page: import("playwright-core").Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    fake = await createFakeGoogle();
    for (const email of ["ada.lovelace@example.com", "grace.hopper@example.com", "alan.turing@example.com"])
      fake.addAccount({ email });
    const apiKey = fake.addApiKey();
    proxy = createGeminiProxy(
      proxyOptionsFor(fake, {
        admin: ADMIN,
        credentials: ["ada.lovelace@example.com", "grace.hopper@example.com", "alan.turing@example.com"].map((e) =>
          fake.simpleCredential(e),
        ),
        geminiApiKeys: [apiKey],
      }),
    );
    await proxy.ready();
    server = await listen(proxy.node);
    // Usage to draw: successes on two models, a stream, an error, and a cooldown on one account.
    const call = (model: string, stream = false) =>
      fetch(`${server.url}/v1beta/models/${model}:${stream ? "streamGenerateContent?alt=sse" : "generateContent"}`, {
        method: "POST",
        headers: authHeaders(),
        body: generateBody("draw me"),
      }).then((r) => r.text());
    for (let i = 0; i < 6; i++) await call("gemini-2.5-flash", i % 2 === 0);
    for (let i = 0; i < 3; i++) await call("gemini-2.5-pro");
    fake.inject({ error: "invalid_argument", times: 1 });
    await call("gemini-2.5-pro");
    fake.inject({ match: { email: "alan.turing@example.com" }, error: "quota_exhausted", times: 1 });
    for (let i = 0; i < 4; i++) await call("gemini-2.5-pro");

    const { chromium } = await import("playwright-core");
    profile = await mkdtemp(join(tmpdir(), "gcp-ui-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (msg) => {
      if (msg.type() === "error") consoleErrors.push(msg.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(String(error)));
    await mkdir(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    await proxy?.close();
    await fake?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it("signs in through the login form", async () => {
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.fill('input[name="username"]', ADMIN.username);
    await page.fill('input[name="password"]', "wrong");
    await page.click('button[type="submit"]');
    await page.waitForSelector(".alert");
    await page.fill('input[name="username"]', ADMIN.username);
    await page.fill('input[name="password"]', ADMIN.password);
    await page.click('button[type="submit"]');
    await page.waitForSelector("body[data-loaded='1']", { timeout: 10_000 });
    expect(new URL(page.url()).pathname).toBe("/");
  }, 30_000);

  it("shows every credential with its state, cooldown countdown and full email", async () => {
    const cards = page.locator("article.cred");
    expect(await cards.count()).toBe(4);
    const statuses = await page.locator("article.cred [data-role=status]").allTextContents();
    expect(statuses.every((s) => /active|rate limited/.test(s))).toBe(true);
    expect(await page.locator("article.cred .email").allTextContents()).toContain("ada.lovelace@example.com");
    const cooldown = page.locator(".cooldown").first();
    expect(await cooldown.textContent()).toMatch(/gemini-2\.5-pro cooling: \d/);
    expect(await page.locator("#health").textContent()).toMatch(/healthy|degraded/);
    await page.screenshot({ path: join(ARTIFACTS, "admin-ui-credentials.png"), fullPage: true });
  });

  it("disables and re-enables a credential", async () => {
    const card = page.locator("article.cred", { hasText: "grace.hopper@example.com" });
    await card.locator("button[data-action=disable]").click();
    await page.waitForSelector("article.cred[data-status=disabled]");
    expect(await page.locator("article.cred[data-status=disabled] .email").textContent()).toBe(
      "grace.hopper@example.com",
    );
    expect(proxy.pool.list().find((c) => c.email === "grace.hopper@example.com")!.state.status).toBe("disabled");
    await page.screenshot({ path: join(ARTIFACTS, "admin-ui-disabled.png"), fullPage: true });
    await page.locator("article.cred[data-status=disabled] button[data-action=enable]").click();
    await page.waitForFunction(() => !document.querySelector("article.cred[data-status=disabled]"));
    expect(proxy.pool.list().find((c) => c.email === "grace.hopper@example.com")!.state.status).toBe("active");
  });

  it("checks a credential with a POST that carries the session's CSRF token", async () => {
    const grace = () => proxy.pool.list().find((c) => c.email === "grace.hopper@example.com")!;
    const before = grace().state.lastCheck?.at ?? 0;
    const posted = page.waitForRequest((r) => r.url().endsWith("/check"));
    await page
      .locator("article.cred", { hasText: "grace.hopper@example.com" })
      .locator("button[data-action=check]")
      .click();
    const request = await posted;
    expect(request.method()).toBe("POST");
    expect(request.headers()["x-csrf-token"]).toBeTruthy();
    const toast = page.locator(".toast", { hasText: /^Check/ });
    await toast.waitFor();
    expect(await toast.textContent()).toMatch(/healthy/);
    await expect.poll(() => grace().state.lastCheck?.at ?? 0).toBeGreaterThan(before);
  });

  it("draws the usage chart with data, the usage table and errors by class", async () => {
    await page.waitForSelector("#chart svg rect.bar-rect");
    const total = Number(await page.locator("#chart svg").getAttribute("data-total"));
    expect(total).toBe(14);
    expect(await page.locator("#legend span").allTextContents()).toEqual(
      expect.arrayContaining(["gemini-2.5-flash", "gemini-2.5-pro"]),
    );
    expect(await page.locator("#usage-table tbody tr").count()).toBe(2);
    expect(await page.locator("#error-classes").textContent()).toContain("invalid_request: 1");
    await page.selectOption("#metric", "tokens");
    await page.waitForFunction(() => Number(document.querySelector("#chart svg")?.getAttribute("data-total")) > 14);
    await page.selectOption("#by", "key");
    await page.waitForFunction(
      () =>
        document.querySelectorAll("#legend span").length === 1 &&
        /^key-/.test(document.querySelector("#legend span")!.textContent!),
    );
    await page.selectOption("#by", "model");
    await page.selectOption("#metric", "requests");
    await page.waitForFunction(() => document.querySelectorAll("#legend span").length === 2);
    await page.screenshot({ path: join(ARTIFACTS, "admin-ui.png"), fullPage: true });
  });

  it("refreshes live, without a reload", async () => {
    const marker = await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = Math.random()));
    await fetch(`${server.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: "POST",
      headers: authHeaders(),
      body: generateBody("live"),
    });
    await page.waitForFunction(
      () => Number(document.querySelector("#chart svg")?.getAttribute("data-total")) === 15,
      undefined,
      { timeout: 12_000 },
    );
    expect(await page.evaluate(() => (window as unknown as { __marker: number }).__marker)).toBe(marker);
  }, 20_000);

  it("switches to dark mode and fits a phone screen", async () => {
    await page.click("#theme");
    const dark = await page.evaluate(() => document.documentElement.dataset.theme);
    expect(["dark", "light"]).toContain(dark);
    if (dark !== "dark") await page.click("#theme");
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(17, 20, 24)");
    await page.screenshot({ path: join(ARTIFACTS, "admin-ui-dark.png"), fullPage: true });
    await page.click("#theme");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, "admin-ui-phone.png"), fullPage: true });
    // The README's picture: credentials and the chart in one frame.
    await page.setViewportSize({ width: 1200, height: 1180 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForFunction(
      () => (document.querySelector("#chart svg")?.getAttribute("viewBox") ?? "").startsWith("0 0 11"),
      undefined,
      { timeout: 8000 },
    );
    // docs/admin-ui.png is committed: rewrite it only when missing or asked (UPDATE_SCREENSHOTS=1).
    const target =
      !existsSync(DOCS_SHOT) || process.env.UPDATE_SCREENSHOTS === "1"
        ? DOCS_SHOT
        : join(ARTIFACTS, "admin-ui-readme.png");
    await mkdir(join(target, ".."), { recursive: true });
    await page.screenshot({ path: target });
    expect((await stat(target)).size).toBeLessThan(200_000);
  });

  it("ran without script errors or CSP violations", () => {
    expect(consoleErrors.filter((e) => !/401|Failed to load resource/.test(e))).toEqual([]);
  });
});
