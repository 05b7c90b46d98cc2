// The standalone server's node:http limits against slow or numerous clients. Node's own defaults
// let a client trickle its headers for a minute and its body forever, and accept any number of
// connections; these bound all three.
import http from "node:http";
import type { ConsolaInstance } from "consola";
import type { CliSettings } from "./settings.ts";

/** How often a dropped connection may be logged (a flood must not flood the log too). */
const DROP_LOG_EVERY_MS = 60_000;

export function createLimitedServer(
  handler: http.RequestListener,
  limits: CliSettings["limits"],
  logger: ConsolaInstance,
): http.Server {
  const requestTimeout = limits.requestTimeoutSec * 1000;
  // Node refuses a headers timeout above the request timeout.
  const headersTimeout = Math.min(limits.headersTimeoutSec * 1000, requestTimeout);
  const server = http.createServer(
    {
      headersTimeout,
      // Covers receiving the request only (headers and body): answers and streams run as long as they need.
      requestTimeout,
      // Node checks both timeouts on this tick (default 30 s, which would let a slow client stay far longer).
      connectionsCheckingInterval: Math.max(100, Math.min(1000, headersTimeout / 2)),
    },
    handler,
  );
  server.maxConnections = limits.maxConnections;
  let loggedAt = 0;
  let dropped = 0;
  server.on("drop", () => {
    dropped++;
    if (Date.now() - loggedAt < DROP_LOG_EVERY_MS) return;
    loggedAt = Date.now();
    logger
      .withTag("http")
      .warn(
        `max_connections (${limits.maxConnections}) reached: closed ${dropped} new connection(s) on arrival; raise server.max_connections if these are real clients`,
      );
    dropped = 0;
  });
  return server;
}
