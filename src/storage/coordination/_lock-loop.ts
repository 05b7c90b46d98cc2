// withLock() for every coordinator: take the lock and run the work, else wait for its release (or
// its expiry) and try again, until `waitMs` is spent. Releasing is best effort: the lock expires anyway.
import type { Coordinator } from "./types.ts";

export async function runLocked<T>(
  coordinator: Pick<Coordinator, "lock" | "unlock" | "waitUnlocked">,
  name: string,
  ttlMs: number,
  work: () => Promise<T>,
  waitMs: number,
  /** Runs after each wait, before the next try. */
  afterWait?: () => Promise<void>,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const lock = await coordinator.lock(name, ttlMs);
    if (lock) {
      try {
        return await work();
      } finally {
        await coordinator.unlock(lock).catch(() => false);
      }
    }
    if (Date.now() >= deadline) throw new Error(`lock ${name}: still held after ${waitMs} ms`);
    await coordinator.waitUnlocked(name, deadline - Date.now());
    if (afterWait) await afterWait();
  }
}
