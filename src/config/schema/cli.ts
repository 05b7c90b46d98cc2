// Settings only the command line reads (no library option): listening, logging, storage, shutdown.
// Their config.json keys are the snake_case of these paths.
import * as k from "./kinds.ts";
import { field, group, section, withDefault } from "./meta.ts";

/** Log levels `log_level` accepts, in any case (Python's WARNING and CRITICAL too). */
export const LOG_LEVELS = [
  "silent",
  "fatal",
  "error",
  "warn",
  "warning",
  "info",
  "debug",
  "trace",
  "critical",
] as const;
export const LOG_FORMATS = ["pretty", "json"] as const;
export const DEFAULT_DATA_DIR = "~/.gemini-cli-proxy";

export const cliSchema = section({
  server: group(
    section({
      host: withDefault(k.str, "127.0.0.1", {
        description: "Address to bind (predecessor: 0.0.0.0; pass 0.0.0.0 to expose)",
      }),
      port: withDefault(k.port, 8889, { description: "Port to listen on (0 picks a free one)" }),
      headersTimeoutSec: withDefault(k.positive, 10, {
        description: "Time a client may take to send the request headers, seconds",
      }),
      requestTimeoutSec: withDefault(k.positive, 300, {
        description: "Time a client may take to send a whole request, seconds",
      }),
      maxConnections: withDefault(k.positiveInt, 1024, { description: "Open client connections at most" }),
    }),
  ),
  logLevel: withDefault(k.oneOfAnyCase(LOG_LEVELS), "info", { description: "Log level (case-insensitive)" }),
  logFormat: withDefault(k.oneOf(LOG_FORMATS), "pretty", { description: "json: one JSON object per line" }),
  dataDir: withDefault(k.str, DEFAULT_DATA_DIR, { description: "Directory of the fs storage" }),
  shutdownTimeoutSec: withDefault(k.positive, 10, {
    description: "Grace period for in-flight requests on SIGINT/SIGTERM, seconds",
  }),
  storage: group(
    section({
      driver: withDefault(k.oneOf(["fs", "memory", "redis"]), "fs", { description: "Storage driver" }),
      base: field(k.str, {
        description: "fs directory or redis key prefix",
        defaultText: "data_dir (fs), gcp (redis prefix)",
      }),
      url: field(k.str, { description: "Redis URL", defaultText: "redis://127.0.0.1:6379" }),
    }),
  ),
});
