// Views over ledger rows: the predecessor's per-model summary, hourly series for the page's chart,
// and flat export rows (JSON or CSV).
import type { UsageRow } from "./ledger.ts";
import { ERROR_PREFIX } from "./rollup.ts";
import { addFields, type UsageFields } from "./store.ts";

/** Per-model totals in the predecessor's `/usage` shape. */
export interface PredecessorModelUsage {
  successful_requests: number;
  failed_requests: Record<string, number>;
  total_tokens: number;
  prompt_tokens: number;
  candidates_tokens: number;
  thoughts_tokens: number;
  cached_content_token_count: number;
}

export function errorsByClass(fields: UsageFields): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(fields))
    if (name.startsWith(ERROR_PREFIX) && value) out[name.slice(ERROR_PREFIX.length)] = value;
  return out;
}

/** Sums rows by a grouping key. */
export function sumBy(rows: readonly UsageRow[], keyOf: (row: UsageRow) => string): Map<string, UsageFields> {
  const out = new Map<string, UsageFields>();
  for (const row of rows) {
    const key = keyOf(row);
    let fields = out.get(key);
    if (!fields) out.set(key, (fields = {}));
    addFields(fields, row.fields);
  }
  return out;
}

/** `GET /admin/usage`: the predecessor's per-model aggregate (cached tokens are summed here). */
export function predecessorSummary(rows: readonly UsageRow[]): Record<string, PredecessorModelUsage> {
  const out: Record<string, PredecessorModelUsage> = {};
  for (const [model, f] of sumBy(rows, (r) => r.model)) {
    out[model] = {
      successful_requests: f.successes ?? 0,
      failed_requests: errorsByClass(f),
      total_tokens: f.total ?? 0,
      prompt_tokens: f.prompt ?? 0,
      candidates_tokens: f.candidates ?? 0,
      thoughts_tokens: f.thoughts ?? 0,
      cached_content_token_count: f.cached ?? 0,
    };
  }
  return out;
}

/** The dimension a usage series is split by. */
export type SeriesBy = "model" | "key" | "credential";

/** Hourly series of usage, per model, client key or credential. */
export interface UsageSeries {
  step: "hour";
  /** Period starts, epoch ms, oldest first. */
  times: number[];
  series: { name: string; requests: number[]; tokens: number[]; errors: number[]; totals: UsageFields }[];
}

export function hourlySeries(rows: readonly UsageRow[], from: number, hours: number, by: SeriesBy): UsageSeries {
  const times = Array.from({ length: hours }, (_, i) => from + i * 3_600_000);
  const index = new Map(times.map((t, i) => [t, i]));
  const byName = new Map<string, UsageSeries["series"][number]>();
  for (const row of rows) {
    const slot = index.get(row.start);
    if (slot === undefined) continue;
    const name = row[by];
    let entry = byName.get(name);
    if (!entry)
      byName.set(
        name,
        (entry = {
          name,
          requests: times.map(() => 0),
          tokens: times.map(() => 0),
          errors: times.map(() => 0),
          totals: {},
        }),
      );
    entry.requests[slot]! += row.fields.requests ?? 0;
    entry.tokens[slot]! += row.fields.total ?? 0;
    entry.errors[slot]! += row.fields.errors ?? 0;
    addFields(entry.totals, row.fields);
  }
  const series = [...byName.values()].sort((a, b) => (b.totals.requests ?? 0) - (a.totals.requests ?? 0));
  return { step: "hour", times, series };
}

/** One row of a usage export (CSV/JSON). */
export interface ExportRow {
  period: "hour" | "day";
  start: string;
  client_key: string;
  credential: string;
  model: string;
  requests: number;
  successes: number;
  errors: number;
  cancelled: number;
  streamed: number;
  attempts: number;
  prompt_tokens: number;
  candidates_tokens: number;
  thoughts_tokens: number;
  cached_tokens: number;
  total_tokens: number;
  duration_ms_sum: number;
  ttfb_ms_sum: number;
  ttfb_count: number;
  errors_by_class: Record<string, number>;
}

export function exportRows(rows: readonly UsageRow[]): ExportRow[] {
  return rows.map((r) => {
    const f = r.fields;
    return {
      period: r.period,
      start: new Date(r.start).toISOString(),
      client_key: r.key,
      credential: r.credential,
      model: r.model,
      requests: f.requests ?? 0,
      successes: f.successes ?? 0,
      errors: f.errors ?? 0,
      cancelled: f.cancelled ?? 0,
      streamed: f.streamed ?? 0,
      attempts: f.attempts ?? 0,
      prompt_tokens: f.prompt ?? 0,
      candidates_tokens: f.candidates ?? 0,
      thoughts_tokens: f.thoughts ?? 0,
      cached_tokens: f.cached ?? 0,
      total_tokens: f.total ?? 0,
      duration_ms_sum: f.durationMs ?? 0,
      ttfb_ms_sum: f.ttfbMs ?? 0,
      ttfb_count: f.ttfbCount ?? 0,
      errors_by_class: errorsByClass(f),
    };
  });
}

const csvCell = (value: unknown): string => {
  const text =
    typeof value === "object" && value !== null
      ? Object.entries(value)
          .map(([k, v]) => `${k}=${v}`)
          .join(";")
      : String(value);
  // Quote when needed; a leading =+-@ would be read as a formula by spreadsheets.
  const guarded = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
};

export function toCsv(rows: readonly ExportRow[]): string {
  const columns: (keyof ExportRow)[] = [
    "period",
    "start",
    "client_key",
    "credential",
    "model",
    "requests",
    "successes",
    "errors",
    "cancelled",
    "streamed",
    "attempts",
    "prompt_tokens",
    "candidates_tokens",
    "thoughts_tokens",
    "cached_tokens",
    "total_tokens",
    "duration_ms_sum",
    "ttfb_ms_sum",
    "ttfb_count",
    "errors_by_class",
  ];
  const lines = [columns.join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
