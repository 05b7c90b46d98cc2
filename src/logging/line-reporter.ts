// Plain log lines for files, pipes and log collectors: consola's pretty reporter measures and
// colours every line for a terminal, which costs a request more than serving it. One line per
// event, masked whole, gathered by a LineSink.
//   pretty: `2026-12-06T16:30:00.123Z INFO  [http] POST /v1/chat/completions … 200 4ms`
//   json:   `{"time":…,"level":"info","tag":"http","msg":…, …the event's fields}`
import { inspect } from "node:util";
import type { ConsolaReporter, LogObject } from "consola";
import type { LineSink } from "./line-sink.ts";

export type LineFormat = "pretty" | "json";

export interface LineReporterOptions {
  format: LineFormat;
  /** Pretty lines of warnings and errors (stderr); the rest, and every JSON line, go to `out`. */
  err: LineSink;
  out: LineSink;
  /** Redaction applied to the finished line. */
  mask?: (line: string) => string;
}

const ERRORS = new Set(["fatal", "error", "warn", "fail"]);

function text(arg: unknown): string {
  if (arg instanceof Error) return arg.stack ?? `${arg.name}: ${arg.message}`;
  if (typeof arg === "string") return arg;
  if (arg !== null && typeof arg === "object") return inspect(arg, { depth: 4, breakLength: Infinity });
  return String(arg);
}

/** The human message of a log object: its message and arguments, space-separated. */
function messageOf(obj: LogObject): string {
  const parts = obj.message === undefined || obj.message === "" ? [] : [obj.message];
  for (const arg of obj.args) {
    const t = text(arg);
    if (t !== "") parts.push(t);
  }
  return parts.join(" ");
}

let second = -1;
let secondText = "";
/**
 * `new Date().toISOString()` for now, its first 20 characters made once per second: a request's
 * line needs the time, and building it from a Date took longer than the rest of the line.
 */
export function isoNow(now = Date.now()): string {
  const s = Math.floor(now / 1000);
  if (s !== second) {
    second = s;
    secondText = new Date(s * 1000).toISOString().slice(0, 20); // "2026-12-06T16:30:00."
  }
  const ms = now - s * 1000;
  return `${secondText}${ms < 10 ? "00" : ms < 100 ? "0" : ""}${ms}Z`;
}

type Fields = Record<string, unknown>;

/** A line reporter also takes events straight from `logEvent`, without consola's log object. */
export interface LineReporter extends ConsolaReporter {
  /** `fields` may be a function: called only for a JSON line. */
  event(type: string, tag: string | undefined, message: string, fields: Fields | (() => Fields)): void;
}

export function createLineReporter(options: LineReporterOptions): LineReporter {
  const { mask } = options;
  const json = options.format === "json";
  const write = (type: string, tag: string | undefined, msg: string, fields: Fields | (() => Fields) | undefined) => {
    const time = isoNow();
    const line = json
      ? `${JSON.stringify({ time, level: type, tag: tag || undefined, msg, ...(typeof fields === "function" ? fields() : fields) })}\n`
      : `${time} ${type.toUpperCase().padEnd(5)} ${tag ? `[${tag}] ` : ""}${msg}\n`;
    (!json && ERRORS.has(type) ? options.err : options.out).write(mask ? mask(line) : line);
  };
  return {
    log: (obj) => write(obj.type, obj.tag, messageOf(obj), (obj as { fields?: Fields }).fields),
    event: write,
  };
}
