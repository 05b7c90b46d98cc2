// Histogram buckets of the metrics registry: a duration on a bucket's bound counts in that bucket
// (Prometheus `le`), just past it in the next, past the last only in +Inf; buckets are cumulative.
import { describe, expect, it } from "vitest";
import { createMetrics } from "../src/usage/metrics.ts";

function bucketsOf(text: string, family: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = new RegExp(`^${family}_bucket\\{.*le="([^"]+)"\\} (\\d+)$`).exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

describe("metrics histograms", () => {
  it("puts each attempt's duration in the first bucket whose bound it does not pass", () => {
    const metrics = createMetrics();
    for (const durationMs of [50, 51, 100, 2_500, 120_000, 120_001])
      metrics.attempt({ kind: "oauth", outcome: "ok", durationMs });
    const b = bucketsOf(metrics.render([], 0), "gemini_proxy_upstream_attempt_seconds");
    expect(b.get("0.05")).toBe(1); // 50 ms: on the bound
    expect(b.get("0.1")).toBe(3); // + 51 ms and 100 ms
    expect(b.get("0.25")).toBe(3);
    expect(b.get("2.5")).toBe(4); // + 2.5 s
    expect(b.get("60")).toBe(4);
    expect(b.get("120")).toBe(5); // + 120 s: the last bound
    expect(b.get("+Inf")).toBe(6); // + 120.001 s: past every bound
  });
});

describe("metrics series", () => {
  it("counts requests with alternating and repeated labels each in their own series", () => {
    const metrics = createMetrics();
    const record = (model: string, outcome: "success" | "error", stream = false) =>
      metrics.observe({
        id: "r",
        startedAt: 0,
        endedAt: 10,
        method: "POST",
        path: "/v1/chat/completions",
        surface: "openai",
        model,
        stream,
        attempts: [],
        outcome,
        status: outcome === "success" ? 200 : 500,
      });
    // Runs of the same labels, alternations, and a label set that differs only in its last value.
    for (const [model, outcome, stream] of [
      ["a", "success", false],
      ["a", "success", false],
      ["b", "success", false],
      ["a", "success", false],
      ["a", "success", true],
      ["a", "error", false],
      ["a", "success", true],
      ["b", "success", false],
    ] as const)
      record(model, outcome, stream);
    const counts = new Map<string, number>();
    for (const line of metrics.render([], 0).split("\n")) {
      const m =
        /^gemini_proxy_requests_total\{surface="openai",model="(\w)",outcome="(\w+)",stream="(\w+)"\} (\d+)$/.exec(
          line,
        );
      if (m) counts.set(`${m[1]} ${m[2]} ${m[3]}`, Number(m[4]));
    }
    expect(Object.fromEntries(counts)).toEqual({
      "a success false": 3,
      "b success false": 2,
      "a error false": 1,
      "a success true": 2,
    });
  });
});
