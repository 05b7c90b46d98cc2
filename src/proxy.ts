// createGeminiProxy(): resolves options, wires the services (HTTP client, transports, pool,
// dispatch) and builds the h3 app. Nothing runs until `ready()` or the first request.
import { createConsola } from "consola";
import { createLineReporter } from "./logging/line-reporter.ts";
import { lineSinkOf } from "./logging/line-sink.ts";
import { toNodeHandler, type H3 } from "h3";
import { createStorage } from "unstorage";
import { createDispatcher } from "./dispatch/dispatcher.ts";
import { createModelCatalogue } from "./gemini/models.ts";
import { createApp } from "./http/app.ts";
import { toProxyNodeHandler } from "./http/node-adapter.ts";
import { createKeyChecker } from "./http/client-auth.ts";
import type { AppContext } from "./http/context.ts";
import type { GeminiProxyOptions, Logger } from "./config/options.ts";
import { resolveOptions, type ResolvedOptions } from "./config/resolve.ts";
import { optionWarnings } from "./config/option-keys.ts";
import { createCredentialPool, type CredentialPool } from "./pool/pool.ts";
import { createCredentialStore } from "./pool/store.ts";
import { createSignatureStore } from "./surfaces/_signature-store.ts";
import { createMediaFetcher } from "./surfaces/_media-fetch.ts";
import { withResponseAbort } from "./http/client-abort.ts";
import { readLegacyCredentialsFile } from "./legacy/credentials-file.ts";
import { createLegacySync, type LegacySync } from "./legacy/sync.ts";
import type { StorageLike } from "./storage/types.ts";
import { createCodeAssistClient } from "./upstream/code-assist.ts";
import { resolveEndpoints } from "./upstream/endpoints.ts";
import { createGeminiApiClient } from "./upstream/gemini-api.ts";
import { createHttpClient } from "./upstream/http-client.ts";
import { GEMINI_CLI_OAUTH_CLIENT } from "./upstream/oauth.ts";
import type { RequestRecord } from "./usage/record.ts";
import { createHookRunner } from "./http/hooks.ts";
import { startUsageLogging, type UsageLogging } from "./usage/logging.ts";
import { createRequestLog } from "./usage/request-log.ts";
import { attachPoolLog, logOnboarding } from "./usage/pool-log.ts";
import { createProxyUsage, type ProxyUsage } from "./usage/service.ts";
import { defaultUsageStore } from "./usage/redis-store.ts";
import { createCoordinator, isUnavailable } from "./storage/coordination/index.ts";
import { createResilientStorage } from "./storage/redis-resilience.ts";
import { atomicFsBaseOf, privateDir } from "./storage/atomic-fs.ts";
import { createUsageJournal } from "./usage/journal.ts";
import { createClientKeyService } from "./keys/service.ts";
import type { ClientKeysApi } from "./keys/types.ts";
import { countKeyTokens } from "./http/key-limits.ts";

/** The object `createGeminiProxy()` returns: one proxy, mountable in any host through `fetch`, `app`, `handler` or `node`. */
export interface GeminiProxy {
  /** Web-standard handler (Nitro v3, Bun, Deno, workers, tests). */
  fetch: (request: Request) => Promise<Response>;
  /** The h3 v2 app, for `new H3().mount(prefix, proxy.app)`. */
  app: H3;
  /** An h3 v2 event handler, for use inside a host route. */
  handler: (event: { req: Request }) => Promise<Response>;
  /** A `(req, res)` listener for node:http and Express 5. */
  node: ReturnType<typeof toNodeHandler>;
  pool: CredentialPool;
  /** Usage ledger: per-model summary, hourly series, exports, reset. */
  usage: ProxyUsage;
  /** Managed client keys: create (the key is shown once), list, update, revoke. */
  keys: ClientKeysApi;
  /** Resolves when storage is loaded and start-up credentials are imported. */
  ready: () => Promise<void>;
  /** Stops background work and closes upstream connections. */
  close: () => Promise<void>;
}

const silent: Logger = { error() {}, warn() {}, info() {}, debug() {} };

function createLogger(option: GeminiProxyOptions["logger"]): Logger {
  if (option === false) return silent;
  if (option) return option;
  const logger = createConsola({ defaults: { tag: "gemini-cli-proxy" }, throttle: 0 });
  // Not a terminal (a file, a pipe, a container's log): plain lines, gathered per event-loop turn.
  if (!process.stdout.isTTY)
    logger.setReporters([
      createLineReporter({ format: "pretty", out: lineSinkOf(process.stdout), err: lineSinkOf(process.stderr) }),
    ]);
  return logger;
}

async function importStartupCredentials(
  options: GeminiProxyOptions,
  pool: CredentialPool,
  logger: Logger,
  sync?: LegacySync,
): Promise<void> {
  const inputs: unknown[] = [...(options.credentials ?? [])];
  if (sync) inputs.push(...(await sync.load()));
  else if (options.credentialsFile) {
    const file = await readLegacyCredentialsFile(options.credentialsFile, options.encryptionKey);
    inputs.push(...file.credentials);
  }
  for (const apiKey of options.geminiApiKeys ?? []) inputs.push({ apiKey });
  // A few at a time: each OAuth account costs a refresh, a userinfo and a loadCodeAssist.
  const queue = [...inputs];
  const worker = async () => {
    for (let input = queue.shift(); input !== undefined; input = queue.shift()) {
      try {
        logOnboarding(logger, await pool.add(input as never));
      } catch (error) {
        logger.warn(`skipped a start-up credential: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, queue.length) }, worker));
}

function warnMinCredentials(pool: CredentialPool, resolved: ResolvedOptions, logger: Logger): void {
  const usable = pool.usableCount();
  const min = resolved.pool.minCredentials;
  if (usable >= min) return;
  const login = `${resolved.publicUrl ?? ""}${resolved.basePath}/oauth2/login`;
  logger.warn(
    `${usable} usable credential(s), fewer than min_credentials (${min}): log in an account at ${login} or add gemini_api_keys to the config.`,
  );
}

/**
 * Creates a proxy: the OpenAI-compatible, native Gemini, admin and login surfaces over a credential pool.
 * Does no I/O: storage is loaded and start-up credentials are imported on `ready()` or the first request.
 */
export function createGeminiProxy(options: GeminiProxyOptions = {}): GeminiProxy {
  const resolved = resolveOptions(options);
  const logger = createLogger(options.logger);
  for (const warning of optionWarnings(options)) logger.warn(warning);
  const given: StorageLike = options.storage ?? createStorage();
  // Locks, counters and change notices shared with every instance on this storage (redis: across processes).
  const coordinator = createCoordinator(given);
  // On redis: bounded calls, degraded mode with queued writes while it is down (redis-resilience.ts).
  const resilient = coordinator.kind === "redis" ? createResilientStorage(given, coordinator, logger) : undefined;
  const storage: StorageLike = resilient ?? given;
  const endpoints = resolveEndpoints(options.endpoints);
  const http = createHttpClient({ timeouts: resolved.requestTimeouts, httpProxy: options.httpProxy });
  const catalogue = createModelCatalogue(options.models, { strict: options.strictModels === true });
  const codeAssist = createCodeAssistClient({
    http,
    baseUrl: endpoints.codeAssist,
    wireModel: (model) => catalogue.codeAssistId(model),
  });
  const geminiApi = createGeminiApiClient({ http, baseUrl: endpoints.geminiApi });
  const oauth = { http, endpoints, client: options.oauthClient ?? GEMINI_CLI_OAUTH_CLIENT };
  // With a key, secrets are sealed before the driver sees them; the predecessor's file follows the pool.
  const store = createCredentialStore(storage, { encryptionKey: options.encryptionKey });
  const legacySync =
    options.credentialsFile && options.credentialsFileSync !== false
      ? createLegacySync({ path: options.credentialsFile, passphrase: options.encryptionKey, logger })
      : undefined;
  const poolLogger = (logger.withTag?.("pool") ?? logger) as Logger;
  const pool = createCredentialPool(
    legacySync ? legacySync.wrap(store) : store,
    { oauth, codeAssist, projectIdMap: options.projectIdMap ?? {}, onboardingPollMs: options.onboardingPollMs },
    poolLogger,
    resolved.pool,
    { coordinator, recovered: resilient?.onRecovered },
  );
  const dispatcher = createDispatcher({
    pool,
    transports: { oauth: codeAssist.transport, api_key: geminiApi.transport },
    maxAttempts: resolved.pool.maxAttempts,
    budgetMs: resolved.pool.budgetMs,
    waitForCooldownMs: resolved.pool.waitForCooldownMs,
  });

  const keys = createClientKeyService({
    storage,
    coordinator,
    logger: (logger.withTag?.("keys") ?? logger) as Logger,
    options: options.clientKeys,
  });

  let readyPromise: Promise<void> | undefined;
  let phase: "starting" | "started" | "failed" = "starting";
  // A shared storage unreachable at start: the stored accounts are unknown until it answers.
  let storageLoaded = !resilient;
  resilient?.onRecovered(() => void (storageLoaded = true));
  const ready = () =>
    (readyPromise ??= (async () => {
      await pool.ready();
      storageLoaded ||= !resilient?.status().degraded;
      await keys.ready();
      await importStartupCredentials(options, pool, logger, legacySync);
      const stored = await store.list().catch((error: unknown) => {
        if (isUnavailable(error)) return undefined;
        throw error;
      });
      if (stored) await legacySync?.adopt(stored);
      // The ledger's timers start once the proxy is up, never after close().
      if (!closed) {
        // Pool loops (refresh, idle health checks) start only now; the health loop runs while nothing is in flight.
        pool.start({ idle: () => inflight.count <= 0 });
        warnMinCredentials(pool, resolved, logger);
        usage.ledger.start();
        if (resolved.usage.logging.enabled)
          usageLogging ??= startUsageLogging({
            ledger: usage.ledger,
            pool,
            logger: (logger.withTag?.("usage") ?? logger) as Logger,
            intervalSec: resolved.usage.logging.intervalSec,
          });
      }
    })().then(
      () => void (phase = "started"),
      (error: unknown) => {
        phase = "failed";
        throw error;
      },
    ));

  const usageStore = options.usage?.store ?? defaultUsageStore(storage, coordinator);
  // fs storage: every counted request is journaled before its response ends (redis adds atomically, memory can't outlive a crash).
  const fsBase = options.usage?.store ? undefined : atomicFsBaseOf(given);
  const journal = fsBase
    ? createUsageJournal(privateDir(fsBase, "usage-journal"), (message) => logger.warn(message))
    : undefined;
  const usage = createProxyUsage({ store: usageStore, retentionDays: resolved.usage.retentionDays, logger, journal });
  const hooks = createHookRunner(options.hooks, logger);
  pool.on("request:attempt", (event) => usage.metrics.attempt(event));
  let usageLogging: UsageLogging | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;
  const inflight = { count: 0 };
  const requestLog = createRequestLog((logger.withTag?.("http") ?? logger) as Logger, pool);
  attachPoolLog(pool, poolLogger);
  // Returns the journal write to await before the response's last byte (fs storage), if any.
  const finish = (record: RequestRecord, status?: number): Promise<void> | undefined => {
    if (record.finished) return undefined;
    record.finished = true;
    inflight.count--;
    record.endedAt = Date.now();
    record.status ??= status ?? 200;
    record.outcome ??= record.status < 400 ? "success" : "error";
    requestLog(record);
    const journaled = usage.record(record);
    countKeyTokens(keys, record);
    if (hooks.active && record.surface !== "other") void hooks.end(record); // API requests only, as the predecessor
    return journaled;
  };

  const ctx: AppContext = {
    options: resolved,
    checkKey: createKeyChecker(resolved.authKeys),
    keys,
    ready,
    dispatcher,
    catalogue,
    pool,
    geminiApi,
    logger,
    inflight,
    storage,
    storageStatus: () => resilient?.status() ?? { backend: "local", degraded: false, queuedWrites: 0 },
    readiness: () => ({ phase, storageLoaded }),
    oauth,
    credentialStore: store,
    signatures: createSignatureStore(storage, { ttlSec: resolved.openai.signatureTtlSec, logger }),
    media: createMediaFetcher({
      allowPrivate: resolved.media.allowPrivate,
      maxBytes: resolved.media.maxBytes,
      timeoutMs: resolved.media.timeoutMs,
      maxRedirects: resolved.media.maxRedirects,
    }),
    finish,
    usage,
    hooks,
  };
  const app = createApp(ctx);
  // Follows the real client in every host, including srvx 0.8's early request.signal (nitro 3.0.0).
  const fetch = (request: Request) => Promise.resolve(app.fetch(withResponseAbort(request)));

  return {
    fetch,
    app,
    handler: (event) => fetch(event.req),
    node: toProxyNodeHandler(app, { basePath: resolved.basePath }),
    pool,
    usage,
    keys,
    ready,
    // Idempotent: hosts may call it from a close hook and again on a hot reload.
    close: () =>
      (closing ??= (async () => {
        closed = true;
        await pool.stop();
        usageLogging?.stop();
        await keys.close();
        await usage.ledger.close();
        await legacySync?.flush();
        await resilient?.flushQueue().catch(() => {});
        resilient?.detach();
        await coordinator.dispose();
        await http.close();
      })()),
  };
}
