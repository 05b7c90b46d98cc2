// The admin page's "Client keys" section in a real headless Chromium: create a key (shown once,
// copied with the button), use it, see its usage, edit its limits, disable, enable and revoke it.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { listen, proxyOptionsFor } from "./_setup.ts";
import { ADMIN } from "./_admin.ts";
import { chromiumFor, openBrowser, signIn, type BrowserSession } from "./_browser.ts";

const available = chromiumFor("ui-keys");
const ARTIFACTS = join(import.meta.dirname, "artifacts");

describe.skipIf(!available)("admin page: client keys in Chromium", () => {
  let fake: FakeGoogle;
  let proxy: GeminiProxy;
  let server: Awaited<ReturnType<typeof listen>>;
  let browser: BrowserSession;
  let page: import("playwright-core").Page;
  let pageErrors: string[];
  let key = "";

  const chat = (k: string) =>
    fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${k}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }] }),
    }).then((r) => r.status);

  beforeAll(async () => {
    fake = await createFakeGoogle();
    fake.addAccount({ email: "team@example.com" });
    proxy = createGeminiProxy(
      proxyOptionsFor(fake, { admin: ADMIN, credentials: [fake.simpleCredential("team@example.com")] }),
    );
    await proxy.ready();
    server = await listen(proxy.node);
    browser = await openBrowser({ width: 1280, height: 900 });
    ({ page, pageErrors } = browser);
    // The page is on 127.0.0.1 (a secure context): the copy button uses the clipboard API.
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    await mkdir(ARTIFACTS, { recursive: true });
    await signIn(page, server.url, ADMIN);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await proxy?.close();
    await fake?.close();
  });

  it("creates a key, shows it once with a copy button, and the key works", async () => {
    expect(await page.locator("#keys-table tbody").textContent()).toContain("No client keys yet");
    await page.click("#new-key-box summary");
    await page.fill('#key-form input[name="name"]', "alice");
    await page.fill('#key-form input[name="models"]', "gemini-2.5-flash*");
    await page.fill('#key-form input[name="rpm"]', "30");
    await page.click('#key-form button[type="submit"]');
    await page.waitForSelector("#created-key:not([hidden])");
    key = await page.inputValue("#created-key-value");
    expect(key).toMatch(/^gcp-[0-9A-Za-z]{32}$/);
    await page.click("#copy-key");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await page.click("#dismiss-key");
    expect(await page.inputValue("#created-key-value")).toBe("");
    const row = page.locator("#keys-table tr", { hasText: "alice" });
    await row.waitFor();
    expect(await row.textContent()).toContain("gemini-2.5-flash*");
    expect(await page.content()).not.toContain(key);
    expect(await chat(key)).toBe(200);
  }, 30_000);

  it("shows the key's usage, edits its limits, disables, enables and revokes it", async () => {
    await page.waitForFunction(
      () => document.querySelector("#keys-table [data-role=today]")?.textContent?.startsWith("1 req"),
      undefined,
      { timeout: 10_000 },
    );
    const row = () => page.locator("#keys-table tbody tr").first();
    await row().locator("button[data-action=edit]").click();
    await page.fill('#keys-table tr.editing input[name="tpm"]', "5000");
    await page.fill('#keys-table tr.editing input[name="rpm"]', "");
    await page.locator("#keys-table tr.editing button[data-action=save]").click();
    await page.waitForSelector("#keys-table tr:not(.editing)[data-id]");
    const [stored] = await proxy.keys.list();
    expect(stored).toMatchObject({ name: "alice", tpm: 5000, rpm: null });
    await page.screenshot({ path: join(ARTIFACTS, "admin-ui-keys.png"), fullPage: true });

    await row().locator("button[data-action=disable]").click();
    await page.waitForSelector("#keys-table tr[data-status=disabled]");
    expect(await chat(key)).toBe(401);
    await row().locator("button[data-action=enable]").click();
    await page.waitForSelector("#keys-table tr[data-status=active]");
    expect(await chat(key)).toBe(200);

    page.once("dialog", (dialog) => void dialog.accept());
    await row().locator("button[data-action=revoke]").click();
    await page.waitForFunction(() =>
      document.querySelector("#keys-table tbody")?.textContent?.includes("No client keys yet"),
    );
    expect(await chat(key)).toBe(401);
    expect(await proxy.keys.list()).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
