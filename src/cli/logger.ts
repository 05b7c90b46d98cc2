// The CLI's consola logger: level from the settings, every line masked; consola's pretty lines on a
// terminal, plain or JSON lines (logging/line-reporter.ts) anywhere else. Tagged children (`pool`, `http`, ...) are created from it
// after the level is set, since consola copies the level into a child at withTag() time.
import { createConsola, LogLevels, type ConsolaInstance, type LogObject, type LogType } from "consola";
import type { SecretMasker } from "./mask.ts";
import { createLineReporter, type LineFormat } from "../logging/line-reporter.ts";
import { lineSinkOf } from "../logging/line-sink.ts";
import { ConfigError } from "./config.ts";

/** The CLI's log_format: the line reporter's two formats. */
export type LogFormat = LineFormat;

/** Level names, case-insensitive, with Python's names too (the predecessor used `WARNING`, `CRITICAL`). */
export function parseLogLevel(name: string | undefined, where = "log_level"): number {
  if (name === undefined || name === "") return LogLevels.info;
  const lower = name.toLowerCase();
  const alias: Record<string, LogType> = { warning: "warn", critical: "fatal" };
  const level = LogLevels[(alias[lower] ?? lower) as LogType];
  if (level === undefined || ["log", "success", "fail", "ready", "start", "box"].includes(lower)) {
    throw new ConfigError(
      `${where}: expected one of silent, fatal, error, warn, info, debug, trace (got ${JSON.stringify(name)})`,
    );
  }
  return level;
}

function maskedObject(masker: SecretMasker, obj: LogObject): LogObject {
  return {
    ...obj,
    args: obj.args.map((arg) => masker.maskValue(arg)),
    message: obj.message === undefined ? undefined : masker.mask(obj.message),
  };
}

export function createCliLogger(options: {
  level: number;
  format: LogFormat;
  masker: SecretMasker;
  /** Every line to stderr (commands whose stdout is data: `accounts list --json`, `export -o -`). */
  stderr?: boolean;
}): ConsolaInstance {
  const out = options.stderr ? process.stderr : process.stdout;
  const logger = createConsola({
    level: options.level,
    formatOptions: { date: true },
    stdout: out,
    stderr: process.stderr,
    // Every request is its own line: consola's repeat folding would merge lines with different fields.
    throttle: 0,
  });
  const { masker } = options;
  // A terminal gets consola's pretty lines; files, pipes and collectors get plain lines (line-reporter.ts).
  if (options.format === "pretty" && out.isTTY) {
    logger.setReporters(
      logger.options.reporters.map((reporter) => ({
        log: (obj, ctx) => reporter.log(maskedObject(masker, obj), ctx),
      })),
    );
  } else {
    logger.setReporters([
      createLineReporter({
        format: options.format,
        out: lineSinkOf(out),
        err: lineSinkOf(process.stderr),
        mask: (line) => masker.mask(line),
      }),
    ]);
  }
  return logger;
}
