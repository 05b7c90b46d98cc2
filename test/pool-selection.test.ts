// Selection: round-robin (weighted), least-used, fill-first, priority, suspected after healthy,
// cooldowns skipped, and the preference for credentials with more quota left.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initialState, type CredentialState } from "../src/pool/credential.ts";
import { orderCandidates, type Candidate, type SelectionStrategy } from "../src/pool/selection.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";
import { usePoolAccounts } from "./pool-setup.ts";

const PRO = "gemini-2.5-pro";
const FLASH = "gemini-2.5-flash";
const NOW = 1_000_000;

const cand = (id: string, extra: Partial<Candidate> = {}, state: Partial<CredentialState> = {}): Candidate => ({
  id,
  weight: 1,
  priority: 0,
  createdAt: id.charCodeAt(0),
  pending: 0,
  ...extra,
  state: { ...initialState(), ...state },
});

function picks(candidates: Candidate[], strategy: SelectionStrategy, times: number, model = PRO): string[] {
  const memory = new Map<string, number>();
  return Array.from({ length: times }, () => orderCandidates(candidates, model, strategy, memory, NOW)[0]?.id ?? "-");
}

describe("orderCandidates (pure)", () => {
  it("round-robin takes turns; weights give proportional shares, smoothly interleaved", () => {
    expect(picks([cand("a"), cand("b"), cand("c")], "round-robin", 6)).toEqual(["a", "b", "c", "a", "b", "c"]);
    const weighted = picks([cand("a", { weight: 3 }), cand("b")], "round-robin", 8);
    expect(weighted.filter((x) => x === "a")).toHaveLength(6);
    expect(weighted.slice(0, 4)).toEqual(["a", "a", "b", "a"]);
  });

  it("least-used prefers the fewest uses per weight, counting leases in flight", () => {
    expect(picks([cand("a", {}, { usageCount: 5 }), cand("b", {}, { usageCount: 2 })], "least-used", 1)).toEqual(["b"]);
    expect(
      picks([cand("a", {}, { usageCount: 2 }), cand("b", { pending: 3 }, { usageCount: 0 })], "least-used", 1),
    ).toEqual(["a"]);
    expect(
      picks([cand("a", { weight: 4 }, { usageCount: 8 }), cand("b", {}, { usageCount: 3 })], "least-used", 1),
    ).toEqual(["a"]);
  });

  it("fill-first uses the first credential until it cannot serve", () => {
    expect(picks([cand("a"), cand("b")], "fill-first", 3)).toEqual(["a", "a", "a"]);
    const cooling = { cooldowns: { [PRO]: { until: NOW + 1000, reason: "quota" } } };
    expect(picks([cand("a", {}, cooling), cand("b")], "fill-first", 2)).toEqual(["b", "b"]);
    expect(picks([cand("a", {}, cooling), cand("b")], "fill-first", 1, FLASH)).toEqual(["a"]);
  });

  it("higher priority first; lower priorities only when no higher one can serve", () => {
    expect(picks([cand("a"), cand("b", { priority: 5 }), cand("c")], "round-robin", 3)).toEqual(["b", "b", "b"]);
    expect(picks([cand("a"), cand("b", { priority: 5 }, { status: "disabled" }), cand("c")], "round-robin", 2)).toEqual(
      ["a", "c"],
    );
  });

  it("suspected credentials come after healthy ones; unusable statuses never", () => {
    const order = orderCandidates(
      [cand("a", { priority: 9 }, { status: "suspected" }), cand("b"), cand("c", {}, { status: "needs_verification" })],
      PRO,
      "round-robin",
      new Map(),
      NOW,
    );
    expect(order.map((c) => c.id)).toEqual(["b", "a"]);
    for (const status of ["disabled", "error", "ineligible", "permission_denied", "needs_verification"] as const) {
      expect(orderCandidates([cand("x", {}, { status })], PRO, "round-robin", new Map(), NOW)).toEqual([]);
    }
  });

  it("more remaining quota for the model first (in coarse steps, so small differences keep the strategy)", () => {
    const low = { quota: { [PRO]: { remainingFraction: 0.1 } } };
    expect(picks([cand("a", {}, low), cand("b")], "round-robin", 3)).toEqual(["b", "b", "b"]);
    expect(picks([cand("a", {}, low), cand("b")], "round-robin", 2, FLASH)).toEqual(["a", "b"]);
    const close = (f: number) => ({ quota: { [PRO]: { remainingFraction: f } } });
    expect(picks([cand("a", {}, close(0.97)), cand("b", {}, close(0.99))], "round-robin", 2)).toEqual(["a", "b"]);
  });
});

describe("selection through the proxy", () => {
  let fake: FakeGoogle;
  beforeAll(async () => {
    fake = await createFakeGoogle();
  });
  afterAll(() => fake.close());

  const accounts = usePoolAccounts(() => fake, "s", { priorities: false });
  const servedCounts = (emails: string[]) =>
    emails.map((email) => fake.count({ action: "generateContent", email, model: FLASH }));

  it("round-robin by default spreads requests evenly", async () => {
    const { h, emails } = await accounts(3);
    for (let i = 0; i < 6; i++) expect((await h.generate(FLASH)).status).toBe(200);
    expect(servedCounts(emails)).toEqual([2, 2, 2]);
  });

  it("per-credential weight from pool.add()", async () => {
    const { h, emails } = await accounts(2);
    await h.proxy.pool.add({ ...fake.simpleCredential(emails[0]!), weight: 3 });
    expect(h.proxy.pool.get(h.idOf(emails[0]!))!.weight).toBe(3);
    for (let i = 0; i < 8; i++) await h.generate(FLASH);
    expect(servedCounts(emails)).toEqual([6, 2]);
  });

  it("fill-first stays on one credential until it cools, then moves on", async () => {
    const { h, emails } = await accounts(2, { pool: { strategy: "fill-first" } });
    for (let i = 0; i < 3; i++) await h.generate(FLASH);
    const first = servedCounts(emails).findIndex((c) => c === 3);
    expect(first).toBeGreaterThanOrEqual(0);
    fake.inject({ match: { email: emails[first], model: FLASH }, error: "quota_exhausted" });
    for (let i = 0; i < 2; i++) await h.generate(FLASH);
    expect(servedCounts(emails)[1 - first]).toBe(2);
  });

  it("least-used evens out usage", async () => {
    const { h, emails } = await accounts(2, { pool: { strategy: "least-used" } });
    for (let i = 0; i < 3; i++) await h.generate(FLASH);
    const counts = servedCounts(emails);
    expect(Math.abs(counts[0]! - counts[1]!)).toBe(1);
  });

  it("reads retrieveUserQuota, shows it per credential, and prefers accounts with more left for that model", async () => {
    const { h, emails } = await accounts(2);
    const [a, b] = emails as [string, string];
    fake.setQuota(a, FLASH, 0.05);
    const buckets = await h.proxy.pool.refreshQuota(h.idOf(a));
    expect(buckets?.[FLASH]).toMatchObject({ remainingFraction: 0.05, resetTime: expect.any(String) });
    expect(h.proxy.pool.get(h.idOf(a))!.state.quota?.[FLASH]?.remainingFraction).toBe(0.05);
    for (let i = 0; i < 4; i++) await h.generate(FLASH);
    expect(servedCounts([a, b])).toEqual([0, 4]);
  });
});
