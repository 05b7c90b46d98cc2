// The usage journal (fs storage): every counted request is appended as one line to the current
// segment file before its response ends, so a killed process loses no usage. Appends made in the
// same event-loop turn share one write (group commit); no fsync per line: a SIGKILL keeps what is
// in the page cache, only a power loss can drop the last lines (the rollups are fsync'ed when the
// ledger compacts). The ledger seals a segment at every flush, adds its sums to the rollups with
// the segment's id as a mark (store.incrementOnce), then deletes it; segments left by dead
// processes are replayed the same way at start, so a crash at any step neither loses nor
// double-counts.
//
// Files: `<dir>/<pid>.<writer>-<seq>.jsonl`; the segment id is `<writer>-<seq>`, `writer` random per
// journal. A process replaying a dead one's segment first renames it to its own pid (a claim).
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, promises as fsp, writeSync } from "node:fs";
import { join } from "node:path";
import { pidAlive } from "../storage/pid.ts";

/** A segment that no longer takes appends. */
export interface SealedSegment {
  id: string;
  path: string;
}

export interface UsageJournal {
  readonly dir: string;
  /** Appends one line (ending in "\n"); resolves once it is in the file. Never rejects. */
  append(line: string): Promise<void>;
  /** Seals the current segment (pending lines written first); undefined when it has no file. */
  rotate(): SealedSegment | undefined;
  /** Segments of processes that are gone, claimed for this one (first call only). */
  orphans(): Promise<SealedSegment[]>;
  /** The lines of a segment; a torn last line (a kill mid-write) is left out. */
  read(segment: SealedSegment): Promise<unknown[]>;
  remove(segment: SealedSegment): Promise<void>;
  /** Ids of the segments on disk now, of every process. */
  present(): Promise<Set<string>>;
  close(): void;
}

/** A segment of another running process is left alone unless it is this old (pids get reused). */
const ORPHAN_AGE_MS = 10 * 60_000;
/** Writers of this process (several proxies may share one directory). */
const liveWriters = new Set<string>();

const FILE = /^(\d+)\.([0-9a-f]+)-(\d+)\.jsonl$/;

export function createUsageJournal(dir: string, onError: (message: string) => void): UsageJournal {
  const writer = randomBytes(6).toString("hex");
  liveWriters.add(writer);
  let seq = 0;
  let fd: number | undefined;
  let path = "";
  let lines: string[] = [];
  let batch: Promise<void> | undefined;
  let settle: () => void = () => {};
  let failing = false;
  let scanned = false;

  const report = (error: unknown) => {
    // Once per failure streak: the counts still reach the rollups from memory.
    if (!failing) onError(`usage journal: could not append to ${path || dir}: ${(error as Error)?.message ?? error}`);
    failing = true;
  };

  const writeOut = () => {
    const done = settle;
    batch = undefined;
    if (lines.length === 0) return done();
    const text = Buffer.from(lines.join(""));
    lines = [];
    try {
      if (fd === undefined) {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        seq++;
        path = join(dir, `${process.pid}.${writer}-${seq}.jsonl`);
        fd = openSync(path, "a", 0o600);
      }
      for (let at = 0; at < text.length;) at += writeSync(fd, text, at);
      failing = false;
    } catch (error) {
      report(error);
    }
    done();
  };

  return {
    dir,
    append(line) {
      lines.push(line);
      batch ??= new Promise<void>((resolve) => {
        settle = resolve;
        setImmediate(writeOut);
      });
      return batch;
    },
    rotate() {
      writeOut();
      if (fd === undefined) return undefined;
      try {
        closeSync(fd);
      } catch {
        // the lines were written; a failed close loses nothing
      }
      fd = undefined;
      return { id: `${writer}-${seq}`, path };
    },
    async orphans() {
      if (scanned) return [];
      scanned = true;
      const found: { segment: SealedSegment; order: number }[] = [];
      const names = await fsp.readdir(dir).catch(() => [] as string[]);
      for (const name of names) {
        const m = FILE.exec(name);
        if (!m || liveWriters.has(m[2]!)) continue;
        const pid = Number(m[1]);
        const file = join(dir, name);
        if (pid !== process.pid && pidAlive(pid)) {
          const stat = await fsp.stat(file).catch(() => undefined);
          if (!stat || Date.now() - stat.mtimeMs < ORPHAN_AGE_MS) continue;
        }
        const claimed = join(dir, `${process.pid}.${m[2]}-${m[3]}.jsonl`);
        if (
          claimed !== file &&
          !(await fsp.rename(file, claimed).then(
            () => true,
            () => false,
          ))
        )
          continue;
        found.push({ segment: { id: `${m[2]}-${m[3]}`, path: claimed }, order: Number(m[3]) });
      }
      return found.sort((a, b) => a.order - b.order).map((f) => f.segment);
    },
    async read(segment) {
      const text = await fsp.readFile(segment.path, "utf8").catch(() => "");
      const out: unknown[] = [];
      for (const line of text.split("\n")) {
        if (!line) continue;
        try {
          out.push(JSON.parse(line));
        } catch {
          // a line torn by a kill mid-write: its response never ended
        }
      }
      return out;
    },
    async remove(segment) {
      await fsp.unlink(segment.path).catch(() => {});
    },
    async present() {
      const ids = new Set<string>();
      for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
        const m = FILE.exec(name);
        if (m) ids.add(`${m[2]}-${m[3]}`);
      }
      return ids;
    },
    close() {
      writeOut();
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      liveWriters.delete(writer);
    },
  };
}
