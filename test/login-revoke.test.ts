// Removing an account with revocation at Google (the fake's /revoke), through the proxy's own
// sealed credential store; API keys and unreachable Google still remove the account.
import { createStorage } from "unstorage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy, type StorageLike } from "../src/index.ts";
import { revokeCredential } from "../src/login/revoke.ts";
import { createCredentialStore } from "../src/pool/store.ts";
import { resolveEndpoints } from "../src/upstream/endpoints.ts";
import { createHttpClient, type HttpClient } from "../src/upstream/http-client.ts";
import { GEMINI_CLI_OAUTH_CLIENT, refreshAccessToken, type OAuthContext } from "../src/upstream/oauth.ts";
import { proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

const KEY = "a-long-enough-encryption-key-for-tests-123";

describe("revokeCredential", () => {
  let fake: FakeGoogle;
  let proxy: GeminiProxy;
  let storage: StorageLike;
  let http: HttpClient;
  let oauth: OAuthContext;
  let deps: Parameters<typeof revokeCredential>[0];
  beforeAll(async () => {
    fake = await createFakeGoogle();
    storage = createStorage() as unknown as StorageLike;
    proxy = createGeminiProxy(proxyOptionsFor(fake, { storage, encryptionKey: KEY }));
    http = createHttpClient({ timeouts: { connect: 5, read: 5 } });
    oauth = { http, endpoints: resolveEndpoints(fake.endpoints), client: GEMINI_CLI_OAUTH_CLIENT };
    deps = { pool: proxy.pool, store: createCredentialStore(storage, { encryptionKey: KEY }), oauth };
  });
  afterAll(async () => {
    await http.close();
    await proxy.close();
    await fake.close();
  });

  it("revokes the refresh token at Google, then removes the account", async () => {
    fake.addAccount({ email: "bye@example.com" });
    const cred = fake.simpleCredential("bye@example.com");
    const { id } = await proxy.pool.add(cred);
    await new Promise((r) => setTimeout(r, 20)); // the pool persists in the background
    expect(JSON.stringify(await storage.getItem(`credentials:${id}`))).not.toContain(String(cred.refresh_token));
    expect(await revokeCredential(deps, id, { revoke: true })).toEqual({ removed: true, revoked: true });
    expect(fake.last({ action: "revoke" })?.status).toBe(200);
    expect(proxy.pool.get(id)).toBeUndefined();
    await expect(refreshAccessToken(oauth, String(cred.refresh_token))).rejects.toMatchObject({
      reason: "invalid_grant",
    });
  });

  it("without ?revoke only removes; a token Google no longer knows counts as revoked", async () => {
    fake.addAccount({ email: "keep@example.com" });
    const first = await proxy.pool.add(fake.simpleCredential("keep@example.com"));
    const revokes = fake.count({ action: "revoke" });
    expect(await revokeCredential(deps, first.id)).toEqual({ removed: true, revoked: false });
    expect(fake.count({ action: "revoke" })).toBe(revokes);
    const again = await proxy.pool.add(fake.simpleCredential("keep@example.com"));
    await new Promise((r) => setTimeout(r, 20));
    fake.revokeRefreshToken("keep@example.com", { keepAccessTokens: true });
    expect(await revokeCredential(deps, again.id, { revoke: true })).toEqual({ removed: true, revoked: true });
  });

  it("API keys and unreachable Google: removed anyway, with the reason", async () => {
    const key = await proxy.pool.add({ apiKey: fake.addApiKey() });
    const res = await revokeCredential(deps, key.id, { revoke: true });
    expect(res).toMatchObject({ removed: true, revoked: false });
    expect(res.revokeError).toMatch(/API keys cannot be revoked/);

    fake.addAccount({ email: "offline@example.com" });
    const { id } = await proxy.pool.add(fake.simpleCredential("offline@example.com"));
    await new Promise((r) => setTimeout(r, 20));
    const down = {
      ...deps,
      oauth: { ...oauth, endpoints: { ...oauth.endpoints, revoke: "http://127.0.0.1:9/revoke" } },
    };
    const offline = await revokeCredential(down, id, { revoke: true });
    expect(offline).toMatchObject({ removed: true, revoked: false });
    expect(offline.revokeError).toMatch(/did not confirm/);
    expect(offline.revokeError).not.toMatch(/1\/\//);

    expect(await revokeCredential(deps, "oauth-nope", { revoke: true })).toEqual({ removed: false, revoked: false });
  });
});
