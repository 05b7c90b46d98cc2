// Admin auth: loopback-only default, Basic, login sessions (cookie flags, CSRF, logout), the
// rate limit on failed logins, and cross-site refusals — through proxy.fetch and a real server.
import { expect, it } from "vitest";
import { describeMatrix } from "./_setup.ts";
import { ADMIN, adminHeaders, basic, localRequest, rawRequest } from "./_admin.ts";

const setup =
  (extra = {}) =>
  (fake: import("./fake-google/index.ts").FakeGoogle) => {
    fake.addAccount({ email: "alice@example.com" });
    return { credentials: [fake.simpleCredential("alice@example.com")], ...extra };
  };

describeMatrix("admin auth, no admin credentials configured", setup(), (h) => {
  it("answers a local client", async () => {
    const res = await localRequest(h, "/admin/credentials");
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveLength(1);
  });

  it("serves the page to a local client", async () => {
    const res = await localRequest(h, "/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(await res.text()).toContain('id="credentials"');
  });

  it("refuses a client without a known peer (bare proxy.fetch) or from elsewhere with a 403 that explains the config", async () => {
    const res =
      h.kind === "fetch"
        ? await h.proxy.fetch(new Request("http://localhost/admin/credentials"))
        : await localRequest(h, "/admin/credentials", { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { detail: string };
    if (h.kind === "fetch") {
      // No peer address at all: the real cause, and the library option that fixes it.
      expect(body.detail).toMatch(/did not expose the client's address/);
      expect(body.detail).toMatch(/admin: \{ username, password \}/);
    } else {
      expect(body.detail).toMatch(/admin_username/);
      expect(body.detail).toMatch(/admin_password/);
    }
  });

  it("treats a forwarded request as remote even from loopback (reverse proxy on the same host)", async () => {
    for (const header of ["x-forwarded-for", "forwarded", "x-real-ip"]) {
      const res = await localRequest(h, "/admin/usage", {
        headers: { [header]: header === "forwarded" ? "for=198.51.100.1" : "198.51.100.1" },
      });
      expect(res.status, header).toBe(403);
    }
  });

  it("refuses a non-loopback peer address given by the host", async () => {
    if (h.kind === "node") return; // the real socket is always loopback here; the fetch row covers it
    const res = await localRequest(h, "/admin/credentials", {}, "192.0.2.7");
    expect(res.status).toBe(403);
  });

  it("refuses a loopback peer that names a foreign Host (DNS rebinding)", async () => {
    if (h.kind === "fetch") {
      const request = new Request("http://evil.example/admin/credentials");
      Object.defineProperty(request, "ip", { value: "127.0.0.1" });
      expect((await h.proxy.fetch(request)).status).toBe(403);
      return;
    }
    const res = await rawRequest(`${h.url}/admin/credentials`, { headers: { host: "evil.example" } });
    expect(res.status).toBe(403);
  });

  it("shows an HTML explanation (not a login form) to remote browsers", async () => {
    const res = await localRequest(h, "/", { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/admin_password/);
  });

  it("refuses cross-site state changes from a local browser (CSRF)", async () => {
    const cases: Record<string, string>[] = [
      { origin: "http://evil.example" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: "null" },
    ];
    for (const headers of cases) {
      const res = await localRequest(h, "/admin/usage/reset", { method: "POST", headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/CSRF/);
    }
  });

  it("accepts same-origin state changes and scripts without Origin", async () => {
    const host = h.kind === "node" ? new URL(h.url).host : "localhost";
    const variants: Record<string, string>[] = [{}, { origin: `http://${host}` }, { "sec-fetch-site": "same-origin" }];
    for (const headers of variants) {
      const res = await localRequest(h, "/admin/usage/reset", { method: "POST", headers });
      expect(res.status, JSON.stringify(headers)).toBe(200);
    }
  });

  it("has no login to offer: local clients go straight to the page", async () => {
    const res = await localRequest(h, "/login", { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
  });

  it("keeps /health public", async () => {
    const res = await h.request("/health");
    expect(res.status).toBe(200);
  });
});

describeMatrix("admin auth with admin credentials", setup({ admin: ADMIN }), (h) => {
  const login = async (password = ADMIN.password, next?: string) => {
    const form = new URLSearchParams({ username: ADMIN.username, password, ...(next ? { next } : {}) });
    return h.request("/login", {
      method: "POST",
      body: form,
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  };
  const cookieOf = (res: Response) => res.headers.get("set-cookie")!.split(";")[0]!;

  it("asks for Basic credentials with a 401 and WWW-Authenticate", async () => {
    const res = await h.request("/admin/credentials");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
  });

  it("refuses wrong Basic credentials, even from loopback", async () => {
    for (const auth of [
      basic(ADMIN.username, "nope"),
      basic("root", ADMIN.password),
      basic(ADMIN.username, `${ADMIN.password}x`),
    ]) {
      const res = await localRequest(h, "/admin/credentials", { headers: { authorization: auth } });
      expect(res.status).toBe(401);
    }
    expect((await localRequest(h, "/admin/credentials")).status).toBe(401);
  });

  it("accepts the right Basic credentials", async () => {
    const res = await h.request("/admin/credentials", { headers: adminHeaders() });
    expect(res.status).toBe(200);
  });

  it("does not take a client API key as admin credentials", async () => {
    const res = await h.request("/admin/credentials", { headers: { authorization: "Bearer test-client-key" } });
    expect(res.status).toBe(401);
  });

  it("sends browsers to the login form", async () => {
    const res = await h.request("/", { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login?next=%2F");
    const form = await h.request("/login");
    expect(form.status).toBe(200);
    expect(await form.text()).toMatch(/<form method="post"/);
  });

  it("refuses a wrong password on the form", async () => {
    const res = await login("wrong");
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toMatch(/Wrong username or password/);
  });

  it("opens a session with an HttpOnly, SameSite=Strict cookie", async () => {
    const res = await login();
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    const page = await h.request("/", { headers: { cookie: cookieOf(res) } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<meta name="gcp-csrf" content="[\w-]{20,}">/);
  });

  it("never redirects after login to another site", async () => {
    for (const next of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
      const res = await login(ADMIN.password, next);
      expect(res.headers.get("location"), next).toBe("/");
    }
    expect((await login(ADMIN.password, "/admin/usage")).headers.get("location")).toBe("/admin/usage");
  });

  it("requires the session's CSRF token on state changes", async () => {
    const cookie = cookieOf(await login());
    const session = (await (await h.request("/admin/session", { headers: { cookie } })).json()) as {
      csrf_token: string;
      via: string;
    };
    expect(session.via).toBe("session");
    const without = await h.request("/admin/usage/reset", { method: "POST", headers: { cookie } });
    expect(without.status).toBe(403);
    const wrong = await h.request("/admin/usage/reset", {
      method: "POST",
      headers: { cookie, "x-csrf-token": "x".repeat(32) },
    });
    expect(wrong.status).toBe(403);
    const right = await h.request("/admin/usage/reset", {
      method: "POST",
      headers: { cookie, "x-csrf-token": session.csrf_token },
    });
    expect(right.status).toBe(200);
    const crossSite = await h.request("/admin/usage/reset", {
      method: "POST",
      headers: { cookie, "x-csrf-token": session.csrf_token, "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
  });

  it("refuses a login form posted from another site", async () => {
    const form = new URLSearchParams({ username: ADMIN.username, password: ADMIN.password });
    const res = await h.request("/login", {
      method: "POST",
      body: form,
      redirect: "manual",
      headers: { origin: "http://evil.example" },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("ends the session on logout", async () => {
    const cookie = cookieOf(await login());
    const { csrf_token } = (await (await h.request("/admin/session", { headers: { cookie } })).json()) as {
      csrf_token: string;
    };
    const out = await h.request("/logout", {
      method: "POST",
      headers: { cookie, "x-csrf-token": csrf_token, accept: "application/json" },
    });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/Max-Age=0/);
    const after = await h.request("/admin/credentials", { headers: { cookie } });
    expect(after.status).toBe(401);
    // The page's own fetches get no Basic challenge (no browser prompt): it goes to /login instead.
    expect(after.headers.get("www-authenticate")).toBeNull();
  });

  it("ignores forged session cookies", async () => {
    const res = await h.request("/admin/credentials", { headers: { cookie: "gcp_admin_session=forged-session-id" } });
    expect(res.status).toBe(401);
  });
});
