// A refresh that did not help: Google refused the fresh token as well (a persistent 401). Refreshing
// again at once would only repeat that, once or twice per request; instead the account waits before
// its next refresh, twice as long each time it happens again (30 s, 1 min, ... at most 30 min), and
// a success ends the pause.

export const REFRESH_BACKOFF_BASE_MS = 30_000;
export const REFRESH_BACKOFF_MAX_MS = 30 * 60_000;

export interface RefreshBackoff {
  /** How many refreshes in a row did not help. */
  level: number;
  /** No refresh before this time (ms). */
  until: number;
}

export function nextBackoff(previous: RefreshBackoff | undefined, now: number): RefreshBackoff {
  const level = (previous?.level ?? 0) + 1;
  return { level, until: now + Math.min(REFRESH_BACKOFF_MAX_MS, REFRESH_BACKOFF_BASE_MS * 2 ** (level - 1)) };
}

export const inBackoff = (backoff: RefreshBackoff | undefined, now: number): boolean =>
  backoff !== undefined && now < backoff.until;

/** Thrown instead of calling Google while an account's refresh pause runs. */
export class RefreshBackoffError extends Error {
  constructor(id: string, until: number) {
    super(`credential ${id}: Google refused its refreshed token; next refresh at ${new Date(until).toISOString()}`);
    this.name = "RefreshBackoffError";
  }
}
