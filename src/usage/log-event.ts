// Structured log lines: a human message plus named fields. consola loggers get a log object (the
// pretty reporter prints the message, the CLI's JSON reporter writes the fields, a host's reporter
// finds them in `fields`); any other logger gets the message alone, as it always has. A consola
// whose one reporter is our line reporter gets the event straight: consola's own path (log object,
// argument normalisation) cost more than the line itself, once per request.
import { LogLevels } from "consola";
import type { LineReporter } from "../logging/line-reporter.ts";
import type { Logger } from "../types.ts";

export type LogFields = Record<string, string | number | boolean | null | undefined>;
/** Fields, or a function that makes them: a line that nobody writes as JSON never builds them. */
export type LazyLogFields = LogFields | (() => LogFields);
export type LogLevelName = "error" | "warn" | "info" | "debug";

interface ConsolaShape {
  level: number;
  options: { reporters: unknown[]; defaults?: { tag?: string } };
}

/** consola instances expose their reporters under `options`; a plain Logger does not. */
function consolaOf(logger: Logger): ConsolaShape | undefined {
  const options = (logger as { options?: { reporters?: unknown } }).options;
  return Array.isArray(options?.reporters) ? (logger as unknown as ConsolaShape) : undefined;
}

function lineReporterOf(consola: ConsolaShape): LineReporter | undefined {
  const [reporter, ...others] = consola.options.reporters as Partial<LineReporter>[];
  return others.length === 0 && typeof reporter?.event === "function" ? (reporter as LineReporter) : undefined;
}

export function logEvent(logger: Logger, level: LogLevelName, message: string, fields: LazyLogFields): void {
  const consola = consolaOf(logger);
  if (!consola) return logger[level](message);
  const direct = lineReporterOf(consola);
  if (!direct) return void logger[level]({ message, fields: typeof fields === "function" ? fields() : fields });
  if (LogLevels[level] <= consola.level) direct.event(level, consola.options.defaults?.tag, message, fields);
}
