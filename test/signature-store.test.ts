// The thought-signature store over real unstorage instances: TTL handed to the driver, and the stored
// expiry honoured even by a driver that ignores TTL.
import { createStorage } from "unstorage";
import { describe, expect, it } from "vitest";
import { createSignatureStore, signatureKey } from "../src/surfaces/_signature-store.ts";
import type { StorageLike } from "../src/storage/types.ts";

/** A memory storage that records the options of every setItem (like a driver without TTL support would ignore them). */
function recordingStorage() {
  const inner = createStorage() as unknown as StorageLike;
  const sets: { key: string; opts?: Record<string, unknown> }[] = [];
  const storage: StorageLike = {
    ...inner,
    getItem: inner.getItem.bind(inner),
    removeItem: inner.removeItem.bind(inner),
    getKeys: inner.getKeys.bind(inner),
    setItem: (key, value, opts) => (sets.push({ key, opts }), inner.setItem(key, value)),
  };
  return { storage, sets, inner };
}

describe("signature store", () => {
  it("saves and loads signatures by tool-call id, with the TTL passed to the driver", async () => {
    const { storage, sets } = recordingStorage();
    const store = createSignatureStore(storage, { ttlSec: 60 });
    await store.save([
      ["call_a", "sig-a"],
      ["weird:id/../x?y", "sig-b"],
    ]);
    expect(sets.map((s) => s.opts)).toEqual([{ ttl: 60 }, { ttl: 60 }]);
    expect(sets.every((s) => /^signatures:[A-Za-z0-9_-]+$/.test(s.key))).toBe(true);
    expect(await store.load(["call_a", "weird:id/../x?y", "call_missing"])).toEqual(
      new Map([
        ["call_a", "sig-a"],
        ["weird:id/../x?y", "sig-b"],
      ]),
    );
  });

  it("expires entries by their stored timestamp even when the driver keeps them", async () => {
    let now = 1_000_000;
    const { storage, inner } = recordingStorage();
    const store = createSignatureStore(storage, { ttlSec: 10, now: () => now });
    await store.save([["call_x", "sig"]]);
    now += 9_000;
    expect((await store.load(["call_x"])).get("call_x")).toBe("sig");
    now += 2_000;
    expect((await store.load(["call_x"])).size).toBe(0);
    expect(await inner.getItem(signatureKey("call_x"))).toBeNull();
  });

  it("is shared by two proxies on one storage (two stores, same driver)", async () => {
    const shared = createStorage() as unknown as StorageLike;
    await createSignatureStore(shared).save([["call_shared", "s1"]]);
    expect((await createSignatureStore(shared).load(["call_shared"])).get("call_shared")).toBe("s1");
  });

  it("degrades to nothing when storage fails, and never throws", async () => {
    const broken: StorageLike = {
      getItem: () => Promise.reject(new Error("down")),
      setItem: () => Promise.reject(new Error("down")),
      removeItem: () => Promise.reject(new Error("down")),
      getKeys: () => Promise.reject(new Error("down")),
    };
    const warnings: unknown[] = [];
    const store = createSignatureStore(broken, {
      logger: { error() {}, info() {}, debug() {}, warn: (...a: unknown[]) => warnings.push(a) },
    });
    await store.save([["call_a", "x"]]);
    expect((await store.load(["call_a"])).size).toBe(0);
    expect(warnings).toHaveLength(2);
  });
});
