// Access to the request record from inside routes (created by the app middleware).
import { createHash } from "node:crypto";
import type { H3Event } from "h3";
import type { RequestRecord } from "../usage/record.ts";

/** The record of the request being served (created by the middleware below). */
export function recordOf(event: H3Event): RequestRecord {
  return event.context.record as RequestRecord;
}

/** A stable, non-secret label for a client key in logs and the usage ledger. */
export function keyLabel(key: string | undefined): string | undefined {
  return key ? `key-${createHash("sha256").update(key).digest("hex").slice(0, 8)}` : undefined;
}
