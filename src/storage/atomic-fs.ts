// An unstorage driver for the file backend whose writes can't be torn: each value goes to a
// temporary file in the same directory, is fsync'ed, then renamed over the record. A process killed
// mid-write leaves either the old record or the new one, never a truncated file (fs and fs-lite use
// a plain writeFile). Same layout as fs-lite (`a:b:c` → `<base>/a/b/c`), so existing data dirs work.
import { randomBytes } from "node:crypto";
import { existsSync, promises as fsp } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { defineDriver } from "unstorage";

/** Options of `atomicFsDriver`. */
export interface AtomicFsOptions {
  /** Directory holding the records. */
  base: string;
}

/** Temporary files are named `<record>.<TMP_MARK><random>`; keys never list them. */
const TMP_MARK = ".~tmp-";
const TRAVERSAL = /\.\.:|\.\.$/;

const notFound = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === "ENOENT" || code === "EISDIR";
};

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const entries = await fsp
    .readdir(dir, { withFileTypes: true })
    .catch((error: unknown) => (notFound(error) ? [] : Promise.reject(error)));
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) out.push(...(await listFiles(join(dir, entry.name), `${prefix}${entry.name}/`)));
    else if (!entry.name.includes(TMP_MARK)) out.push(`${prefix}${entry.name}`);
  }
  return out;
}

/**
 * Write-then-rename with mode 0600: the file at `path` is replaced in one step, so a crash never
 * leaves it half-written (or world-readable). The directory must exist. Used for storage records and
 * the credentials file.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}${TMP_MARK}${process.pid}-${randomBytes(6).toString("hex")}`;
  try {
    const handle = await fsp.open(tmp, "wx", 0o600);
    try {
      await handle.chmod(0o600); // the umask may have changed the creation mode
      await handle.writeFile(data);
      await handle.sync(); // the bytes are on disk before the name points at them
    } finally {
      await handle.close();
    }
    await fsp.rename(tmp, path);
  } catch (error) {
    await fsp.unlink(tmp).catch(() => {});
    throw error;
  }
  // Make the rename durable; directories cannot be opened for sync on every platform, so best effort.
  const dir = await fsp.open(dirname(path), "r").catch(() => undefined);
  await dir?.sync().catch(() => {});
  await dir?.close();
}

const writeRecord = async (path: string, data: string | Uint8Array) => {
  await fsp.mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, data);
};

/**
 * An unstorage fs driver whose writes go to a temporary file that is renamed into place, so a crash
 * mid-write never leaves a truncated record (the CLI's default storage). Use it as
 * `createStorage({ driver: atomicFsDriver({ base }) })`.
 */
export const atomicFsDriver = defineDriver((options: AtomicFsOptions) => {
  if (!options?.base) throw new Error("[unstorage] [atomic-fs] Missing required option `base`.");
  const base = resolve(options.base);
  const pathOf = (key: string) => {
    if (TRAVERSAL.test(key))
      throw new Error(`[unstorage] [atomic-fs] Invalid key: ${JSON.stringify(key)}. It should not contain .. segments`);
    return join(base, key.replace(/:/g, "/"));
  };
  const read = (key: string, encoding?: "utf8") =>
    fsp.readFile(pathOf(key), encoding).catch((error: unknown) => (notFound(error) ? null : Promise.reject(error)));
  return {
    name: "atomic-fs",
    options,
    hasItem: (key: string) => existsSync(pathOf(key)),
    getItem: (key: string) => read(key, "utf8"),
    getItemRaw: (key: string) => read(key),
    setItem: (key: string, value: string) => writeRecord(pathOf(key), value),
    setItemRaw: (key: string, value: Uint8Array) => writeRecord(pathOf(key), value),
    async removeItem(key: string) {
      await fsp.unlink(pathOf(key)).catch((error: unknown) => (notFound(error) ? undefined : Promise.reject(error)));
    },
    getKeys: () => listFiles(base),
    async clear() {
      for (const file of await listFiles(base)) await fsp.unlink(join(base, file)).catch(() => {});
    },
  };
});
