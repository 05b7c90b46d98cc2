// `gemini-cli-proxy run`: the standalone server.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { defineCommand, type ArgsDef, type CommandDef } from "citty";
import { createConsola, LogLevels, type LogType } from "consola";
import { createGeminiProxy } from "../../proxy.ts";
import type { Logger } from "../../options.ts";
import type { StorageLike } from "../../storage/types.ts";
import { ConfigError, readConfigFile, toProxyOptions, type FileConfig } from "../config.ts";
import { createCliStorage } from "../storage.ts";

export const runArgs = {
  config: { type: "string", alias: "c", description: "Path to config.json (only read when given)", valueHint: "file" },
  encryptionKey: { type: "string", alias: ["ek"], description: "Encryption key of the credentials file (-ek KEY)" },
  host: { type: "string", description: "Host to bind (default 127.0.0.1)" },
  port: { type: "string", alias: "p", description: "Port (default 8889)" },
  dataDir: { type: "string", description: "Data directory for the fs storage (default ~/.gemini-cli-proxy)" },
  logLevel: { type: "string", description: "silent | error | warn | info | debug | trace" },
} as const satisfies ArgsDef;

function levelOf(name: string | undefined): number {
  if (!name) return LogLevels.info;
  const level = LogLevels[name.toLowerCase() as LogType];
  if (level === undefined) throw new ConfigError(`log level must be one of silent, error, warn, info, debug, trace (got "${name}")`);
  return level;
}

/** No built-in "123456": a random key is generated on first start, stored, and printed once. */
async function ensureAuthKeys(config: FileConfig, storage: StorageLike, logger: Logger): Promise<string[]> {
  const fromEnv = process.env.GEMINI_PROXY_AUTH_KEYS?.split(",").map((k) => k.trim()).filter(Boolean);
  if (fromEnv?.length) return fromEnv;
  if (config.auth_keys?.length) return config.auth_keys;
  const stored = await storage.getItem<{ key: string }>("keys:generated");
  if (stored?.key) {
    logger.info("no auth_keys configured: using the key generated on first start (stored as keys:generated in the data directory)");
    return [stored.key];
  }
  const key = `gcp-${randomBytes(24).toString("base64url")}`;
  await storage.setItem("keys:generated", { key, createdAt: Date.now() });
  logger.warn(`no auth_keys configured: generated a client key (shown once, stored in the data directory):\n\n    ${key}\n`);
  return [key];
}

export async function startServer(args: { config?: string; encryptionKey?: string; host?: string; port?: string; dataDir?: string; logLevel?: string }) {
  const config = args.config ? await readConfigFile(args.config) : {};
  const logger = createConsola({ level: levelOf(args.logLevel ?? process.env.GEMINI_PROXY_LOG_LEVEL ?? config.log_level) });
  const storage = await createCliStorage(config.storage, args.dataDir);
  const authKeys = await ensureAuthKeys(config, storage, logger);
  const options = toProxyOptions(config, process.cwd());
  const proxy = createGeminiProxy({
    ...options,
    authKeys,
    storage,
    logger: logger as unknown as Logger,
    encryptionKey: args.encryptionKey ?? process.env.GEMINI_PROXY_ENCRYPTION_KEY,
  });
  await proxy.ready();

  const host = args.host ?? config.server?.host ?? "127.0.0.1";
  const port = Number(args.port ?? config.server?.port ?? 8889);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`port must be 0-65535 (got ${args.port ?? config.server?.port})`);
  const server = http.createServer(proxy.node);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;
  const usable = proxy.pool.usableCount();
  logger.success(`gemini-cli-proxy listening on ${url}`);
  logger.info(`OpenAI base URL: ${url}/v1   native Gemini: ${url}/v1beta   health: ${url}/health`);
  logger.info(`${usable} usable credential(s)${usable ? "" : ": add an account (gemini-cli-proxy login) or gemini_api_keys in the config"}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down (in-flight requests get up to 10 s)`);
    const force = setTimeout(() => server.closeAllConnections(), 10_000);
    force.unref();
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    clearTimeout(force);
    await proxy.close();
    await storage.dispose?.();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
  return { server, proxy, url };
}

export const runCommand: CommandDef<typeof runArgs> = defineCommand({
  meta: { name: "run", description: "Start the proxy server" },
  args: runArgs,
  async run({ args }) {
    try {
      await startServer(args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`gemini-cli-proxy: ${message}`);
      process.exit(1);
    }
  },
});
