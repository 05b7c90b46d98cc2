// Log lines are gathered and written together at most every FLUSH_MS: a request's line costs a
// string append, not a write system call (writes to files and pipes are synchronous in Node, so one
// per line would stall every request behind the disk or the reader). What is still gathered when
// the process exits is written synchronously then.
import { writeSync } from "node:fs";

export interface LineSink {
  /** Appends one line (with its newline); written out within FLUSH_MS. */
  write(line: string): void;
  /** Writes what is gathered now. */
  flush(): void;
  /** What is gathered, removed from the sink (for a synchronous write at exit). */
  take(): string;
}

type Stream = NodeJS.WritableStream & { fd?: number };

/** Past this much text waiting, write at once rather than wait for the timer. */
const HIGH_WATER = 64 * 1024;
/** Longest a line waits: short for a reader, long enough to gather the lines of many requests. */
const FLUSH_MS = 50;

const sinks = new Map<Stream, LineSink>();

function createLineSink(stream: Stream): LineSink {
  let buffer = "";
  let scheduled = false;
  const take = () => {
    const out = buffer;
    buffer = "";
    return out;
  };
  const flush = () => {
    scheduled = false;
    if (buffer) stream.write(take());
  };
  return {
    write(line) {
      buffer += line;
      if (buffer.length >= HIGH_WATER) flush();
      else if (!scheduled) {
        scheduled = true;
        setTimeout(flush, FLUSH_MS).unref();
      }
    },
    flush,
    take,
  };
}

let exitHook = false;

/** The one sink of a stream (process.stdout, process.stderr), shared by every logger writing there. */
export function lineSinkOf(stream: Stream): LineSink {
  let sink = sinks.get(stream);
  if (!sink) sinks.set(stream, (sink = createLineSink(stream)));
  if (!exitHook) {
    exitHook = true;
    process.once("exit", flushLogLinesSync);
  }
  return sink;
}

/** Everything gathered, written now: synchronously where the stream has a file descriptor (exit). */
function flushLogLinesSync(): void {
  for (const [stream, sink] of sinks) {
    const text = sink.take();
    if (!text) continue;
    try {
      if (typeof stream.fd === "number") writeSync(stream.fd, text);
      else stream.write(text);
    } catch {
      // the reader is gone: nothing left to tell
    }
  }
}

/** Everything gathered, handed to the streams now (tests, and before a deliberate exit). */
export function flushLogLines(): void {
  for (const sink of sinks.values()) sink.flush();
}
