// Background loops (token refresh, idle health checks): jittered, unref-ed timers that never keep
// the process alive, started after `ready()` and stopped — waiting for a running tick — by `stop()`.
import { setTimeout as delay } from "node:timers/promises";

export interface Loop {
  name: string;
  /** Base delay between ticks, in ms. */
  intervalMs: number;
  /** Random extra delay as a fraction of the interval (0.5 → up to +50 %). */
  jitter: number;
  tick: () => Promise<void>;
}

export interface Background {
  start(): void;
  stop(): Promise<void>;
  /** Track a fire-and-forget task so `stop()` waits for it. */
  track(task: Promise<unknown>): void;
  readonly running: boolean;
}

export function createBackground(loops: Loop[], onError: (loop: string, error: unknown) => void): Background {
  const tasks = new Set<Promise<unknown>>();
  let stopping: AbortController | undefined;

  const track = (task: Promise<unknown>) => {
    const settled = task.catch(() => {}).finally(() => tasks.delete(settled));
    tasks.add(settled);
  };

  async function run(loop: Loop, signal: AbortSignal) {
    while (!signal.aborted) {
      const wait = loop.intervalMs * (1 + Math.random() * loop.jitter);
      // Aborted by stop(): the wait ends at once, a running tick is awaited by stop().
      if (!(await delay(wait, true, { signal, ref: false }).catch(() => false))) return;
      await loop.tick().catch((error: unknown) => onError(loop.name, error));
    }
  }

  return {
    get running() {
      return stopping !== undefined;
    },
    start() {
      if (stopping) return;
      const controller = (stopping = new AbortController());
      for (const loop of loops) track(run(loop, controller.signal));
    },
    async stop() {
      stopping?.abort();
      stopping = undefined;
      while (tasks.size) await Promise.all([...tasks]);
    },
    track,
  };
}
