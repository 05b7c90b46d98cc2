// citty argument definitions shared by the commands (also exported for CLIs that embed ours).
import type { ArgsDef } from "citty";

/** Where the settings come from: every command that touches storage takes these. */
export const commonArgs = {
  config: {
    type: "string",
    alias: "c",
    description: "config.json (only read when given; env GEMINI_PROXY_CONFIG)",
    valueHint: "file",
  },
  encryptionKey: {
    type: "string",
    alias: ["ek"],
    description: "Encryption key: -ek KEY, --ek or --encryption-key (env GEMINI_PROXY_ENCRYPTION_KEY)",
    valueHint: "key",
  },
  dataDir: {
    type: "string",
    description: "Directory of the fs storage (default ~/.gemini-cli-proxy; env GEMINI_PROXY_DATA_DIR)",
    valueHint: "dir",
  },
  logLevel: {
    type: "string",
    description: "silent | error | warn | info | debug | trace (default info; env GEMINI_PROXY_LOG_LEVEL)",
    valueHint: "level",
  },
  logFormat: {
    type: "string",
    description: "pretty | json (one JSON object per line; env GEMINI_PROXY_LOG_FORMAT)",
    valueHint: "format",
  },
} as const satisfies ArgsDef;

/** The server's own flags. */
export const serverArgs = {
  host: { type: "string", description: "Host to bind (default 127.0.0.1; 0.0.0.0 exposes it; env GEMINI_PROXY_HOST)" },
  port: { type: "string", alias: "p", description: "Port (default 8889; env GEMINI_PROXY_PORT)" },
  shutdownTimeout: {
    type: "string",
    description: "Seconds in-flight requests get on SIGINT/SIGTERM (default 10)",
    valueHint: "sec",
  },
  importGeminiCli: {
    type: "boolean",
    description: "With an empty pool, import ~/.gemini/oauth_creds.json (your Gemini CLI login) at start",
  },
} as const satisfies ArgsDef;

export const runArgs = { ...commonArgs, ...serverArgs } as const satisfies ArgsDef;
