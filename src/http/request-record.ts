// Access to the request record from inside routes (created by the app middleware).
import { createHash } from "node:crypto";
import type { H3Event } from "h3";
import type { RequestRecord } from "../usage/record.ts";

/** The record of the request being served (created by the middleware below). */
export function recordOf(event: H3Event): RequestRecord {
  return event.context.record as RequestRecord;
}

/** Labels of accepted keys (called after the key check): the same few keys come on every request. */
const labels = new Map<string, string>();

/** A stable, non-secret label for a client key in logs and the usage ledger. */
export function keyLabel(key: string | undefined): string | undefined {
  if (!key) return undefined;
  let label = labels.get(key);
  if (label === undefined) {
    label = `key-${createHash("sha256").update(key).digest("hex").slice(0, 8)}`;
    if (labels.size >= 1024) labels.clear();
    labels.set(key, label);
  }
  return label;
}
