// The CLI's consola logger: level from the settings, every reporter behind the secret masker, and a
// JSON-lines reporter for log collectors. Tagged children (`pool`, `http`, ...) are created from it
// after the level is set, since consola copies the level into a child at withTag() time.
import {
  createConsola,
  LogLevels,
  type ConsolaInstance,
  type ConsolaReporter,
  type LogObject,
  type LogType,
} from "consola";
import type { SecretMasker } from "./mask.ts";
import { ConfigError } from "./config.ts";

export type LogFormat = "pretty" | "json";

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

function maskedFields(masker: SecretMasker, fields: unknown): Record<string, unknown> | undefined {
  if (!fields || typeof fields !== "object") return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key] = typeof value === "string" ? masker.mask(value) : value;
  return out;
}

function maskedObject(masker: SecretMasker, obj: LogObject): LogObject {
  return {
    ...obj,
    fields: maskedFields(masker, (obj as { fields?: unknown }).fields),
    args: obj.args.map((arg) => masker.maskValue(arg)),
    message: obj.message === undefined ? undefined : masker.mask(obj.message),
    additional: Array.isArray(obj.additional)
      ? obj.additional.map((a) => masker.mask(a))
      : obj.additional === undefined
        ? undefined
        : masker.mask(obj.additional),
  };
}

function text(arg: unknown): string {
  if (arg instanceof Error) return arg.stack ?? `${arg.name}: ${arg.message}`;
  return typeof arg === "string" ? arg : String(arg);
}

/**
 * One JSON object per line: time, level, tag, msg, then the event's own fields (`request_id`,
 * `status`, `credential`, ...) at the top level, so collectors can search them without parsing msg.
 */
export function createJsonReporter(
  write: (line: string) => void = (line) => process.stdout.write(line),
): ConsolaReporter {
  return {
    log(obj) {
      const msg = [obj.message, ...obj.args.map(text)].filter((p) => p !== undefined && p !== "").join(" ");
      const fields = (obj as { fields?: Record<string, unknown> }).fields;
      write(
        `${JSON.stringify({ time: obj.date.toISOString(), level: obj.type, tag: obj.tag || undefined, msg, ...fields })}\n`,
      );
    },
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
  const inner =
    options.format === "json" ? [createJsonReporter((line) => void out.write(line))] : logger.options.reporters;
  logger.setReporters(
    inner.map((reporter) => ({ log: (obj, ctx) => reporter.log(maskedObject(options.masker, obj), ctx) })),
  );
  return logger;
}
