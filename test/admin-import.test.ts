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
