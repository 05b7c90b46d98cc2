// Web login against the fake Google's OAuth server: loopback through real redirects, authcode with
// PKCE, the pasted redirect URL, re-login, and the state rules (single use, concurrent logins).
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { describeMatrix } from "./_setup.ts";
import {
  ADMIN,
  basic,
  call,
  complete,
  consent,
  loginStorages as storages,
  loopbackOrigin,
  loopbackToCallback,
  startJson,
  webLoginSetup,
} from "./_login.ts";

describeMatrix("web login", webLoginSetup, (h) => {
  it("loopback: /oauth2/login → Google → /oauth2/callback adds the account (PKCE S256, fresh state)", async () => {
    h.fake.setConsent({ email: "loop@example.com" });
    const origin = loopbackOrigin(h);
    const { callback, cookie, login } = await loopbackToCallback(h, origin, "");
    const authorize = new URL(login.headers.get("location")!);
    expect(authorize.origin).toBe(new URL(h.fake.endpoints.oauthAuthorize).origin);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${origin}/oauth2/callback`);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("access_type")).toBe("offline");
    expect(authorize.searchParams.get("prompt")).toBe("consent");
    expect(authorize.searchParams.get("state")).toMatch(/^[0-9a-f]{64}$/);
    expect(callback.startsWith(`${origin}/oauth2/callback?`)).toBe(true);
    expect(cookie).toBeTruthy();
    // The browser that started the login finishes it with its cookie alone (Google's redirect carries no credentials).
    const res = await call(h, callback, { headers: { cookie: cookie! } });
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(page).toContain("Authentication Successful!");
    expect(page).toContain("loop@example.com was added");
    const view = h.proxy.pool.list().find((c) => c.email === "loop@example.com");
    expect(view?.state.status).toBe("active");
    expect(view?.project).toBeTruthy();
    const token = h.fake.last({ action: "token" });
    expect(typeof (token!.body as Record<string, unknown>).code_verifier).toBe("string");
    expect(page).not.toContain(String((token!.body as Record<string, unknown>).code));
    // Single use: the same callback again is refused.
    const again = await call(h, callback, { headers: { cookie: cookie!, authorization: basic() } });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('data-code="unknown_state"');
  });

  it("logging in again with the same account updates it instead of duplicating it", async () => {
    h.fake.setConsent({ email: "again@example.com" });
    const origin = loopbackOrigin(h);
    const first = await loopbackToCallback(h, origin);
    expect((await call(h, first.callback, { headers: { cookie: first.cookie! } })).status).toBe(200);
    const count = h.proxy.pool.list().length;
    const second = await loopbackToCallback(h, origin);
    const res = await call(h, second.callback, { headers: { cookie: second.cookie! } });
    expect(await res.text()).toContain("again@example.com was already in the pool and has been updated");
    expect(h.proxy.pool.list().length).toBe(count);
    expect(h.proxy.pool.list().filter((c) => c.email === "again@example.com")).toHaveLength(1);
  });

  it("authcode: Google's code page, PKCE, the pasted code is exchanged", async () => {
    h.fake.setConsent({ email: "code@example.com" });
    const started = await startJson(h, h.url, "authcode");
    const authorize = new URL(started.authorizeUrl);
    expect(authorize.searchParams.get("redirect_uri")).toBe("https://codeassist.google.com/authcode");
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    const google = await consent(started.authorizeUrl);
    expect(google.code).toMatch(/^4\//);
    const done = await complete(h, h.url, { state: started.state, input: `  ${google.code}\n` });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      ok: true,
      result: "added",
      credential: { email: "code@example.com", state: { status: "active" } },
    });
    const sent = h.fake.last({ action: "token" })!.body as Record<string, string>;
    expect(sent.redirect_uri).toBe("https://codeassist.google.com/authcode");
    expect(createHash("sha256").update(sent.code_verifier!).digest("base64url")).toBe(
      authorize.searchParams.get("code_challenge"),
    );
  });

  it("authcode: a wrong PKCE verifier is rejected by Google and shown as invalid_grant", async () => {
    h.fake.setConsent({ email: "verifier@example.com" });
    const started = await startJson(h, h.url, "authcode");
    const storage = storages.get(h.fake)!;
    const record = (await storage.getItem<Record<string, unknown>>(`oauth:${started.state}`))!;
    await storage.setItem(`oauth:${started.state}`, { ...record, verifier: "x".repeat(64) });
    const google = await consent(started.authorizeUrl);
    const done = await complete(h, h.url, { state: started.state, input: google.code });
    expect(done.status).toBe(400);
    expect(done.body.error?.code).toBe("invalid_grant");
    expect(h.fake.last({ action: "token" })?.status).toBe(400);
    expect(h.proxy.pool.list().some((c) => c.email === "verifier@example.com")).toBe(false);
  });

  it("paste: the dead 127.0.0.1 redirect URL pasted into the page completes the login", async () => {
    h.fake.setConsent({ email: "paste@example.com" });
    const started = await startJson(h, h.url, "paste");
    expect(started.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback$/);
    const google = await consent(started.authorizeUrl);
    expect(google.location?.startsWith(started.redirectUri)).toBe(true);
    const done = await complete(h, h.url, { state: started.state, input: google.location });
    expect(done.body).toMatchObject({ ok: true, result: "added", credential: { email: "paste@example.com" } });
    // A URL pasted without the page's state works too (the URL carries it) — but only once.
    const replay = await complete(h, h.url, { url: google.location });
    expect(replay.body.error?.code).toBe("unknown_state");
  });

  it("paste: a URL from another login than the page's is refused (mismatched state)", async () => {
    h.fake.setConsent({ email: "mixed@example.com" });
    const a = await startJson(h, h.url, "paste");
    const b = await startJson(h, h.url, "paste");
    const google = await consent(a.authorizeUrl);
    const done = await complete(h, h.url, { state: b.state, input: google.location });
    expect(done.status).toBe(400);
    expect(done.body.error?.code).toBe("unknown_state");
    // Both logins are still pending and usable.
    expect((await complete(h, h.url, { state: a.state, input: google.location })).body.ok).toBe(true);
  });

  it("the paste page (no JSON): Google link, form with the state, a strict CSP; a plain form post gets an HTML result", async () => {
    h.fake.setConsent({ email: "form@example.com" });
    const res = await call(h, `${h.url}/oauth2/login?mode=authcode`, {
      method: "POST",
      headers: { authorization: basic() },
    });
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'nonce-[^']+'/);
    const href = /id="google" href="([^"]+)"/.exec(page)![1]!.replace(/&amp;/g, "&");
    const state = /name="state" value="([0-9a-f]{64})"/.exec(page)![1]!;
    expect(new URL(href).searchParams.get("state")).toBe(state);
    const google = await consent(href);
    const done = await call(h, `${h.url}/oauth2/complete`, {
      method: "POST",
      headers: { authorization: basic(), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ state, input: google.code! }).toString(),
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("form@example.com was added");
  });

  it("concurrent logins never clobber each other", async () => {
    const origin = loopbackOrigin(h);
    h.fake.setConsent({ email: "first@example.com" });
    const first = await loopbackToCallback(h, origin);
    h.fake.setConsent({ email: "second@example.com" });
    const second = await loopbackToCallback(h, origin);
    const r2 = await call(h, second.callback, { headers: { cookie: second.cookie! } });
    const r1 = await call(h, first.callback, { headers: { cookie: first.cookie! } });
    expect([r1.status, r2.status]).toEqual([200, 200]);
    const emails = h.proxy.pool.list().map((c) => c.email);
    expect(emails).toContain("first@example.com");
    expect(emails).toContain("second@example.com");
  });

  it("the add-account page offers the modes and lists the accounts", async () => {
    const res = await call(h, `${loopbackOrigin(h)}/oauth2/add`, { headers: { authorization: basic() } });
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(page).toContain('id="login-loopback"');
    expect(page).toContain('id="login-authcode"');
    expect(page).toContain('id="login-paste"');
    expect(page).toContain("Not available: Set public_url");
    expect(page).toContain("loop@example.com");
  });

  it("needs the admin: no credentials → refused; a cross-site POST → refused", async () => {
    const json = await call(h, `${h.url}/oauth2/login`, { method: "POST", headers: { accept: "application/json" } });
    expect(json.status).toBe(401);
    const page = await call(h, `${h.url}/oauth2/add`);
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toContain("/login?next=");
    const started = await startJson(h, h.url, "authcode");
    const res = await call(h, `${h.url}/oauth2/complete`, {
      method: "POST",
      headers: {
        authorization: basic(),
        "content-type": "application/json",
        origin: "https://evil.example",
        "sec-fetch-site": "cross-site",
      },
      body: JSON.stringify({ state: started.state, input: "4/whatever" }),
    });
    expect(res.status).toBe(403);
    // The refused request did not consume the login.
    expect(await storages.get(h.fake)!.getItem(`oauth:${started.state}`)).toBeTruthy();
  });

  it("a GET of /oauth2/login starts nothing: a page whose button POSTs; JSON GETs get 405; cross-site POSTs are refused", async () => {
    const storage = storages.get(h.fake)!;
    const pending = async () => (await storage.getKeys("oauth")).length;
    const before = await pending();
    const res = await call(h, `${h.url}/oauth2/login?mode=authcode`, { headers: { authorization: basic() } });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toBeNull();
    const html = await res.text();
    expect(html).toMatch(/<form id="start" method="post" action="[^"]*\/oauth2\/login\?mode=authcode"/);
    // The form's answer redirects to Google: the page's CSP must let the form go there.
    expect(res.headers.get("content-security-policy")).toContain(
      `form-action 'self' ${new URL(h.fake.endpoints.oauthAuthorize).origin}`,
    );
    const asJson = await call(h, `${h.url}/oauth2/login`, {
      headers: { authorization: basic(), accept: "application/json" },
    });
    expect(asJson.status).toBe(405);
    expect(asJson.headers.get("allow")).toBe("POST");
    const crossSite = await call(h, `${h.url}/oauth2/login?mode=authcode`, {
      method: "POST",
      headers: { authorization: basic(), origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
    expect(await pending()).toBe(before);
  });
});

describe("mode selection", () => {
  it("is chosen from the page's host, and ?mode= overrides it", async () => {
    const { createFakeGoogle } = await import("./fake-google/index.ts");
    const { createGeminiProxy } = await import("../src/index.ts");
    const { proxyOptionsFor } = await import("./_setup.ts");
    const fake = await createFakeGoogle();
    const proxy = createGeminiProxy(proxyOptionsFor(fake, { admin: ADMIN, basePath: "/gemini" }));
    const start = async (origin: string, query = "") => {
      const res = await proxy.fetch(
        new Request(`${origin}/gemini/oauth2/login${query}`, {
          method: "POST",
          headers: { authorization: basic(), accept: "application/json" },
        }),
      );
      return {
        status: res.status,
        body: (await res.json()) as { mode?: string; redirectUri?: string; error?: { code: string; message: string } },
      };
    };
    try {
      expect((await start("http://localhost:7000")).body).toMatchObject({
        mode: "loopback",
        redirectUri: "http://localhost:7000/gemini/oauth2/callback",
      });
      expect((await start("http://[::1]:7000")).body.mode).toBe("loopback");
      expect((await start("https://proxy.example.com")).body).toMatchObject({
        mode: "authcode",
        redirectUri: "https://codeassist.google.com/authcode",
      });
      expect((await start("https://proxy.example.com", "?mode=paste")).body.redirectUri).toBe(
        "http://127.0.0.1:8889/gemini/oauth2/callback",
      );
      const loopbackRemote = await start("https://proxy.example.com", "?mode=loopback");
      expect(loopbackRemote.status).toBe(400);
      expect(loopbackRemote.body.error?.code).toBe("mode_unavailable");
      const own = await start("https://proxy.example.com", "?mode=own");
      expect(own.body.error?.message).toContain("public_url");
      expect((await start("https://proxy.example.com", "?mode=bogus")).body.error?.message).toContain(
        "Unknown login mode",
      );
    } finally {
      await proxy.close();
      await fake.close();
    }
  });
});
