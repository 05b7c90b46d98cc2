// The standalone server: proxy on node:http, start-up banner, and a graceful shutdown that lets
// in-flight requests (streams included) finish within a grace period, then flushes state.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createGeminiProxy, type GeminiProxy } from "../proxy.ts";
import { createCoordinator } from "../storage/coordination/index.ts";
import { watchCredentialFolder, type StorageWatch } from "./storage-watch.ts";
import { firstStartGeminiCliImport } from "../login/first-start.ts";
import { ensureAuthKeys } from "./auth-keys.ts";
import { createLimitedServer } from "./http-limits.ts";
import { credentialsFileNote, weakSecretWarnings } from "./startup-notes.ts";
import type { CliContext } from "./context.ts";

export interface RunningServer {
  server: http.Server;
  proxy: GeminiProxy;
  url: string;
  /** Stops accepting, waits for in-flight requests (or cuts them at the timeout), flushes state. */
  stop: (reason?: string) => Promise<void>;
}

function displayUrl(address: AddressInfo): { url: string; everywhere: boolean } {
  const everywhere = address.address === "0.0.0.0" || address.address === "::";
  const host = everywhere ? "127.0.0.1" : address.family === "IPv6" ? `[${address.address}]` : address.address;
  return { url: `http://${host}:${address.port}`, everywhere };
}

export async function startServer(
  ctx: CliContext,
  options: { importGeminiCli?: boolean } = {},
): Promise<RunningServer> {
  const { settings, logger, storage, masker } = ctx;
  const authKeys = await ensureAuthKeys(ctx);
  for (const warning of weakSecretWarnings({
    authKeys: settings.options.authKeys === undefined ? undefined : authKeys,
    adminPassword: settings.options.admin?.password,
  }))
    logger.warn(warning);
  const fileNote = credentialsFileNote(
    settings.options.credentialsFile,
    settings.options.credentialsFileSync !== false,
  );
  if (fileNote) logger.info(fileNote);
  const proxy = createGeminiProxy({
    ...settings.options,
    authKeys,
    storage,
    logger,
    encryptionKey: settings.encryptionKey,
  });
  let watched: StorageWatch | undefined;
  try {
    await proxy.ready();
    // An empty pool and a Gemini CLI login on this machine: offer it (or import it when asked).
    await firstStartGeminiCliImport(proxy.pool, { importNow: options.importGeminiCli === true, logger });
    // fs: accounts another process writes into this folder join without a restart (redis has notices).
    if (settings.storage.driver === "fs")
      watched = await watchCredentialFolder(settings.storage.base, createCoordinator(storage), (m) => logger.warn(m));
  } catch (error) {
    watched?.stop();
    await proxy.close().catch(() => {});
    await storage.dispose?.();
    throw error;
  }

  const server = createLimitedServer(proxy.node, settings.limits, logger);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, resolve);
  });
  const { url, everywhere } = displayUrl(server.address() as AddressInfo);
  logger
    .withTag("http")
    .debug(
      `node:http keep-alive ${server.keepAliveTimeout} ms, headers timeout ${server.headersTimeout} ms, request timeout ${server.requestTimeout} ms, max connections ${server.maxConnections}`,
    );
  const base = `${url}${settings.options.basePath ?? ""}`;
  const views = proxy.pool.list();
  const usable = proxy.pool.usableCount();
  logger.success(
    `gemini-cli-proxy listening on ${url}${everywhere ? ` (all interfaces, port ${(server.address() as AddressInfo).port})` : ""}`,
  );
  logger.info(`OpenAI base URL ${base}/v1 · native Gemini ${base}/v1beta · health ${base}/health`);
  logger.info(`admin page ${settings.options.publicUrl ?? base}/`);
  // One line, so log collectors keep the count and the way out together.
  const howToAdd =
    "add one with `gemini-cli-proxy login`, `gemini-cli-proxy accounts import FILE`, the admin page, or gemini_api_keys in the config";
  logger.info(`${usable} usable credential(s) of ${views.length}${usable ? "" : `: ${howToAdd}`}`);
  masker.add(...authKeys);

  let stopping: Promise<void> | undefined;
  const stop = (reason = "stop") =>
    (stopping ??= (async () => {
      const grace = settings.shutdownTimeoutSec * 1000;
      logger.info(`${reason}: shutting down (in-flight requests get up to ${settings.shutdownTimeoutSec} s)`);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Connections that go idle after their response ends are closed at once, not after keep-alive.
      server.closeIdleConnections();
      const idle = setInterval(() => server.closeIdleConnections(), 100);
      let cut = false;
      const force = setTimeout(() => {
        cut = true;
        server.closeAllConnections();
      }, grace);
      await closed;
      clearInterval(idle);
      clearTimeout(force);
      if (cut) logger.warn(`cut the requests still running after ${settings.shutdownTimeoutSec} s`);
      watched?.stop();
      await proxy.close();
      await storage.idle();
      await storage.dispose?.();
      logger.info("stopped");
    })());

  return { server, proxy, url, stop };
}
