// The pending-login store on a real unstorage instance: one record per login, single use, a TTL
// for drivers that honour it, and a sweep of abandoned logins for those that do not.
import { createStorage } from "unstorage";
import { describe, expect, it } from "vitest";
import type { StorageLike } from "../src/index.ts";
import { createPendingLogins, LOGIN_TTL_MS } from "../src/login/pending.ts";

const input = {
  mode: "authcode" as const,
  redirectUri: "https://codeassist.google.com/authcode",
  verifier: "v".repeat(64),
  owner: "admin",
};

describe("pending logins", () => {
  it("gives each login its own state; take() consumes it once; peek() does not", async () => {
    const storage = createStorage() as unknown as StorageLike;
    const pending = createPendingLogins(storage);
    const [a, b] = await Promise.all([
      pending.create({ ...input, owner: "a" }),
      pending.create({ ...input, owner: "b" }),
    ]);
    expect(a.state).toMatch(/^[0-9a-f]{64}$/);
    expect(a.state).not.toBe(b.state);
    expect((await pending.peek(a.state))?.owner).toBe("a");
    expect((await pending.take(a.state))?.owner).toBe("a");
    expect(await pending.take(a.state)).toBeUndefined();
    expect((await pending.take(b.state))?.owner).toBe("b");
    expect(a.login.expiresAt - a.login.createdAt).toBe(LOGIN_TTL_MS);
  });

  it("ignores malformed states (no storage lookups with user-chosen keys)", async () => {
    const storage = createStorage() as unknown as StorageLike;
    await storage.setItem("oauth:chosen", { redirectUri: "x", expiresAt: Date.now() + 60_000 });
    const pending = createPendingLogins(storage);
    expect(await pending.peek("chosen")).toBeUndefined();
    expect(await pending.take("chosen")).toBeUndefined();
    expect(await pending.take("")).toBeUndefined();
  });

  it("asks the driver for a TTL, and sweeps expired records on drivers without one", async () => {
    const base = createStorage() as unknown as StorageLike;
    const ttls: unknown[] = [];
    const storage: StorageLike = {
      ...base,
      getItem: base.getItem,
      getKeys: base.getKeys,
      removeItem: base.removeItem,
      setItem: (k, v, o) => (ttls.push(o?.ttl), base.setItem(k, v, o)),
    };
    let now = 1_000_000;
    const pending = createPendingLogins(storage, LOGIN_TTL_MS, () => now);
    const old = await pending.create(input);
    expect(ttls[0]).toBeGreaterThanOrEqual(LOGIN_TTL_MS / 1000);
    await base.setItem("oauth:not-ours", { keep: true });
    now += LOGIN_TTL_MS + 2 * 3600_000; // long after the login expired
    const fresh = await pending.create(input);
    expect(await base.getItem(`oauth:${old.state}`)).toBeNull();
    expect(await base.getItem(`oauth:${fresh.state}`)).toBeTruthy();
    expect(await base.getItem("oauth:not-ours")).toEqual({ keep: true });
  });
});
