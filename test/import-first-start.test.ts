// First start with an empty pool: ~/.gemini/oauth_creds.json is offered, or imported when asked.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy } from "../src/index.ts";
import { firstStartGeminiCliImport } from "../src/login/first-start.ts";
import { proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

describe("first start: the Gemini CLI's login", () => {
  let fake: FakeGoogle;
  let home: string;
  const logs: string[] = [];
  const logger = {
    info: (...a: unknown[]) => logs.push(a.join(" ")),
    warn: (...a: unknown[]) => logs.push(`WARN ${a.join(" ")}`),
  };
  beforeAll(async () => {
    fake = await createFakeGoogle();
    fake.addAccount({ email: "mine@example.com" });
    home = await mkdtemp(join(tmpdir(), "gcp-home-"));
    await mkdir(join(home, ".gemini"));
    await writeFile(
      join(home, ".gemini", "oauth_creds.json"),
      JSON.stringify(fake.oauthCreds("mine@example.com"), null, 2),
    );
  });
  afterAll(() => fake.close());

  it("offers it without importing, imports it when asked, then leaves a non-empty pool alone", async () => {
    const proxy = createGeminiProxy(proxyOptionsFor(fake));
    try {
      expect(await firstStartGeminiCliImport(proxy.pool, { importNow: false, logger, home })).toBe("offered");
      expect(logs.at(-1)).toContain("--import-gemini-cli");
      expect(proxy.pool.list()).toEqual([]);
      expect(await firstStartGeminiCliImport(proxy.pool, { importNow: true, logger, home })).toBe("imported");
      expect(proxy.pool.list().map((c) => c.email)).toEqual(["mine@example.com"]);
      expect(logs.at(-1)).toMatch(/mine@example\.com added/);
      expect(logs.join("\n")).not.toContain(String(fake.oauthCreds("mine@example.com").refresh_token));
      expect(await firstStartGeminiCliImport(proxy.pool, { importNow: true, logger, home })).toBe("none");
    } finally {
      await proxy.close();
    }
  });

  it("does nothing without the file; reports a broken file", async () => {
    const proxy = createGeminiProxy(proxyOptionsFor(fake));
    try {
      expect(await firstStartGeminiCliImport(proxy.pool, { importNow: true, logger, home: join(home, "nobody") })).toBe(
        "none",
      );
      const broken = join(home, "broken");
      await mkdir(join(broken, ".gemini"), { recursive: true });
      await writeFile(join(broken, ".gemini", "oauth_creds.json"), "{not json");
      expect(await firstStartGeminiCliImport(proxy.pool, { importNow: true, logger, home: broken })).toBe("failed");
      expect(logs.at(-1)).toMatch(/WARN could not import .*not valid JSON/);
    } finally {
      await proxy.close();
    }
  });
});
