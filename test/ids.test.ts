// Completion, message, response and tool-call ids: prefixed, 32 hex characters, never repeated.
import { describe, expect, it } from "vitest";
import { newId } from "../src/surfaces/_ids.ts";

describe("newId", () => {
  it("is the prefix and 32 hex characters, unique across many calls", () => {
    const ids = Array.from({ length: 10_000 }, () => newId("chatcmpl-"));
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("spreads its characters evenly: no byte of the pool reused, none left unfilled", () => {
    // 4,096 ids refill the 128-id pool 32 times; a slice reused or never filled would show as
    // repeated ids above or as a skewed count of hex digits here.
    const counts = new Map<string, number>();
    for (let i = 0; i < 4096; i++) for (const c of newId("")) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(16);
    for (const n of counts.values()) expect(Math.abs(n - 8192) / 8192).toBeLessThan(0.1);
  });
});
