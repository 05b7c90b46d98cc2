// Requests refused for a missing or wrong client key: counted for /metrics, and logged at most once
// per window per source address with how many were refused since, so a misconfigured client (or a
// scanner) is visible without flooding the log.
import type { Logger } from "../types.ts";
import { logEvent } from "../usage/log-event.ts";

export const AUTH_LOG_WINDOW_MS = 10_000;

export interface AuthFailureLog {
  refused(source: string, reason: "missing" | "invalid", path: string, requestId: string): void;
}

export function createAuthFailureLog(
  logger: Logger,
  count: (reason: "missing" | "invalid") => void,
  windowMs = AUTH_LOG_WINDOW_MS,
): AuthFailureLog {
  // source → when its last line was written and how many were refused since then
  const sources = new Map<string, { loggedAt: number; since: number }>();
  return {
    refused(source, reason, path, requestId) {
      count(reason);
      const now = Date.now();
      const seen = sources.get(source);
      if (seen && now - seen.loggedAt < windowMs) {
        seen.since++;
        return;
      }
      if (sources.size > 10_000)
        for (const [key, value] of sources) if (now - value.loggedAt >= windowMs) sources.delete(key);
      const more = seen?.since ?? 0;
      sources.set(source, { loggedAt: now, since: 0 });
      const what = reason === "missing" ? "no client key" : "a wrong client key";
      logEvent(
        logger,
        "warn",
        `401 for ${what} from ${source} on ${path}${more ? ` (${more} more refused from there in the last ${Math.round((now - seen!.loggedAt) / 1000)} s)` : ""}`,
        {
          event: "auth.refused",
          request_id: requestId,
          status: 401,
          reason,
          source,
          path,
          refused_since_last_line: more,
        },
      );
    },
  };
}
