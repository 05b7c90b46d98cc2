// Failed admin logins per client address, in memory (per process): a few tries, then a pause.
// Good enough against online guessing; a multi-instance host should also rate-limit at its edge.

export interface LoginLimiter {
  /** Seconds to wait when this address is locked out, else 0. */
  blockedFor(address: string): number;
  fail(address: string): void;
  succeed(address: string): void;
}

export function createLoginLimiter(
  maxFailures = 10,
  windowMs = 10 * 60_000,
  now: () => number = Date.now,
): LoginLimiter {
  const failures = new Map<string, { count: number; since: number }>();
  const current = (address: string) => {
    const entry = failures.get(address);
    if (entry && now() - entry.since > windowMs) {
      failures.delete(address);
      return undefined;
    }
    return entry;
  };
  return {
    blockedFor(address) {
      const entry = current(address);
      if (!entry || entry.count < maxFailures) return 0;
      return Math.max(1, Math.ceil((entry.since + windowMs - now()) / 1000));
    },
    fail(address) {
      const entry = current(address);
      if (entry) entry.count++;
      else failures.set(address, { count: 1, since: now() });
      // Bound memory under a spray of addresses: drop the oldest entry.
      if (failures.size > 10_000) failures.delete(failures.keys().next().value as string);
    },
    succeed(address) {
      failures.delete(address);
    },
  };
}
