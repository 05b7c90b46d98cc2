// Headless Chromium for the admin page suites: where it is, whether the suite may skip without it,
// and a persistent context with page errors collected (console 401s of the sign-in are expected).
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** False when Chromium is missing: the suite skips, or fails under REQUIRE_ALL_SUITES=1. */
export function chromiumFor(suite: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.REQUIRE_ALL_SUITES === "1")
    throw new Error(`${suite}: ${CHROMIUM} is missing and REQUIRE_ALL_SUITES=1`);
  console.warn(`${suite}: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  return false;
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors other than the expected 401s. */
  errors: string[];
  /** Uncaught page errors alone. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openBrowser(viewport: { width: number; height: number }): Promise<BrowserSession> {
  const { chromium } = await import("playwright-core");
  const profile = await mkdtemp(join(tmpdir(), "gcp-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => {
    errors.push(String(error));
    pageErrors.push(String(error));
  });
  page.on("console", (msg) => {
    if (msg.type() === "error" && !/401|Failed to load resource/.test(msg.text())) errors.push(msg.text());
  });
  return {
    context,
    page,
    errors,
    pageErrors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in on the admin page's form and waits for the page to have loaded its data. */
export async function signIn(page: Page, url: string, admin: { username: string; password: string }): Promise<void> {
  await page.goto(`${url}/`);
  await page.fill('input[name="username"]', admin.username);
  await page.fill('input[name="password"]', admin.password);
  await page.click('button[type="submit"]');
  await page.waitForSelector("body[data-loaded='1']", { timeout: 15_000 });
}
