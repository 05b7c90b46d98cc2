// `proxy.usage`: the ledger, its views and the Prometheus registry behind one object.
import type { Logger } from "../types.ts";
import { createActivity, type ActivitySnapshot } from "./activity.ts";
import { createUsageLedger, type RecentError, type UsageLedger, type UsageRow } from "./ledger.ts";
import { createMetrics, type MetricsRegistry } from "./metrics.ts";
import type { RequestRecord } from "./record.ts";
import {
  exportRows,
  hourlySeries,
  predecessorSummary,
  toCsv,
  type ExportRow,
  type PredecessorModelUsage,
  type SeriesBy,
  type UsageSeries,
} from "./report.ts";
import type { UsageJournal } from "./journal.ts";
import type { UsageStore } from "./store.ts";

const HOUR = 3_600_000;

/** The usage ledger of a proxy (`proxy.usage`): summaries, series, exports, reset. */
export interface ProxyUsage {
  /** Counts a finished request (called by the proxy; hosts rarely need it). With the usage journal (fs storage), resolves once the record is journaled. */
  record(record: RequestRecord): Promise<void> | undefined;
  /** The predecessor's per-model totals over the kept days (or the last `days`). */
  summary(days?: number): Promise<Record<string, PredecessorModelUsage>>;
  /** Requests, tokens and errors per hour for the last `hours`, one series per model, key or credential. */
  series(hours: number, by: SeriesBy): Promise<UsageSeries>;
  /** Raw rollup rows. */
  rows(period: "hour" | "day", from?: number, to?: number): Promise<UsageRow[]>;
  /** Flat rows for CSV/JSON export. */
  export(options: { period?: "hour" | "day"; from?: number; to?: number; format: "csv" }): Promise<string>;
  export(options: { period?: "hour" | "day"; from?: number; to?: number; format?: "json" }): Promise<ExportRow[]>;
  recentErrors(): RecentError[];
  /** This process's requests, errors, tokens and median latency over the last hour and day. */
  activity(now?: number): ActivitySnapshot;
  reset(): Promise<void>;
  flush(): Promise<void>;
  readonly ledger: UsageLedger;
  readonly metrics: MetricsRegistry;
}

export function createProxyUsage(options: {
  store: UsageStore;
  retentionDays: number;
  logger: Logger;
  flushIntervalMs?: number;
  journal?: UsageJournal;
}): ProxyUsage {
  const ledger = createUsageLedger(options);
  const metrics = createMetrics();
  const activity = createActivity();
  const exporter = async (o: { period?: "hour" | "day"; from?: number; to?: number; format?: "csv" | "json" }) => {
    const rows = exportRows(await ledger.rows(o.period ?? "hour", o.from, o.to));
    return o.format === "csv" ? toCsv(rows) : rows;
  };
  return {
    ledger,
    metrics,
    record(record) {
      metrics.observe(record);
      activity.observe(record);
      return ledger.record(record);
    },
    async summary(days) {
      const from = days ? Date.now() - days * 86_400_000 : 0;
      return predecessorSummary(await ledger.rows(days ? "hour" : "day", from));
    },
    async series(hours, by) {
      const from = Math.floor(Date.now() / HOUR) * HOUR - (hours - 1) * HOUR;
      return hourlySeries(await ledger.rows("hour", from), from, hours, by);
    },
    rows: (period, from, to) => ledger.rows(period, from, to),
    export: exporter as ProxyUsage["export"],
    recentErrors: () => ledger.recentErrors(),
    activity: (now) => activity.snapshot(now),
    reset: async () => {
      activity.reset();
      await ledger.reset();
    },
    flush: () => ledger.flush(),
  };
}
