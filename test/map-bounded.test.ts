// Start-up reads thousands of records a few at a time: order kept, never more than the limit in flight.
import { describe, expect, it } from "vitest";
import { mapBounded } from "../src/storage/map-bounded.ts";

describe("mapBounded", () => {
  it("keeps the input order and at most `limit` calls in flight", async () => {
    let running = 0;
    let peak = 0;
    const items = Array.from({ length: 100 }, (_, i) => i);
    const out = await mapBounded(
      items,
      async (n) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, (n * 7) % 5));
        running--;
        return n * 2;
      },
      8,
    );
    expect(out).toEqual(items.map((n) => n * 2));
    expect(peak).toBe(8);
  });

  it("rejects with the first failure and handles an empty list", async () => {
    expect(await mapBounded([], async () => 1)).toEqual([]);
    await expect(mapBounded([1, 2, 3], async (n) => (n === 2 ? Promise.reject(new Error("boom")) : n))).rejects.toThrow(
      "boom",
    );
  });
});
