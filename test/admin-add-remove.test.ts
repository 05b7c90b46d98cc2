// The predecessor's add/remove routes with this project's rules: an ineligible new account is
// explained and not kept; removal can revoke the refresh token at Google.
import { expect, it } from "vitest";
import { describeMatrix } from "./_setup.ts";
import { ADMIN, adminHeaders } from "./_admin.ts";

describeMatrix(
  "admin add/remove",
  () => ({ admin: ADMIN }),
  (h) => {
    const add = (credential: unknown) =>
      h.request("/admin/credentials/add", {
        method: "POST",
        headers: adminHeaders({ "content-type": "application/json" }),
        body: JSON.stringify({ credential }),
      });

    it("refuses a new ineligible account with Google's reason, and does not keep it", async () => {
      h.fake.addAccount({ email: `solo-${h.kind}@gmail.com`, scenario: "ineligible" });
      const res = await add(h.fake.simpleCredential(`solo-${h.kind}@gmail.com`, { withProject: false }));
      expect(res.status).toBe(400);
      const body = (await res.json()) as { detail: string; reason: string };
      expect(body.detail).toBe("ineligible");
      expect(body.reason).toMatch(/no longer serves Gemini Code Assist/);
      expect(h.proxy.pool.list().some((c) => c.email === `solo-${h.kind}@gmail.com`)).toBe(false);
    });

    it("DELETE ?revoke=true revokes the refresh token at Google, then removes the account", async () => {
      const email = `bye-${h.kind}@example.com`;
      h.fake.addAccount({ email });
      const added = (await (await add(h.fake.simpleCredential(email))).json()) as { id: string };
      const refreshToken = h.fake.account(email).refreshToken;
      const res = await h.request(`/admin/credentials/${added.id}?revoke=true`, {
        method: "DELETE",
        headers: adminHeaders(),
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "success", message: "credential_deleted", revoked: true });
      expect(
        h.fake.requests.some((r) => r.action === "revoke" && JSON.stringify(r.body ?? r.query).includes(refreshToken)),
      ).toBe(true);
      expect(h.proxy.pool.get(added.id)).toBeUndefined();
      const missing = await h.request(`/admin/credentials/${added.id}`, { method: "DELETE", headers: adminHeaders() });
      expect(missing.status).toBe(404);
    });

    it("DELETE without revoke does not call Google", async () => {
      const email = `keep-${h.kind}@example.com`;
      h.fake.addAccount({ email });
      const added = (await (await add(h.fake.simpleCredential(email))).json()) as { id: string };
      const before = h.fake.count({ action: "revoke" });
      const res = await h.request(`/admin/credentials/${added.id}`, { method: "DELETE", headers: adminHeaders() });
      expect(await res.json()).toEqual({ status: "success", message: "credential_deleted" });
      expect(h.fake.count({ action: "revoke" })).toBe(before);
    });
  },
);
