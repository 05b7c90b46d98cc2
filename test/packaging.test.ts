// What the npm package tells a new user before any code runs (issue 16, "Packaging"): a LICENSE
// that matches package.json, where the project lives, README pictures that render on the registry
// (absolute URLs), and what npm 11 prints about the `prepare` script. The tarball's file list comes
// from `npm pack --dry-run` (scripts off: nothing is built or run).
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const run = promisify(execFile);
const pkg = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as Record<string, any>;
const readme = await readFile(join(ROOT, "README.md"), "utf8");

describe("the package's metadata", () => {
  it("ships a LICENSE whose text matches the license field", async () => {
    expect(pkg.license).toBe("MIT");
    const license = await readFile(join(ROOT, "LICENSE"), "utf8");
    expect(license).toMatch(/^MIT License\n/);
    expect(license).toContain("Permission is hereby granted, free of charge");
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT });
    const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json"]));
    expect(files.some((f) => f.startsWith("test/") || f.startsWith("src/"))).toBe(false);
  }, 60_000);

  it("names the repository, homepage and issue tracker", () => {
    expect(pkg.repository).toMatchObject({ type: "git", url: expect.stringMatching(/^git\+https:\/\/github\.com\//) });
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs?.url).toMatch(/^https:\/\/.+\/issues$/);
  });

  it("shows README pictures by absolute URL (the registry cannot resolve repository paths)", () => {
    const images = [
      ...[...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]!),
      ...[...readme.matchAll(/<img[^>]+src="([^"]+)"/g)].map((m) => m[1]!),
    ];
    expect(images.length).toBeGreaterThan(0);
    for (const src of images) expect(src).toMatch(/^https:\/\//);
  });

  it("says in the README what npm 11 prints about the prepare script, and why it is there", () => {
    expect(pkg.scripts.prepare).toBeTruthy();
    expect(readme.replace(/\s+/g, " ")).toMatch(/`prepare` script builds `dist\/`/);
    expect(readme.replace(/\s+/g, " ")).toMatch(/npm 11 may print `npm warn install-scripts/);
  });
});

describe("the built code (dist/, as `npm test` builds it before the suites)", () => {
  const chunks = async () => {
    const { readdir } = await import("node:fs/promises");
    const names = (await readdir(join(ROOT, "dist"))).filter((f) => f.endsWith(".mjs"));
    return Promise.all(names.map(async (name) => ({ name, code: await readFile(join(ROOT, "dist", name), "utf8") })));
  };

  it("is Latin-1 only, so V8 keeps each module's source as a one-byte string", async () => {
    const all = await chunks();
    expect(all.length).toBeGreaterThan(3);
    for (const { name, code } of all)
      expect({ name, wide: code.match(/[^\0-\xff]/g) ?? [] }).toEqual({ name, wide: [] });
    // The escapes keep the values: an API key's hint still starts with "…" (U+2026) in the built package.
    const script =
      'const { createGeminiProxy } = await import("./dist/index.mjs");' +
      'const p = createGeminiProxy({ geminiApiKeys: ["AIzaSyLatin1Check0000000000000000000WXYZ"], logger: false });' +
      "await p.ready(); console.log(JSON.stringify(p.pool.list()[0].keyHint)); await p.close();";
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT });
    expect(JSON.parse(stdout)).toBe("\u2026WXYZ");
  }, 30_000);

  it("inlines the used part of valibot instead of loading its whole module", async () => {
    for (const { name, code } of await chunks())
      expect({ name, imports: /from\s*"valibot"/.test(code) }).toEqual({ name, imports: false });
  });
});
