// Structured log lines: a human message plus named fields. consola loggers get a log object (the
// pretty reporter prints the message, the CLI's JSON reporter writes the fields, a host's reporter
// finds them in `fields`); any other logger gets the message alone, as it always has.
import type { Logger } from "../types.ts";

export type LogFields = Record<string, string | number | boolean | null | undefined>;
export type LogLevelName = "error" | "warn" | "info" | "debug";

/** consola instances expose their reporters under `options`; a plain Logger does not. */
function isConsola(logger: Logger): boolean {
  return typeof (logger as { options?: { reporters?: unknown } }).options?.reporters === "object";
}

export function logEvent(logger: Logger, level: LogLevelName, message: string, fields: LogFields): void {
  if (isConsola(logger)) logger[level]({ message, fields });
  else logger[level](message);
}
