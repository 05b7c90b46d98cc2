// Every way a web login can fail, each shown as a plain page (or JSON) with a way back; plus the
// account-state outcomes (ineligible dropped with Google's reason, needs_verification kept) and a
// login finished on another instance sharing the storage.
import { createStorage } from "unstorage";
import { describe, expect, it } from "vitest";
import { createGeminiProxy, type StorageLike } from "../src/index.ts";
import { describeMatrix, proxyOptionsFor } from "./_setup.ts";
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
import { createFakeGoogle } from "./fake-google/index.ts";

describeMatrix("web login errors", webLoginSetup, (h) => {
  const errorOf = async (res: Response) => {
    const page = await res.text();
    expect(page).toContain("Authentication Failed");
    expect(page).toContain("/oauth2/add"); // a way back
    return { status: res.status, code: /data-code="([^"]+)"/.exec(page)?.[1], page };
  };

  it("access_denied at Google: plain page, nothing added, the login is used up", async () => {
    h.fake.setConsent({ email: "deny@example.com", deny: true });
    const { callback, cookie } = await loopbackToCallback(h, loopbackOrigin(h));
    expect(new URL(callback).searchParams.get("error")).toBe("access_denied");
    const res = await errorOf(await call(h, callback, { headers: { cookie: cookie! } }));
    expect(res).toMatchObject({ status: 400, code: "access_denied" });
    expect(res.page).toContain("Access was denied at Google");
    expect(h.proxy.pool.list().some((c) => c.email === "deny@example.com")).toBe(false);
    expect(
      (await errorOf(await call(h, callback, { headers: { cookie: cookie!, authorization: basic() } }))).code,
    ).toBe("unknown_state");
  });

  it("mismatched state: refused, and the real login stays pending", async () => {
    h.fake.setConsent({ email: "state@example.com", wrongState: true });
    const { callback, cookie, login } = await loopbackToCallback(h, loopbackOrigin(h));
    const state = new URL(login.headers.get("location")!).searchParams.get("state")!;
    expect(new URL(callback).searchParams.get("state")).not.toBe(state);
    // No pending login matches, so the browser cookie proves nothing: the admin must be there.
    const stranger = await call(h, callback, { headers: { cookie: cookie! } });
    expect(stranger.status).toBe(303);
    const res = await errorOf(await call(h, callback, { headers: { cookie: cookie!, authorization: basic() } }));
    expect(res).toMatchObject({ status: 400, code: "unknown_state" });
    expect(await storages.get(h.fake)!.getItem(`oauth:${state}`)).toBeTruthy();
  });

  it("expired login: refused as expired", async () => {
    h.fake.setConsent({ email: "late@example.com" });
    const { callback, cookie } = await loopbackToCallback(h, loopbackOrigin(h));
    const state = new URL(callback).searchParams.get("state")!;
    const storage = storages.get(h.fake)!;
    const record = (await storage.getItem<Record<string, unknown>>(`oauth:${state}`))!;
    await storage.setItem(`oauth:${state}`, { ...record, expiresAt: Date.now() - 1000 });
    const exchanges = h.fake.count({ action: "token" });
    const res = await errorOf(await call(h, callback, { headers: { cookie: cookie! } }));
    expect(res).toMatchObject({ status: 400, code: "expired" });
    expect(h.fake.count({ action: "token" })).toBe(exchanges); // never sent to Google
    expect(h.proxy.pool.list().some((c) => c.email === "late@example.com")).toBe(false);
  });

  it("invalid_grant: a code Google does not know (or a reused one) is refused", async () => {
    const started = await startJson(h, h.url, "authcode");
    const done = await complete(h, h.url, { state: started.state, input: "4/0AbNotAValidCode" });
    expect(done.status).toBe(400);
    expect(done.body.error?.code).toBe("invalid_grant");
    expect(done.body.error?.message).not.toContain("4/0AbNotAValidCode");
  });

  it("a callback from another browser without admin credentials is sent to the admin login, and the login survives", async () => {
    h.fake.setConsent({ email: "bound@example.com" });
    const { callback, cookie } = await loopbackToCallback(h, loopbackOrigin(h));
    const other = await call(h, callback, { headers: { cookie: "gcp_oauth_browser=someone-elses-browser-id" } });
    expect(other.status).toBe(303);
    expect(other.headers.get("location")).toContain("/login?next=");
    const ok = await call(h, callback, { headers: { cookie: cookie! } });
    expect(ok.status).toBe(200);
  });

  it("ineligible account: shown with Google's reason and not kept", async () => {
    h.fake.addAccount({ email: "gone@example.com", scenario: "ineligible" });
    h.fake.setConsent({ email: "gone@example.com" });
    const { callback, cookie } = await loopbackToCallback(h, loopbackOrigin(h));
    const res = await call(h, callback, { headers: { cookie: cookie! } });
    const page = await res.text();
    expect(res.status).toBe(422);
    expect(page).toContain("Account not added");
    expect(page).toContain('data-status="ineligible"');
    expect(page).toMatch(/UNSUPPORTED_CLIENT|no longer serves/);
    expect(h.proxy.pool.list().some((c) => c.email === "gone@example.com")).toBe(false);
  });

  it("account that needs verification: kept, with Google's link", async () => {
    h.fake.addAccount({ email: "verify@example.com", scenario: "validation-required" });
    h.fake.setConsent({ email: "verify@example.com" });
    const started = await startJson(h, h.url, "authcode");
    const done = await complete(h, h.url, { state: started.state, input: (await consent(started.authorizeUrl)).code });
    expect(done.body.ok).toBe(true);
    expect(done.body.result).toBe("added");
    expect(done.body.credential?.state.status).toBe("needs_verification");
    expect(done.body.credential?.state.link).toMatch(/^https?:\/\//);
    expect(done.body.message).toContain("needs_verification");
    expect(h.proxy.pool.list().find((c) => c.email === "verify@example.com")?.state.status).toBe("needs_verification");
  });

  it("the result page of a kept account that needs verification: green heading, the state in the message", async () => {
    h.fake.addAccount({ email: "verify-page@example.com", scenario: "validation-required" });
    h.fake.setConsent({ email: "verify-page@example.com" });
    const { callback, cookie } = await loopbackToCallback(h, loopbackOrigin(h));
    const res = await call(h, callback, { headers: { cookie: cookie! } });
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(page).toContain('<h1 class="ok">Authentication Successful!</h1>');
    expect(page).toMatch(/<p id="outcome" class="warn" data-result="added" data-status="needs_verification">/);
  });

  it("Google's error text is escaped on the page", async () => {
    const { callback, cookie } = await (async () => {
      h.fake.setConsent({ email: "xss@example.com" });
      return loopbackToCallback(h, loopbackOrigin(h));
    })();
    const url = new URL(callback);
    const forged = `${url.origin}${url.pathname}?state=${url.searchParams.get("state")}&error=access_denied&error_description=${encodeURIComponent("<script>alert(1)</script>")}`;
    const page = await (await call(h, forged, { headers: { cookie: cookie! } })).text();
    expect(page).not.toContain("<script>alert(1)");
    expect(page).toContain("&lt;script&gt;");
  });
});

describe("web login across instances", () => {
  it("a login started on one instance completes on another that shares the storage", async () => {
    const fake = await createFakeGoogle();
    const storage = createStorage() as unknown as StorageLike;
    const a = createGeminiProxy(proxyOptionsFor(fake, { storage, admin: ADMIN }));
    const b = createGeminiProxy(proxyOptionsFor(fake, { storage, admin: ADMIN }));
    try {
      fake.setConsent({ email: "shared@example.com" });
      const login = await a.fetch(
        new Request("http://127.0.0.1:8889/oauth2/login", { method: "POST", headers: { authorization: basic() } }),
      );
      const google = await consent(login.headers.get("location")!);
      const cookie = login.headers.getSetCookie()[0]!.split(";")[0]!;
      const res = await b.fetch(new Request(google.location!, { headers: { cookie } }));
      expect(res.status).toBe(200);
      expect(b.pool.list().map((c) => c.email)).toContain("shared@example.com");
      expect(await storage.getKeys("oauth")).toEqual([]);
    } finally {
      await a.close();
      await b.close();
      await fake.close();
    }
  });
});
