// A real headless Chromium clicks through "add account": the admin page's button in loopback mode
// (a start page whose form POSTs, then redirects through the fake Google and back), and the paste-the-code page with an admin session
// (its script, CSP nonce and CSRF header). Skipped with a reason when Chromium is missing, unless
// REQUIRE_ALL_SUITES=1.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy, type GeminiProxyOptions } from "../src/index.ts";
import { listen, proxyOptionsFor } from "./_setup.ts";
import { ADMIN } from "./_login.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available) {
  if (process.env.REQUIRE_ALL_SUITES === "1")
    throw new Error(`REQUIRE_ALL_SUITES=1 but Chromium is missing at ${CHROMIUM} (apt-get install -y chromium)`);
  console.warn(
    `login-browser.test.ts skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
}

type BrowserContext = import("playwright-core").BrowserContext;

describe.skipIf(!available)("add account in a real browser", () => {
  let browser: BrowserContext;
  let profile: string;
  let fake: FakeGoogle;
  const started: { proxy: GeminiProxy; close: () => Promise<void> }[] = [];

  const startProxy = async (extra: GeminiProxyOptions = {}) => {
    const proxy = createGeminiProxy(proxyOptionsFor(fake, extra));
    await proxy.ready();
    const server = await listen(proxy.node);
    started.push({ proxy, close: server.close });
    return { proxy, url: server.url };
  };

  beforeAll(async () => {
    const { chromium } = await import("playwright-core");
    fake = await createFakeGoogle();
    profile = await mkdtemp(join(tmpdir(), "gcp-chromium-"));
    // A fresh profile directory per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
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
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of started) {
      await s.close();
      await s.proxy.close();
    }
    await fake?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it("loopback: the admin page's button → Google → callback → the account is listed", async () => {
    fake.setConsent({ email: "browser@example.com" });
    const { proxy, url } = await startProxy(); // no admin credentials: loopback clients only
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${url}/`);
    await page.click("#add-account");
    // The link only shows the start button: a GET never starts a login.
    await page.waitForURL(`${url}/oauth2/login`);
    await page.click("#continue");
    await page.waitForURL(`${url}/oauth2/callback?**`);
    await expect.poll(() => page.locator("#outcome").textContent()).toContain("browser@example.com was added");
    // A success is green, never red.
    expect(await page.locator("h1").evaluate((h) => getComputedStyle(h).color)).toBe("rgb(19, 115, 51)");
    await page.click("text=Back to the admin page");
    await page.waitForURL(`${url}/`);
    await expect.poll(() => page.locator("#credentials .email").allTextContents(), { timeout: 10_000 }).toHaveLength(1);
    expect(await page.locator("#credentials [data-role=status]").first().textContent()).toBe("active");
    await page.goto(`${url}/oauth2/add`);
    expect(await page.locator("#accounts .account").allTextContents()).toEqual(["browser@example.com"]);
    expect(proxy.pool.list().map((c) => c.email)).toEqual(["browser@example.com"]);
    await page.close();
  });

  it("authcode with an admin session: the page's script pastes the code (CSP nonce, CSRF header)", async () => {
    fake.setConsent({ email: "pasted@example.com" });
    const { proxy, url } = await startProxy({ admin: ADMIN });
    await browser.clearCookies();
    const context = browser;
    const page = await context.newPage();
    const errors: string[] = [];
    // Script errors and CSP refusals (a missing favicon is not one).
    page.on("pageerror", (e) => errors.push(e.message));
    page.on(
      "console",
      (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(m.text()),
    );
    await page.goto(`${url}/oauth2/login?mode=authcode`);
    await page.waitForURL(/\/login\?next=/);
    await page.fill("input[name=username]", ADMIN.username);
    await page.fill("input[name=password]", ADMIN.password);
    await page.click("button[type=submit]");
    await page.waitForURL(`${url}/oauth2/login?mode=authcode`);
    await page.click("#continue");
    await page.waitForSelector("#google");
    const google = await context.newPage();
    await google.goto((await page.getAttribute("#google", "href"))!);
    const code = (await google.locator("#authcode").textContent())!.trim();
    await page.fill("input[name=input]", code);
    await page.click("button[type=submit]");
    await expect.poll(() => page.locator("#result").textContent()).toContain("pasted@example.com was added");
    expect(proxy.pool.list().map((c) => c.email)).toEqual(["pasted@example.com"]);
    expect(errors).toEqual([]);
    await google.close();
    await page.close();
  });
  it("upload with an admin session: a file of API keys is imported by the add-account page's script", async () => {
    const { proxy, url } = await startProxy({ admin: ADMIN });
    await browser.clearCookies();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on(
      "console",
      (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(m.text()),
    );
    await page.goto(`${url}/oauth2/add`);
    await page.waitForURL(/\/login\?next=/);
    await page.fill("input[name=username]", ADMIN.username);
    await page.fill("input[name=password]", ADMIN.password);
    await page.click("button[type=submit]");
    await page.waitForURL(`${url}/oauth2/add`);
    const keys = [fake.addApiKey(), fake.addApiKey()];
    await page.setInputFiles("#import input[name=file]", {
      name: "keys.txt",
      mimeType: "text/plain",
      buffer: Buffer.from(`${keys.join("\n")}\n`),
    });
    await page.click("#import button[type=submit]");
    await expect.poll(() => page.locator("#import-result li.ok").count()).toBe(2);
    expect(proxy.pool.list().filter((c) => c.kind === "api_key")).toHaveLength(2);
    expect(errors).toEqual([]);
    await page.close();
  });
});
