// Completion, message, response and tool-call ids: prefixed, 32 hex characters, never repeated.
import { describe, expect, it } from "vitest";
import { newId } from "../src/surfaces/_ids.ts";

describe("newId", () => {
  it("is the prefix and 32 hex characters, unique across many calls", () => {
    const ids = Array.from({ length: 10_000 }, () => newId("chatcmpl-"));
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
