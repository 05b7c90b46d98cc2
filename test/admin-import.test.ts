// The admin page's account-file upload: every accepted format, the encrypted predecessor file with
// and without its key, ineligible accounts explained, and no secret in any answer.
import { expect, it } from "vitest";
import { serializeLegacyCredentials } from "../src/legacy/credentials-file.ts";
import { describeMatrix } from "./_setup.ts";
import { ADMIN, adminHeaders } from "./_admin.ts";

describeMatrix(
  "admin account import",
  () => ({ admin: ADMIN }),
  (h) => {
    const upload = (body: unknown, headers = adminHeaders({ "content-type": "application/json" })) =>
      h.request("/admin/credentials/import", { method: "POST", headers, body: JSON.stringify(body) });
    const secretsOf = (email: string) => [h.fake.account(email).accessToken, h.fake.account(email).refreshToken];

    it("imports a Gemini CLI oauth_creds.json", async () => {
      const email = `cli-${h.kind}@example.com`;
      h.fake.addAccount({ email });
      const res = await upload({ text: JSON.stringify(h.fake.oauthCreds(email), null, 2), name: "oauth_creds.json" });
      expect(res.status).toBe(200);
      const text = await res.text();
      for (const secret of secretsOf(email)) expect(text).not.toContain(secret);
      const body = JSON.parse(text) as {
        imported: number;
        results: { result: string; kind: string; status: string }[];
      };
      expect(body.imported).toBe(1);
      expect(body.results).toMatchObject([{ result: "added", kind: "oauth", status: "active" }]);
      expect(h.proxy.pool.list().some((c) => c.email === email)).toBe(true);
    });

    it("imports the predecessor's encrypted credentials.json with its key, and refuses it without", async () => {
      const emails = [`old-a-${h.kind}@example.com`, `old-b-${h.kind}@example.com`];
      for (const email of emails) h.fake.addAccount({ email });
      const file = serializeLegacyCredentials(emails.map((e) => h.fake.simpleCredential(e)) as never, "the-old-key");
      const refused = await upload({ text: file, name: "credentials.json" });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({
        detail: "invalid_file",
        reason: expect.stringMatching(/encrypted/),
      });
      const wrong = await upload({ text: file, name: "credentials.json", passphrase: "not-the-key" });
      expect(wrong.status).toBe(400);
      const ok = await upload({ text: file, name: "credentials.json", passphrase: "the-old-key" });
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { imported: number }).imported).toBe(2);
      for (const email of emails) expect(h.proxy.pool.list().some((c) => c.email === email)).toBe(true);
    });

    it("imports a list of Gemini API keys, comments skipped", async () => {
      const keys = [h.fake.addApiKey(), h.fake.addApiKey()];
      const res = await upload({ text: `# team keys\n${keys[0]}\n\n${keys[1]}\n`, name: "keys.txt" });
      const text = await res.text();
      for (const key of keys) expect(text).not.toContain(key);
      expect(JSON.parse(text)).toMatchObject({
        imported: 2,
        results: [
          { kind: "api_key", result: "added" },
          { kind: "api_key", result: "added" },
        ],
      });
    });

    it("checks each key with Google: a refused key and a bad line are reported per line, the rest imported", async () => {
      const good = h.fake.addApiKey();
      const bad = `AIzaUnknown${h.kind}Unknown000000000000000`.slice(0, 39);
      const before = h.proxy.pool.list().length;
      const res = await upload({ text: `${good}\nnot a key at all!\n${bad}\n`, name: "keys.txt" });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain(good);
      expect(text).not.toContain(bad);
      expect(JSON.parse(text)).toMatchObject({
        imported: 1,
        results: [
          {
            at: "line 1",
            result: "added",
            kind: "api_key",
            key: `AIza…${good.slice(-4)}`,
            status: "active",
            verified: true,
          },
          { at: "line 2", result: "invalid", reason: "line 2 is not a Gemini API key" },
          { at: "line 3", result: "refused", id: null, reason: "key refused by Google (API_KEY_INVALID)" },
        ],
      });
      expect(h.proxy.pool.list().length).toBe(before + 1);
      expect(h.proxy.pool.list().some((c) => c.keyHint === `…${bad.slice(-4)}`)).toBe(false);
    });

    it("refuses a refresh token Google refuses, and keeps nothing of it", async () => {
      const before = h.proxy.pool.list().length;
      const res = await upload({
        text: JSON.stringify({ refresh_token: "1//revoked-or-never-issued", type: "authorized_user" }),
      });
      const body = (await res.json()) as { imported: number; results: { result: string; reason: string }[] };
      expect(body).toMatchObject({
        imported: 0,
        results: [
          { result: "refused", reason: expect.stringMatching(/^refresh token refused by Google \(invalid_grant\)/) },
        ],
      });
      expect(h.proxy.pool.list().length).toBe(before);
    });

    it("explains an ineligible account and does not keep it", async () => {
      const email = `solo-import-${h.kind}@gmail.com`;
      h.fake.addAccount({ email, scenario: "ineligible" });
      const res = await upload({ text: JSON.stringify(h.fake.oauthCreds(email)) });
      const body = (await res.json()) as { imported: number; results: { result: string; reason: string }[] };
      expect(body.imported).toBe(0);
      expect(body.results[0]).toMatchObject({
        result: "dropped",
        reason: expect.stringMatching(/no longer serves Gemini Code Assist/),
      });
      expect(h.proxy.pool.list().some((c) => c.email === email)).toBe(false);
    });

    it("answers bad uploads with a 400 and refuses non-admins", async () => {
      expect((await upload({ text: "" })).status).toBe(400);
      expect((await upload({ text: "{not json" })).status).toBe(400);
      expect((await upload({ nothing: true })).status).toBe(400);
      const anonymous = await upload({ text: "AIzaX" }, { "content-type": "application/json" });
      expect([401, 403]).toContain(anonymous.status);
    });

    it("the add-account page offers the upload", async () => {
      const res = await h.request("/oauth2/add", { headers: adminHeaders({ accept: "text/html" }) });
      const html = await res.text();
      expect(html).toContain('id="import"');
      expect(html).toContain("/admin/credentials/import");
    });
  },
);
