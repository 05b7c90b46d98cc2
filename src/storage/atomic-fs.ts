// An unstorage driver for the file backend whose writes can't be torn: each value goes to a
// temporary file in the same directory, is fsync'ed, then renamed over the record. A process killed
// mid-write leaves either the old record or the new one, never a truncated file (fs and fs-lite use
// a plain writeFile). Same layout as fs-lite (`a:b:c` → `<base>/a/b/c`), so existing data dirs work.
// Temporary files of writers that died mid-write are removed when the driver is created.
// Records named by `lazy` (default: `state:*`, counters and cooldowns the pool can rebuild) skip
// the fsync: the rename still makes them whole after a killed process, only a power cut may lose them.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, promises as fsp } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { defineDriver } from "unstorage";
import { pidAlive } from "./pid.ts";

/** Options of `atomicFsDriver`. */
export interface AtomicFsOptions {
  /** Directory holding the records. */
  base: string;
  /** Keys written without fsync (still by rename). Default: those under `state:`. */
  lazy?: (key: string) => boolean;
}

/** Temporary files are named `<record>.<TMP_MARK><random>`; keys never list them. */
const TMP_MARK = ".~tmp-";
/** Entries named `.~…` in the base directory are the driver's own (e.g. the usage journal), never keys. */
const PRIVATE_MARK = ".~";
/** A temporary file this old is stale even if its writer's pid is alive (pids get reused; writes take ms). */
const STALE_TMP_MS = 60_000;
const TRAVERSAL = /\.\.:|\.\.$/;

const notFound = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR";
};

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const entries = await fsp
    .readdir(dir, { withFileTypes: true })
    .catch((error: unknown) => (notFound(error) ? [] : Promise.reject(error)));
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(PRIVATE_MARK)) continue;
    if (entry.isDirectory()) out.push(...(await listFiles(join(dir, entry.name), `${prefix}${entry.name}/`)));
    else if (!entry.name.includes(TMP_MARK)) out.push(`${prefix}${entry.name}`);
  }
  return out;
}

/**
 * Removes the temporary files that writers killed mid-write left behind: those whose pid (in the
 * name) is no longer running, and any older than a minute. Several processes may share the
 * directory, so a live writer's fresh temporary file is left alone. Returns how many were removed.
 */
export async function sweepTempFiles(dir: string, now = Date.now()): Promise<number> {
  const entries = await fsp
    .readdir(dir, { withFileTypes: true })
    .catch((error: unknown) => (notFound(error) ? [] : Promise.reject(error)));
  let removed = 0;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith(PRIVATE_MARK)) removed += await sweepTempFiles(path, now);
      continue;
    }
    const at = entry.name.indexOf(TMP_MARK);
    if (at < 0) continue;
    const pid = Number(/^(\d+)-/.exec(entry.name.slice(at + TMP_MARK.length))?.[1]);
    const ownerGone = Number.isInteger(pid) && pid !== process.pid && !pidAlive(pid);
    const stat = ownerGone ? undefined : await fsp.stat(path).catch(() => undefined);
    if (!ownerGone && !(stat && now - stat.mtimeMs > STALE_TMP_MS)) continue;
    await fsp.unlink(path).then(
      () => removed++,
      () => {},
    );
  }
  return removed;
}

/** Directories known to exist: a write creates its directory only the first time (or if it vanished). */
const madeDirs = new Set<string>();
/** Unique temporary names without asking for entropy per write. */
const tmpPrefix = `${process.pid}-${randomBytes(6).toString("hex")}-`;
let tmpCount = 0;

async function openTemp(path: string): Promise<{ tmp: string; handle: fsp.FileHandle }> {
  const dir = dirname(path);
  const tmp = `${path}${TMP_MARK}${tmpPrefix}${(tmpCount++).toString(36)}`;
  if (!madeDirs.has(dir)) {
    await fsp.mkdir(dir, { recursive: true });
    madeDirs.add(dir);
  }
  try {
    return { tmp, handle: await fsp.open(tmp, "w", 0o600) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code !== "ENOENT") throw error;
    madeDirs.delete(dir); // removed meanwhile (a cleared data dir): create it again
    await fsp.mkdir(dir, { recursive: true });
    madeDirs.add(dir);
    return { tmp, handle: await fsp.open(tmp, "w", 0o600) };
  }
}

/**
 * Write-then-rename: the record at `path` is replaced in one step. With `sync: false` the bytes are
 * not forced to disk first (whole after a killed process; a power cut may leave the older record).
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: { sync?: boolean } = {},
): Promise<void> {
  const { tmp, handle } = await openTemp(path);
  try {
    await handle.chmod(0o600); // the umask may have changed the creation mode
    await handle.writeFile(data);
    if (options.sync !== false) await handle.sync(); // the bytes are on disk before the name points at them
  } finally {
    await handle.close();
  }
  try {
    await fsp.rename(tmp, path);
  } catch (error) {
    await fsp.unlink(tmp).catch(() => {});
    throw error;
  }
  if (options.sync === false) return;
  // Make the rename durable; directories cannot be opened for sync on every platform, so best effort.
  const dir = await fsp.open(dirname(path), "r").catch(() => undefined);
  await dir?.sync().catch(() => {});
  await dir?.close();
}

/**
 * An unstorage fs driver whose writes go to a temporary file that is renamed into place, so a crash
 * mid-write never leaves a truncated record (the CLI's default storage). Use it as
 * `createStorage({ driver: atomicFsDriver({ base }) })`.
 */
export const atomicFsDriver = defineDriver((options: AtomicFsOptions) => {
  if (!options?.base) throw new Error("[unstorage] [atomic-fs] Missing required option `base`.");
  const base = resolve(options.base);
  // Left by writers that were killed mid-write; best effort, it never blocks a read or a write.
  const swept = sweepTempFiles(base).catch(() => 0);
  const pathOf = (key: string) => {
    if (TRAVERSAL.test(key))
      throw new Error(`[unstorage] [atomic-fs] Invalid key: ${JSON.stringify(key)}. It should not contain .. segments`);
    return join(base, key.replace(/:/g, "/"));
  };
  const lazy = options.lazy ?? ((key: string) => key.startsWith("state:"));
  const write = (key: string, value: string | Uint8Array) => writeFileAtomic(pathOf(key), value, { sync: !lazy(key) });
  // Only the folder asked for is walked (`credentials:` → `<base>/credentials`), not the whole tree.
  const keysUnder = async (prefix?: string) => {
    const folder = (prefix ?? "").replace(/:+$/, "");
    if (!folder) return listFiles(base);
    const dir = pathOf(folder);
    return listFiles(dir, `${folder.replace(/:/g, "/")}/`);
  };
  // Records are small (a credential, a state, a rollup): one synchronous read costs less than the
  // four thread-pool round trips of fs/promises' readFile, which made a start-up with a thousand
  // credentials (two thousand files) wait on the pool rather than the disk.
  const read = (key: string, encoding?: "utf8"): Promise<string | Buffer | null> => {
    const path = pathOf(key);
    try {
      return Promise.resolve(readFileSync(path, encoding));
    } catch (error) {
      return notFound(error) ? Promise.resolve(null) : Promise.reject(error);
    }
  };
  return {
    name: "atomic-fs",
    options,
    hasItem: (key: string) => existsSync(pathOf(key)),
    getItem: (key: string) => read(key, "utf8"),
    getItemRaw: (key: string) => read(key),
    setItem: (key: string, value: string) => write(key, value),
    setItemRaw: (key: string, value: Uint8Array) => write(key, value),
    async removeItem(key: string) {
      await fsp.unlink(pathOf(key)).catch((error: unknown) => (notFound(error) ? undefined : Promise.reject(error)));
    },
    getKeys: (prefix?: string) => keysUnder(prefix),
    async clear(prefix?: string) {
      for (const file of await keysUnder(prefix)) await fsp.unlink(join(base, file)).catch(() => {});
    },
    async dispose() {
      await swept;
    },
  };
});

/**
 * The directory of a storage whose root mount is `atomicFsDriver` (found through
 * `storage.getMount("")`, as for redis), else undefined: files beside the records, such as the usage
 * journal, go under `<base>/.~<name>`, which is never listed as keys.
 */
export function atomicFsBaseOf(storage: unknown): string | undefined {
  const getMount = (storage as { getMount?: (key?: string) => unknown } | null)?.getMount;
  if (typeof getMount !== "function") return undefined;
  try {
    const driver = (getMount.call(storage, "") as { driver?: { name?: string; options?: { base?: unknown } } })?.driver;
    const base = driver?.name === "atomic-fs" ? driver.options?.base : undefined;
    return typeof base === "string" ? resolve(base) : undefined;
  } catch {
    return undefined;
  }
}

/** The private directory `<base>/.~<name>` for files kept beside the records. */
export const privateDir = (base: string, name: string): string => join(base, `${PRIVATE_MARK}${name}`);
