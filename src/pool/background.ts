// Background loops (token refresh, idle health checks): jittered, unref-ed timers that never keep
// the process alive, started after `ready()` and stopped — waiting for a running tick — by `stop()`.

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
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const tasks = new Set<Promise<unknown>>();
  let running = false;

  const track = (task: Promise<unknown>) => {
    const settled = task.catch(() => {}).finally(() => tasks.delete(settled));
    tasks.add(settled);
  };

  function schedule(loop: Loop) {
    if (!running) return;
    const delay = loop.intervalMs * (1 + Math.random() * loop.jitter);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!running) return;
      const task = loop.tick().catch((error: unknown) => onError(loop.name, error));
      track(task);
      void task.finally(() => schedule(loop));
    }, delay);
    timer.unref?.();
    timers.add(timer);
  }

  return {
    get running() {
      return running;
    },
    start() {
      if (running) return;
      running = true;
      for (const loop of loops) schedule(loop);
    },
    async stop() {
      running = false;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      while (tasks.size) await Promise.all([...tasks]);
    },
    track,
  };
}
