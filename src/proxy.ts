// createGeminiProxy(): resolves options, wires the services (HTTP client, transports, pool,
// dispatch) and builds the h3 app. Nothing runs until `ready()` or the first request.
import { createConsola } from "consola";
import { toNodeHandler, type H3 } from "h3";
import { createStorage } from "unstorage";
import { createDispatcher } from "./dispatch.ts";
import { createModelCatalogue } from "./gemini/models.ts";
import { createApp } from "./http/app.ts";
import { createKeyChecker } from "./http/client-auth.ts";
import type { AppContext } from "./http/context.ts";
import { resolveOptions, type GeminiProxyOptions, type Logger } from "./options.ts";
import { createCredentialPool, type CredentialPool } from "./pool/pool.ts";
import { createCredentialStore } from "./storage/credential-store.ts";
import { readLegacyCredentialsFile } from "./storage/legacy-file.ts";
import type { StorageLike } from "./storage/types.ts";
import { createCodeAssistClient } from "./upstream/code-assist.ts";
import { resolveEndpoints } from "./upstream/endpoints.ts";
import { createGeminiApiClient } from "./upstream/gemini-api.ts";
import { createHttpClient } from "./upstream/http-client.ts";
import { GEMINI_CLI_OAUTH_CLIENT } from "./upstream/oauth.ts";
import type { RequestRecord } from "./usage/record.ts";

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
  /** Resolves when storage is loaded and start-up credentials are imported. */
  ready: () => Promise<void>;
  /** Stops background work and closes upstream connections. */
  close: () => Promise<void>;
}

const silent: Logger = { error() {}, warn() {}, info() {}, debug() {} };

function createLogger(option: GeminiProxyOptions["logger"]): Logger {
  if (option === false) return silent;
  return option ?? (createConsola({ defaults: { tag: "gemini-cli-proxy" } }) as unknown as Logger);
}

async function importStartupCredentials(options: GeminiProxyOptions, pool: CredentialPool, logger: Logger): Promise<void> {
  const inputs: unknown[] = [...(options.credentials ?? [])];
  if (options.credentialsFile) {
    const file = await readLegacyCredentialsFile(options.credentialsFile, options.encryptionKey);
    inputs.push(...file.credentials);
  }
  for (const apiKey of options.geminiApiKeys ?? []) inputs.push({ apiKey });
  // A few at a time: each OAuth account costs a refresh, a userinfo and a loadCodeAssist.
  const queue = [...inputs];
  const worker = async () => {
    for (let input = queue.shift(); input !== undefined; input = queue.shift()) {
      try {
        await pool.add(input as never);
      } catch (error) {
        logger.warn(`skipped a start-up credential: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, queue.length) }, worker));
}

export function createGeminiProxy(options: GeminiProxyOptions = {}): GeminiProxy {
  const resolved = resolveOptions(options);
  const logger = createLogger(options.logger);
  const storage: StorageLike = options.storage ?? (createStorage() as unknown as StorageLike);
  const endpoints = resolveEndpoints(options.endpoints);
  const http = createHttpClient({ timeouts: resolved.requestTimeouts, httpProxy: options.httpProxy });
  const codeAssist = createCodeAssistClient({ http, baseUrl: endpoints.codeAssist });
  const geminiApi = createGeminiApiClient({ http, baseUrl: endpoints.geminiApi });
  const oauth = { http, endpoints, client: options.oauthClient ?? GEMINI_CLI_OAUTH_CLIENT };
  const pool = createCredentialPool(
    createCredentialStore(storage),
    { oauth, codeAssist, projectIdMap: options.projectIdMap ?? {}, onboardingPollMs: options.onboardingPollMs },
    logger,
  );
  const dispatcher = createDispatcher({
    pool,
    transports: { oauth: codeAssist.transport, api_key: geminiApi.transport },
    maxAttempts: resolved.maxAttempts,
  });

  let readyPromise: Promise<void> | undefined;
  const ready = () =>
    (readyPromise ??= (async () => {
      await pool.ready();
      await importStartupCredentials(options, pool, logger);
    })());

  const inflight = { count: 0 };
  const requestLog = (logger.withTag?.("http") ?? logger) as Logger;
  const finish = (record: RequestRecord, status?: number) => {
    if (record.finished) return;
    record.finished = true;
    inflight.count--;
    record.endedAt = Date.now();
    record.status ??= status ?? 200;
    record.outcome ??= record.status < 400 ? "success" : "error";
    requestLog.info(
      `${record.method} ${record.path}${record.model ? ` ${record.model}` : ""} ${record.status}${record.credentialId ? ` ${record.credentialId}` : ""} ${record.endedAt - record.startedAt}ms${record.errorClass ? ` ${record.errorClass}` : ""}`,
    );
  };

  const ctx: AppContext = {
    options: resolved,
    checkKey: createKeyChecker(resolved.authKeys),
    ready,
    dispatcher,
    catalogue: createModelCatalogue(options.models),
    pool,
    geminiApi,
    logger,
    inflight,
    storage,
    finish,
  };
  const app = createApp(ctx);
  const fetch = (request: Request) => Promise.resolve(app.fetch(request));

  return {
    fetch,
    app,
    handler: (event) => fetch(event.req),
    node: toNodeHandler(app),
    pool,
    ready,
    close: async () => {
      await http.close();
    },
  };
}
