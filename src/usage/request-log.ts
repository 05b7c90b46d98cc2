// One log line per finished request: the short human line as before, plus the fields log collectors
// search by (request id, route, status, duration, model, credential, attempts, client key label,
// error class). Masked emails are cached per credential: the hot path does a map lookup, no formatting.
import type { Logger } from "../types.ts";
import { maskEmail } from "../admin/format.ts";
import type { CredentialPool } from "../pool/pool.ts";
import { logEvent, type LogFields } from "./log-event.ts";
import type { RequestRecord } from "./record.ts";
import { errorClassOf } from "./rollup.ts";

/** Load balancer probes poll every few seconds: their lines go to debug. */
const PROBES = new Set(["/livez", "/readyz", "/health", "/healthz"]);

export type RequestLog = (record: RequestRecord) => void;

export function createRequestLog(logger: Logger, pool: Pick<CredentialPool, "get">): RequestLog {
  const emails = new Map<string, string | null>();
  const emailOf = (id: string) => {
    let email = emails.get(id);
    if (email === undefined) {
      email = maskEmail(pool.get(id)?.email);
      if (emails.size > 10_000) emails.clear();
      emails.set(id, email);
    }
    return email;
  };
  return (record) => {
    const duration = (record.endedAt ?? Date.now()) - record.startedAt;
    const credential = record.credentialId;
    const message = `${record.method} ${record.path}${record.model ? ` ${record.model}` : ""} ${record.status}${credential ? ` ${credential}` : ""} ${duration}ms${record.errorClass ? ` ${record.errorClass}` : ""}`;
    const fields = (): LogFields => ({
      event: "request",
      request_id: record.id,
      method: record.method,
      path: record.path,
      status: record.status,
      duration_ms: duration,
      surface: record.surface,
      model: record.model,
      stream: record.stream,
      credential,
      credential_email: credential ? emailOf(credential) : undefined,
      attempts: record.attempts.length,
      client_key: record.clientKey,
      outcome: record.outcome,
      error_class: record.outcome === "success" ? undefined : errorClassOf(record),
      ttfb_ms: record.firstByteAt ? record.firstByteAt - record.startedAt : undefined,
      tokens: record.usage?.total,
    });
    logEvent(logger, PROBES.has(record.path) ? "debug" : "info", message, fields);
  };
}
