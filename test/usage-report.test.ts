// Ledger views: the predecessor's summary, hourly series slots, CSV quoting and formula guarding,
// bucket names.
import { describe, expect, it } from "vitest";
import type { UsageRow } from "../src/usage/ledger.ts";
import { exportRows, hourlySeries, predecessorSummary, toCsv } from "../src/usage/report.ts";
import { bucketStart, dayBucket, hourBucket } from "../src/usage/rollup.ts";

const H = 3_600_000;
const t0 = Date.UTC(2026, 10, 27, 10);
const row = (over: Partial<UsageRow>): UsageRow => ({
  period: "hour",
  start: t0,
  key: "key-1",
  credential: "oauth-1",
  model: "gemini-2.5-pro",
  fields: {},
  ...over,
});

describe("usage views", () => {
  it("sums per model in the predecessor's shape", () => {
    const rows = [
      row({
        fields: {
          requests: 3,
          successes: 2,
          errors: 1,
          "err:rate_limited": 1,
          prompt: 10,
          candidates: 4,
          thoughts: 1,
          cached: 2,
          total: 15,
        },
      }),
      row({ credential: "oauth-2", fields: { requests: 1, successes: 1, total: 5, prompt: 5 } }),
    ];
    expect(predecessorSummary(rows)).toEqual({
      "gemini-2.5-pro": {
        successful_requests: 3,
        failed_requests: { rate_limited: 1 },
        total_tokens: 20,
        prompt_tokens: 15,
        candidates_tokens: 4,
        thoughts_tokens: 1,
        cached_content_token_count: 2,
      },
    });
  });

  it("puts each row in its hour slot and orders series by requests", () => {
    const rows = [
      row({ start: t0, fields: { requests: 1, total: 10 } }),
      row({ start: t0 + 2 * H, model: "flash", fields: { requests: 5, total: 1, errors: 1 } }),
      row({ start: t0 - 5 * H, fields: { requests: 9 } }),
    ];
    const s = hourlySeries(rows, t0, 3, "model");
    expect(s.times).toEqual([t0, t0 + H, t0 + 2 * H]);
    expect(s.series.map((x) => [x.name, x.requests, x.tokens, x.errors])).toEqual([
      ["flash", [0, 0, 5], [0, 0, 1], [0, 0, 1]],
      ["gemini-2.5-pro", [1, 0, 0], [10, 0, 0], [0, 0, 0]],
    ]);
  });

  it("quotes CSV cells and defuses spreadsheet formulas", () => {
    const csv = toCsv(
      exportRows([
        row({ key: "=HYPERLINK(1)", model: 'a,"b"', fields: { requests: 1, errors: 1, "err:x": 1, "err:y": 2 } }),
      ]),
    );
    const [, line] = csv.split("\r\n");
    expect(line).toContain(",'=HYPERLINK(1),");
    expect(line).toContain(',"a,""b""",');
    expect(line!.endsWith(",x=1;y=2")).toBe(true);
  });

  it("names buckets by UTC hour and day", () => {
    expect(hourBucket(t0 + 59 * 60_000)).toBe("hour:2026-11-27T10");
    expect(dayBucket(t0)).toBe("day:2026-11-27");
    expect(bucketStart("hour:2026-11-27T10")).toBe(t0);
    expect(bucketStart("day:2026-11-27")).toBe(Date.UTC(2026, 10, 27));
    expect(bucketStart("nonsense")).toBeNaN();
  });
});
