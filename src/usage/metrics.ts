// Prometheus counters and histograms for this process (scrapers expect per-process counters that
// restart at zero), fed by the same finished records as the ledger.
import type { CredentialView } from "../pool/pool.ts";
import type { RequestRecord } from "./record.ts";
import { errorClassOf, TOKEN_FIELDS } from "./rollup.ts";

const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] as const;
const COUNTED = new Set(["openai", "gemini", "anthropic", "responses", "embeddings"]);

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export interface MetricsRegistry {
  observe(record: RequestRecord): void;
  /** One upstream call (the pool's `request:attempt` event), for upstream latency. */
  attempt(event: { kind: string; outcome: string; durationMs?: number }): void;
  render(credentials: readonly CredentialView[], inflight: number): string;
}

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labels = (pairs: Record<string, string>) =>
  `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(",")}}`;

export function createMetrics(): MetricsRegistry {
  const counters = new Map<string, Map<string, number>>();
  const histograms = new Map<string, Map<string, Histogram>>();
  const inc = (name: string, pairs: Record<string, string>, by = 1) => {
    let series = counters.get(name);
    if (!series) counters.set(name, (series = new Map()));
    const key = labels(pairs);
    series.set(key, (series.get(key) ?? 0) + by);
  };
  const observe = (name: string, pairs: Record<string, string>, seconds: number) => {
    let series = histograms.get(name);
    if (!series) histograms.set(name, (series = new Map()));
    const key = labels(pairs);
    let h = series.get(key);
    if (!h) series.set(key, (h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    BUCKETS.forEach((le, i) => {
      if (seconds <= le) h.counts[i]!++;
    });
    h.sum += seconds;
    h.count++;
  };

  return {
    observe(record) {
      if (!COUNTED.has(record.surface)) return;
      const model = record.model ?? "-";
      const outcome = record.outcome ?? "error";
      inc("gemini_proxy_requests_total", { surface: record.surface, model, outcome, stream: String(record.stream) });
      if (outcome === "error") inc("gemini_proxy_request_errors_total", { class: errorClassOf(record) });
      for (const type of TOKEN_FIELDS)
        if (record.usage?.[type]) inc("gemini_proxy_tokens_total", { model, type }, record.usage[type]);
      for (const attempt of record.attempts)
        inc("gemini_proxy_upstream_attempts_total", { result: attempt.errorKind ?? "ok" });
      if (record.endedAt)
        observe(
          "gemini_proxy_request_duration_seconds",
          { surface: record.surface },
          (record.endedAt - record.startedAt) / 1000,
        );
      if (record.firstByteAt)
        observe("gemini_proxy_upstream_first_byte_seconds", { model }, (record.firstByteAt - record.startedAt) / 1000);
    },
    attempt(event) {
      if (typeof event.durationMs === "number")
        observe(
          "gemini_proxy_upstream_attempt_seconds",
          { kind: event.kind, outcome: event.outcome },
          event.durationMs / 1000,
        );
    },
    render(credentials, inflight) {
      const out: string[] = [];
      const head = (name: string, type: string, help: string) =>
        out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      const help: Record<string, string> = {
        gemini_proxy_requests_total: "Finished API requests by surface, model, outcome and streaming.",
        gemini_proxy_request_errors_total: "Failed API requests by error class.",
        gemini_proxy_tokens_total: "Tokens reported by Google, by model and type.",
        gemini_proxy_upstream_attempts_total: "Upstream attempts by result (ok or the classified error).",
      };
      for (const [name, text] of Object.entries(help)) {
        head(name, "counter", text);
        for (const [key, value] of counters.get(name) ?? []) out.push(`${name}${key} ${value}`);
      }
      const hHelp: Record<string, string> = {
        gemini_proxy_request_duration_seconds: "Time from request to end of response.",
        gemini_proxy_upstream_first_byte_seconds: "Time from request to the first upstream chunk (upstream latency).",
        gemini_proxy_upstream_attempt_seconds: "Duration of each upstream call, by credential kind and outcome.",
      };
      for (const [name, text] of Object.entries(hHelp)) {
        head(name, "histogram", text);
        for (const [key, h] of histograms.get(name) ?? []) {
          const inner = key.slice(1, -1);
          const withLe = (le: string) => `{${inner ? `${inner},` : ""}le="${le}"}`;
          BUCKETS.forEach((le, i) => out.push(`${name}_bucket${withLe(String(le))} ${h.counts[i]}`));
          out.push(
            `${name}_bucket${withLe("+Inf")} ${h.count}`,
            `${name}_sum${key} ${h.sum}`,
            `${name}_count${key} ${h.count}`,
          );
        }
      }
      head("gemini_proxy_credentials", "gauge", "Credentials by kind and status.");
      const byState = new Map<string, number>();
      for (const c of credentials) {
        const key = labels({ kind: c.kind, status: c.state.status });
        byState.set(key, (byState.get(key) ?? 0) + 1);
      }
      for (const [key, value] of byState) out.push(`gemini_proxy_credentials${key} ${value}`);
      head("gemini_proxy_model_cooldowns", "gauge", "Per-model cooldowns currently in force.");
      const now = Date.now();
      out.push(
        `gemini_proxy_model_cooldowns ${credentials.reduce((n, c) => n + Object.values(c.state.cooldowns).filter((cd) => cd.until > now).length, 0)}`,
      );
      head("gemini_proxy_requests_in_flight", "gauge", "Requests being served.");
      out.push(`gemini_proxy_requests_in_flight ${inflight}`);
      return `${out.join("\n")}\n`;
    },
  };
}
