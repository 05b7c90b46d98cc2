// A running server on fs storage learns about accounts that another process (`login`,
// `accounts import`) wrote into the same folder: the credentials folder is watched, and each
// changed record is announced on the pool's change channel, as another instance would announce it.
// The pool then reloads just that credential (new ones appear, removed ones go).
import { watch, type FSWatcher } from "node:fs";
import { mkdir, readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CHANGES_CHANNEL } from "../pool/cluster.ts";
import type { Coordinator } from "../storage/coordination/index.ts";

/** Credential ids as the pool makes them; temporary files of atomic writes never match. */
const ID_RE = /^(?:oauth|key)-[0-9a-f]{10}$/;
/** Events of one write (temp file, rename) arrive together: announce once. */
const DEBOUNCE_MS = 200;
/** Where fs.watch is unavailable: list the folder this often instead. */
const POLL_MS = 3000;

export interface StorageWatch {
  stop(): void;
}

export async function watchCredentialFolder(
  base: string,
  coordinator: Coordinator,
  warn: (message: string) => void,
): Promise<StorageWatch> {
  const dir = join(resolve(base), "credentials");
  await mkdir(dir, { recursive: true });
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const ids = [...pending];
    pending.clear();
    for (const id of ids)
      coordinator.publish(CHANGES_CHANNEL, { id, kind: "record", from: "fs-watch" }).catch(() => {});
  };
  const changed = (name: string | null) => {
    if (!name || !ID_RE.test(name)) return;
    pending.add(name);
    timer ??= setTimeout(flush, DEBOUNCE_MS);
    timer.unref();
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { persistent: false }, (_event, name) => changed(name?.toString() ?? null));
    watcher.on("error", (error) => warn(`stopped watching ${dir}: ${error.message}`));
  } catch (error) {
    warn(`cannot watch ${dir} (${(error as Error).message}); listing it every ${POLL_MS / 1000} s instead`);
  }
  // The listing also catches what a watcher may miss (network filesystems): cheap, names only.
  let known = new Set<string>();
  const list = async () => new Set((await readdir(dir).catch(() => [] as string[])).filter((n) => ID_RE.test(n)));
  known = await list();
  const poll = setInterval(
    () =>
      void list().then((now) => {
        for (const id of now) if (!known.has(id)) changed(id);
        for (const id of known) if (!now.has(id)) changed(id);
        known = now;
      }),
    watcher ? POLL_MS * 5 : POLL_MS,
  );
  poll.unref();
  return {
    stop() {
      watcher?.close();
      clearInterval(poll);
      if (timer) clearTimeout(timer);
    },
  };
}
