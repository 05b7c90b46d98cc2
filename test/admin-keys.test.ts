// /admin/keys: create (the key once, 201), list and view with usage (never the key or its hash),
// update, revoke; admin auth and CSRF like every admin route; bad input is a 400 naming the field
// and writes nothing.
import { expect, it } from "vitest";
import { ADMIN, adminHeaders, createTranscript } from "./_admin.ts";
import { describeMatrix } from "./_setup.ts";
import { hashClientKey } from "../src/keys/format.ts";
import { createStorage } from "unstorage";

const BAD: [string, unknown, string][] = [
  ["no name", {}, "name"],
  ["an empty name", { name: " " }, "name"],
  ["a numeric name", { name: 3 }, "name"],
  ["an unknown field", { name: "x", rpmm: 3 }, "rpmm"],
  ["a negative rpm", { name: "x", rpm: -1 }, "rpm"],
  ["a fractional tpm", { name: "x", tpm: 1.5 }, "tpm"],
  ["a string budget", { name: "x", daily_tokens: "100" }, "daily_tokens"],
  ["a negative monthly budget", { name: "x", monthly_tokens: -5 }, "monthly_tokens"],
  ["models not a list", { name: "x", models: "gemini-*" }, "models"],
  ["a malformed glob", { name: "x", models: ["gemini-[2]"] }, "models[0]"],
  ["an empty glob", { name: "x", models: ["ok-*", ""] }, "models[1]"],
  ["a bad expiry", { name: "x", expires_at: "tomorrow" }, "expires_at"],
  ["a numeric expiry", { name: "x", expires_at: 1700000000 }, "expires_at"],
  ["disabled as a string", { name: "x", disabled: "yes" }, "disabled"],
  ["metadata as a list", { name: "x", metadata: [1] }, "metadata"],
  ["an array body", [{ name: "x" }], "body"],
];

let storage = createStorage();

describeMatrix(
  "admin client keys API",
  () => ({ admin: ADMIN, storage: (storage = createStorage()) }),
  (h) => {
    const transcript = createTranscript();
    const admin = (path: string, init: RequestInit = {}) =>
      h.request(path, {
        ...init,
        headers: adminHeaders({ "content-type": "application/json", ...(init.headers as object) }),
      });
    let plaintext = "";

    it("POST creates a key (201, shown once); GET lists and shows it with usage, never the key or its hash", async () => {
      const res = await admin("/admin/keys", {
        method: "POST",
        body: JSON.stringify({ name: "ci-bot", models: ["gemini-2.5-*"], rpm: 60, metadata: { team: "infra" } }),
      });
      expect(res.status).toBe(201);
      const created = (await res.json()) as Record<string, unknown>;
      plaintext = String(created.key);
      expect(plaintext).toMatch(/^gcp-[0-9A-Za-z]{32}$/);
      expect(created).toMatchObject({
        name: "ci-bot",
        models: ["gemini-2.5-*"],
        rpm: 60,
        tpm: null,
        daily_tokens: null,
        monthly_tokens: null,
        expires_at: null,
        disabled: false,
        last_used_at: null,
        metadata: { team: "infra" },
      });
      expect(created.id).toMatch(/^ck_/);
      expect(created).not.toHaveProperty("hash");
      const list = await admin("/admin/keys");
      const text = await transcript.keep(list);
      const { keys } = JSON.parse(text) as { keys: Record<string, unknown>[] };
      expect(keys.map((k) => k.id)).toContain(created.id);
      expect(keys[0]!.usage).toEqual({ today: { requests: 0, tokens: 0 }, month: { requests: 0, tokens: 0 } });
      const one = await admin(`/admin/keys/${created.id}`);
      expect(one.status).toBe(200);
      await transcript.keep(one);
      // stored hashed: the storage holds the hash, never the key
      const stored = await storage.getItem(`client-keys:k:${hashClientKey(plaintext)}`);
      expect(stored).toMatchObject({ id: created.id, hash: hashClientKey(plaintext) });
      expect(JSON.stringify(stored)).not.toContain(plaintext);
    });

    it.each(BAD)("400 for %s, naming the field, and nothing is written", async (_label, body, field) => {
      const before = (await h.proxy.keys.list()).length;
      const res = await admin("/admin/keys", { method: "POST", body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      const answer = (await res.json()) as { detail: string; field: string };
      expect(answer.field).toBe(field);
      expect(answer.detail).toContain(field);
      expect((await h.proxy.keys.list()).length).toBe(before);
    });

    it("PATCH changes only what it names; bad input leaves the key as it was; unknown ids are 404", async () => {
      const [key] = await h.proxy.keys.list();
      const id = key!.id;
      const ok = await admin(`/admin/keys/${id}`, { method: "PATCH", body: JSON.stringify({ tpm: 1000, rpm: null }) });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ id, name: "ci-bot", tpm: 1000, rpm: null, models: ["gemini-2.5-*"] });
      const bad = await admin(`/admin/keys/${id}`, {
        method: "PATCH",
        body: JSON.stringify({ name: "renamed", daily_tokens: -1 }),
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { field: string }).field).toBe("daily_tokens");
      expect((await h.proxy.keys.get(id))?.name).toBe("ci-bot");
      expect((await admin("/admin/keys/ck_nope", { method: "PATCH", body: "{}" })).status).toBe(404);
      expect((await admin("/admin/keys/ck_nope")).status).toBe(404);
      expect((await admin(`/admin/keys/${id}`, { method: "PATCH", body: "{not json" })).status).toBe(400);
    });

    it("admin auth and CSRF: no credentials → 401, a cross-site POST → 403, nothing created", async () => {
      const before = (await h.proxy.keys.list()).length;
      const anon = await h.request("/admin/keys", { method: "POST", body: JSON.stringify({ name: "x" }) });
      expect(anon.status).toBe(401);
      expect((await h.request("/admin/keys")).status).toBe(401);
      const cross = await admin("/admin/keys", {
        method: "POST",
        body: JSON.stringify({ name: "x" }),
        headers: { "sec-fetch-site": "cross-site" },
      });
      expect(cross.status).toBe(403);
      const evil = await admin("/admin/keys/whatever", {
        method: "DELETE",
        headers: { origin: "http://evil.example" },
      });
      expect(evil.status).toBe(403);
      expect((await h.proxy.keys.list()).length).toBe(before);
    });

    it("DELETE revokes: the key is gone and refused", async () => {
      const { key, client_key } = await h.proxy.keys.create({ name: "short-lived" });
      const ask = () => h.request("/v1/models", { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);
      expect(await ask()).toBe(200);
      const res = await admin(`/admin/keys/${client_key.id}`, { method: "DELETE" });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ revoked: true, id: client_key.id });
      expect(await ask()).toBe(401);
      expect((await admin(`/admin/keys/${client_key.id}`, { method: "DELETE" })).status).toBe(404);
      expect(await storage.getKeys("client-keys:k")).toContain(`client-keys:k:${hashClientKey(plaintext)}`);
      expect(await storage.getItem(`client-keys:k:${hashClientKey(key)}`)).toBeNull();
    });

    it("no admin answer holds a plaintext key or its hash", () => {
      expect(plaintext).not.toBe("");
      for (const text of transcript.texts) {
        expect(text).not.toContain(plaintext);
        expect(text).not.toContain(hashClientKey(plaintext));
      }
    });
  },
);
