// Prometheus counters and histograms for this process (scrapers expect per-process counters that
// restart at zero), fed by the same finished records as the ledger.
import { maskEmail } from "../admin/format.ts";
import type { CredentialView } from "../pool/pool.ts";
import { COUNTED_SURFACES, type RequestRecord } from "./record.ts";
import { errorClassOf, TOKEN_FIELDS } from "./rollup.ts";

const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] as const;
const REQUEST_LABELS = ["surface", "model", "outcome", "stream"] as const;

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export interface MetricsRegistry {
  observe(record: RequestRecord): void;
  /** One upstream call (the pool's `request:attempt` event): upstream latency, per-credential counts. */
  attempt(event: {
    credentialId?: string;
    kind: string;
    outcome: string;
    errorKind?: string;
    durationMs?: number;
  }): void;
  /** A request refused for a missing or wrong client key. */
  authFailure(reason: "missing" | "invalid"): void;
  render(credentials: readonly CredentialView[], inflight: number): string;
}

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labels = (pairs: Record<string, string>) =>
  `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(",")}}`;

/** Upstream calls and their errors per credential id (labels get the masked email at render time). */
interface PerCredential {
  requests: Map<string, number>;
  errors: Map<string, Map<string, number>>;
}

function renderPerCredential(
  out: string[],
  head: (name: string, type: string, help: string) => void,
  credentials: readonly CredentialView[],
  counts: PerCredential,
  now: number,
): void {
  const emails = new Map(credentials.map((c) => [c.id, maskEmail(c.email) ?? ""]));
  const who = (id: string) => ({ credential: id, email: emails.get(id) ?? "" });
  head("gemini_proxy_credential_requests_total", "counter", "Upstream calls made with each credential.");
  for (const [id, n] of counts.requests) out.push(`gemini_proxy_credential_requests_total${labels(who(id))} ${n}`);
  head("gemini_proxy_credential_errors_total", "counter", "Upstream errors per credential, by class.");
  for (const [id, byClass] of counts.errors)
    for (const [cls, n] of byClass)
      out.push(`gemini_proxy_credential_errors_total${labels({ ...who(id), class: cls })} ${n}`);
  head("gemini_proxy_credential_status", "gauge", "1 for each credential's current status.");
  for (const c of credentials)
    out.push(`gemini_proxy_credential_status${labels({ ...who(c.id), status: c.state.status })} 1`);
  head(
    "gemini_proxy_credential_cooldown_seconds",
    "gauge",
    "Seconds until each cooling model of a credential serves again.",
  );
  for (const c of credentials)
    for (const [model, cd] of Object.entries(c.state.cooldowns))
      if (cd.until > now)
        out.push(
          `gemini_proxy_credential_cooldown_seconds${labels({ ...who(c.id), model })} ${Math.ceil((cd.until - now) / 1000)}`,
        );
}

/** One labelled series: its rendered label set, made once, and its value. */
interface Series<T> {
  labels: string;
  value: T;
}

/** One metric's series by their label values, and the one counted last. */
interface Family<T> {
  series: Map<string, Series<T>>;
  lastValues?: readonly string[];
  last?: Series<T>;
}

const sameValues = (a: readonly string[], b: readonly string[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return a.length === b.length;
};

/**
 * Series by their label values; the label string is built on a series' first sight only. Traffic
 * repeats itself (same surface, model and outcome request after request): the series counted last
 * is checked first, which spares joining the values into a key.
 */
function seriesOf<T>(
  families: Map<string, Family<T>>,
  name: string,
  names: readonly string[],
  values: readonly string[],
  init: () => T,
): Series<T> {
  let family = families.get(name);
  if (!family) families.set(name, (family = { series: new Map() }));
  if (family.last && sameValues(family.lastValues!, values)) return family.last;
  const key = values.length === 1 ? values[0]! : values.join("\u0001");
  let series = family.series.get(key);
  if (!series) {
    const pairs: Record<string, string> = {};
    names.forEach((label, i) => (pairs[label] = values[i]!));
    family.series.set(key, (series = { labels: labels(pairs), value: init() }));
  }
  family.lastValues = values;
  family.last = series;
  return series;
}

// Made once: a closure written at the call site would be allocated on every count.
const zero = () => 0;
const emptyHistogram = (): Histogram => ({ counts: BUCKETS.map(() => 0), sum: 0, count: 0 });

export function createMetrics(): MetricsRegistry {
  const perCredential: PerCredential = { requests: new Map(), errors: new Map() };
  const counters = new Map<string, Family<number>>();
  const histograms = new Map<string, Family<Histogram>>();
  const inc = (name: string, names: readonly string[], values: readonly string[], by = 1) => {
    seriesOf(counters, name, names, values, zero).value += by;
  };
  // Counts per bucket (not cumulative): render() adds them up.
  const observe = (name: string, names: readonly string[], values: readonly string[], seconds: number) => {
    const h = seriesOf(histograms, name, names, values, emptyHistogram).value;
    let i = 0;
    while (i < BUCKETS.length && seconds > BUCKETS[i]!) i++;
    if (i < BUCKETS.length) h.counts[i]!++;
    h.sum += seconds;
    h.count++;
  };

  return {
    observe(record) {
      if (!COUNTED_SURFACES.has(record.surface)) return;
      const model = record.model ?? "-";
      const outcome = record.outcome ?? "error";
      inc("gemini_proxy_requests_total", REQUEST_LABELS, [
        record.surface,
        model,
        outcome,
        record.stream ? "true" : "false",
      ]);
      if (outcome === "error") inc("gemini_proxy_request_errors_total", ["class"], [errorClassOf(record)]);
      for (const type of TOKEN_FIELDS)
        if (record.usage?.[type])
          inc("gemini_proxy_tokens_total", ["model", "type"], [model, type], record.usage[type]);
      for (const attempt of record.attempts)
        inc("gemini_proxy_upstream_attempts_total", ["result"], [attempt.errorKind ?? "ok"]);
      if (record.endedAt)
        observe(
          "gemini_proxy_request_duration_seconds",
          ["surface"],
          [record.surface],
          (record.endedAt - record.startedAt) / 1000,
        );
      if (record.firstByteAt)
        observe(
          "gemini_proxy_upstream_first_byte_seconds",
          ["model"],
          [model],
          (record.firstByteAt - record.startedAt) / 1000,
        );
    },
    attempt(event) {
      if (event.credentialId) {
        const id = event.credentialId;
        perCredential.requests.set(id, (perCredential.requests.get(id) ?? 0) + 1);
        if (event.errorKind) {
          let byClass = perCredential.errors.get(id);
          if (!byClass) perCredential.errors.set(id, (byClass = new Map()));
          byClass.set(event.errorKind, (byClass.get(event.errorKind) ?? 0) + 1);
        }
      }
      if (typeof event.durationMs === "number")
        observe(
          "gemini_proxy_upstream_attempt_seconds",
          ["kind", "outcome"],
          [event.kind, event.outcome],
          event.durationMs / 1000,
        );
    },
    authFailure(reason) {
      inc("gemini_proxy_auth_failures_total", ["reason"], [reason]);
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
        gemini_proxy_auth_failures_total: "Requests refused (401) for a missing or wrong client key.",
      };
      for (const [name, text] of Object.entries(help)) {
        head(name, "counter", text);
        for (const { labels: key, value } of counters.get(name)?.series.values() ?? [])
          out.push(`${name}${key} ${value}`);
      }
      const hHelp: Record<string, string> = {
        gemini_proxy_request_duration_seconds: "Time from request to end of response.",
        gemini_proxy_upstream_first_byte_seconds: "Time from request to the first upstream chunk (upstream latency).",
        gemini_proxy_upstream_attempt_seconds: "Duration of each upstream call, by credential kind and outcome.",
      };
      for (const [name, text] of Object.entries(hHelp)) {
        head(name, "histogram", text);
        for (const { labels: key, value: h } of histograms.get(name)?.series.values() ?? []) {
          const inner = key.slice(1, -1);
          const withLe = (le: string) => `{${inner ? `${inner},` : ""}le="${le}"}`;
          let cumulative = 0;
          BUCKETS.forEach((le, i) => out.push(`${name}_bucket${withLe(String(le))} ${(cumulative += h.counts[i]!)}`));
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
      renderPerCredential(out, head, credentials, perCredential, now);
      return `${out.join("\n")}\n`;
    },
  };
}
