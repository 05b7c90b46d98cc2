// Login sessions shared through storage (several instances), bound to the admin password, under a
// basePath; and the rate limit on failed admin logins (form and Basic).
import { createStorage } from "unstorage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy, type StorageLike } from "../src/index.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { listen, proxyOptionsFor } from "./_setup.ts";
import { ADMIN, basic } from "./_admin.ts";

let fake: FakeGoogle;
const proxies: GeminiProxy[] = [];
const make = (extra: Parameters<typeof createGeminiProxy>[0] = {}) => {
  const proxy = createGeminiProxy(proxyOptionsFor(fake, { admin: ADMIN, ...extra }));
  proxies.push(proxy);
  return proxy;
};
const call = (proxy: GeminiProxy, path: string, init: RequestInit = {}) =>
  proxy.fetch(new Request(`http://proxy.test${path}`, { redirect: "manual", ...init }));
const loginForm = (password: string) => ({
  method: "POST",
  body: new URLSearchParams({ username: ADMIN.username, password }),
  headers: { "content-type": "application/x-www-form-urlencoded" },
});

beforeAll(async () => {
  fake = await createFakeGoogle();
});
afterAll(async () => {
  for (const p of proxies) await p.close();
  await fake.close();
});

describe("admin sessions", () => {
  it("work across instances that share storage", async () => {
    const storage = createStorage() as unknown as StorageLike;
    const a = make({ storage });
    const b = make({ storage });
    const res = await call(a, "/login", loginForm(ADMIN.password));
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    expect((await call(b, "/admin/credentials", { headers: { cookie } })).status).toBe(200);
    // Storage holds a hash of the session id, never the cookie value itself.
    const keys = await storage.getKeys("admin");
    expect(keys.length).toBe(1);
    expect(keys.join()).not.toContain(cookie.split("=")[1]!);
  });

  it("end when the admin password changes", async () => {
    const storage = createStorage() as unknown as StorageLike;
    const before = make({ storage });
    const cookie = (await call(before, "/login", loginForm(ADMIN.password))).headers.get("set-cookie")!.split(";")[0]!;
    const after = make({ storage, admin: { ...ADMIN, password: "a-new-password" } });
    expect((await call(after, "/admin/credentials", { headers: { cookie } })).status).toBe(401);
  });

  it("expire after sessionTtlSec", async () => {
    const proxy = make({ admin: { ...ADMIN, sessionTtlSec: 1 } });
    const cookie = (await call(proxy, "/login", loginForm(ADMIN.password))).headers.get("set-cookie")!.split(";")[0]!;
    expect((await call(proxy, "/admin/credentials", { headers: { cookie } })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await call(proxy, "/admin/credentials", { headers: { cookie } })).status).toBe(401);
  });

  it("live under basePath: cookie path, login redirect, page assets", async () => {
    const proxy = make({ basePath: "/gemini" });
    const page = await call(proxy, "/gemini/");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/gemini/login?next=%2Fgemini%2F");
    const res = await call(proxy, "/gemini/login", loginForm(ADMIN.password));
    expect(res.headers.get("location")).toBe("/gemini/");
    expect(res.headers.get("set-cookie")).toMatch(/Path=\/gemini;/);
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    const html = await (await call(proxy, "/gemini/", { headers: { cookie } })).text();
    expect(html).toContain('src="/gemini/admin/ui/app.js"');
    expect((await call(proxy, "/gemini/admin/ui/app.js")).status).toBe(200);
  });
});

describe("failed admin login rate limit", () => {
  it("locks the login form out after 10 failures, even for the right password", async () => {
    const proxy = make();
    for (let i = 0; i < 10; i++) expect((await call(proxy, "/login", loginForm(`wrong-${i}`))).status).toBe(401);
    const locked = await call(proxy, "/login", loginForm(ADMIN.password));
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(locked.headers.get("set-cookie")).toBeNull();
  });

  it("counts Basic failures per client address (real sockets)", async () => {
    const proxy = make();
    const server = await listen(proxy.node);
    try {
      const get = (auth: string) => fetch(`${server.url}/admin/credentials`, { headers: { authorization: auth } });
      expect((await get(basic(ADMIN.username, ADMIN.password))).status).toBe(200);
      for (let i = 0; i < 10; i++) expect((await get(basic(ADMIN.username, `bad-${i}`))).status).toBe(401);
      const locked = await get(basic(ADMIN.username, ADMIN.password));
      expect(locked.status).toBe(429);
      // Another address (vouched for by a fetch host) is not locked out.
      const other = new Request("http://proxy.test/admin/credentials", {
        headers: { authorization: basic(ADMIN.username, ADMIN.password) },
      });
      Object.defineProperty(other, "ip", { value: "10.1.2.3" });
      expect((await proxy.fetch(other)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
