// The own-OAuth-client mode: `oauthClient` + `publicUrl`, Google redirecting to the public callback
// (the fake's `clients` option registers it), and refreshes afterwards with that same client.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy } from "../src/index.ts";
import { listen, proxyOptionsFor, type Harness } from "./_setup.ts";
import { ADMIN, basic, browserCookie, call, consent } from "./_login.ts";
import { createFakeGoogle, GEMINI_CLI_CLIENT_ID } from "./fake-google/index.ts";

const OWN = { id: "own-client-123.apps.googleusercontent.com", secret: "own-client-secret-xyz" };
const PUBLIC = "https://proxy.example.com";

// describeMatrix builds a default fake; this one needs the registered client, so it rows by hand.
for (const kind of ["fetch", "node"] as const) {
  describe(`own client with publicUrl [${kind}]`, () => {
    const h = { kind } as Harness;
    let close: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      h.fake = await createFakeGoogle({
        clients: [{ id: OWN.id, secret: OWN.secret, redirectUris: [`${PUBLIC}/oauth2/callback`] }],
      });
      h.proxy = createGeminiProxy(
        proxyOptionsFor(h.fake, {
          admin: ADMIN,
          oauthClient: { clientId: OWN.id, clientSecret: OWN.secret },
          publicUrl: `${PUBLIC}/`,
        }),
      );
      if (kind === "node") {
        const server = await listen(h.proxy.node);
        close = server.close;
        h.url = server.url;
      } else h.url = "http://127.0.0.1:8889";
    });
    afterAll(async () => {
      await close?.();
      await h.proxy.close();
      await h.fake.close();
    });

    it("redirects to public_url + /oauth2/callback and adds the account; refresh uses the same client", async () => {
      h.fake.setConsent({ email: "own@example.com" });
      const login = await call(h, `${h.url}/oauth2/login`, { method: "POST", headers: { authorization: basic() } });
      expect(login.status).toBe(302);
      const authorize = new URL(login.headers.get("location")!);
      expect(authorize.searchParams.get("client_id")).toBe(OWN.id);
      expect(authorize.searchParams.get("redirect_uri")).toBe(`${PUBLIC}/oauth2/callback`);
      expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
      const google = await consent(login.headers.get("location")!);
      expect(google.status).toBe(302);
      const callback = new URL(google.location!);
      expect(callback.origin).toBe(PUBLIC);
      // The public host is this proxy behind its reverse proxy: replay the callback on our address.
      const res = await call(h, `${h.url}${callback.pathname}${callback.search}`, {
        headers: { cookie: browserCookie(login)! },
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("own@example.com was added");
      const token = h.fake.last({ action: "token" })?.body as Record<string, string>;
      expect(token.client_id).toBe(OWN.id);
      const view = h.proxy.pool.list().find((c) => c.email === "own@example.com")!;
      expect(await h.proxy.pool.refresh(view.id)).toBe(true);
      const refresh = h.fake.last({ action: "token" })?.body as Record<string, string>;
      expect(refresh.grant_type).toBe("refresh_token");
      expect(refresh.client_id).toBe(OWN.id);
    });

    it("the authcode mode is refused with an own client (Google shows codes only for the Gemini CLI's)", async () => {
      const res = await call(h, `${h.url}/oauth2/login?mode=authcode`, {
        method: "POST",
        headers: { authorization: basic(), accept: "application/json" },
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
        "Gemini CLI's own OAuth client",
      );
    });
  });
}

describe("public_url with the Gemini CLI's client", () => {
  it("is not used: the own mode explains why, and Google would reject the redirect", async () => {
    const fake = await createFakeGoogle();
    const proxy = createGeminiProxy(proxyOptionsFor(fake, { admin: ADMIN, publicUrl: PUBLIC }));
    try {
      const ask = (query: string) =>
        proxy.fetch(
          new Request(`${PUBLIC}/oauth2/login${query}`, {
            method: "POST",
            headers: { authorization: basic(), accept: "application/json" },
          }),
        );
      expect(((await (await ask("")).json()) as { mode: string }).mode).toBe("authcode");
      const own = await ask("?mode=own");
      expect(own.status).toBe(400);
      expect(((await own.json()) as { error: { message: string } }).error.message).toContain(
        "rejects non-loopback redirects",
      );
      const direct = new URL(fake.endpoints.oauthAuthorize);
      for (const [k, v] of Object.entries({
        client_id: GEMINI_CLI_CLIENT_ID,
        redirect_uri: `${PUBLIC}/oauth2/callback`,
        response_type: "code",
        scope: "openid",
      }))
        direct.searchParams.set(k, v);
      const google = await consent(direct.toString());
      expect(google.status).toBe(400);
      expect(google.body).toContain("redirect_uri_mismatch");
    } finally {
      await proxy.close();
      await fake.close();
    }
  });
});
