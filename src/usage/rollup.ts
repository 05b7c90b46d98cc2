// One finished request → the counters it adds to its hour and day buckets.
import type { RequestRecord } from "./record.ts";
import type { UsageFields } from "./store.ts";

export interface Dimension {
  /** Client key label (`key-1a2b3c4d`), `-` when client auth is off. */
  key: string;
  credential: string;
  model: string;
}

/** Token fields, named as in the ledger and the exports. */
export const TOKEN_FIELDS = ["prompt", "candidates", "thoughts", "cached", "total"] as const;
/** Error counters are stored as `err:<class>`. */
export const ERROR_PREFIX = "err:";

// `|` separates the parts of a dimension key; most values have none (no regular expression run then).
const part = (value: string | undefined) => (!value ? "-" : value.includes("|") ? value.replaceAll("|", "_") : value);

export function dimensionOf(record: RequestRecord): string {
  return `${part(record.clientKey)}|${part(record.credentialId)}|${part(record.model)}`;
}

export function parseDimension(dimension: string): Dimension {
  const [key = "-", credential = "-", model = "-"] = dimension.split("|");
  return { key, credential, model };
}

/** The error class a failed request is counted under (the predecessor's `failed_requests` key). */
export function errorClassOf(record: RequestRecord): string {
  if (record.errorClass) return record.errorClass;
  if (record.outcome === "cancelled") return "cancelled";
  return record.status ? `http_${record.status}` : "unknown";
}

export function fieldsOf(record: RequestRecord): UsageFields {
  const fields: UsageFields = { requests: 1, attempts: record.attempts.length };
  if (record.outcome === "success") fields.successes = 1;
  else if (record.outcome === "cancelled") fields.cancelled = 1;
  else {
    fields.errors = 1;
    fields[`${ERROR_PREFIX}${errorClassOf(record)}`] = 1;
  }
  if (record.stream) fields.streamed = 1;
  for (const name of TOKEN_FIELDS) if (record.usage?.[name]) fields[name] = record.usage[name];
  if (record.endedAt) fields.durationMs = Math.max(0, record.endedAt - record.startedAt);
  if (record.firstByteAt) {
    fields.ttfbMs = Math.max(0, record.firstByteAt - record.startedAt);
    fields.ttfbCount = 1;
  }
  return fields;
}

const pad = (n: number) => String(n).padStart(2, "0");

// The names of the last hour seen: every request of that hour shares them (two per request on the hot path).
let named = { hour: Number.NaN, hourName: "", dayName: "" };

function namesOf(time: number): typeof named {
  const hour = Math.floor(time / 3_600_000);
  if (hour === named.hour) return named;
  const d = new Date(hour * 3_600_000);
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  named = { hour, hourName: `hour:${day}T${pad(d.getUTCHours())}`, dayName: `day:${day}` };
  return named;
}

/** `hour:YYYY-MM-DDTHH` (UTC). */
export function hourBucket(time: number): string {
  return namesOf(time).hourName;
}

/** `day:YYYY-MM-DD` (UTC). */
export function dayBucket(time: number): string {
  return namesOf(time).dayName;
}

/** Start of a bucket's period, epoch ms (NaN for a foreign name). */
export function bucketStart(bucket: string): number {
  const m = bucket.match(/^(hour|day):(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}))?$/);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[2]), Number(m[3]) - 1, Number(m[4]), m[5] ? Number(m[5]) : 0);
}

export function bucketPeriod(bucket: string): "hour" | "day" | undefined {
  return bucket.startsWith("hour:") ? "hour" : bucket.startsWith("day:") ? "day" : undefined;
}
