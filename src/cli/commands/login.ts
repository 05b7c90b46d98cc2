// `gemini-cli-proxy login`: sign in with Google and add the account to the local storage, or push
// it to a running proxy (`--server`) through the predecessor's POST /admin/credentials/add.
import { joinURL } from "ufo";
import { createInterface } from "node:readline";
import { defineCommand, type ArgsDef, type CommandDef } from "citty";
import { FetchError, ofetch } from "ofetch";
import { createGeminiProxy } from "../../proxy.ts";
import { addLoggedInAccount, describeOutcome } from "../../login/account.ts";
import { browserCommand, openBrowser } from "../../login/browser.ts";
import { authcodeLogin, loopbackLogin, type CliLoginIO } from "../../login/cli-flow.ts";
import { resolveEndpoints } from "../../upstream/endpoints.ts";
import { createHttpClient } from "../../upstream/http-client.ts";
import { GEMINI_CLI_OAUTH_CLIENT, type OAuthContext, type TokenSet } from "../../upstream/oauth.ts";
import { commonArgs } from "../args.ts";
import { createCliContext, exitWithError } from "../context.ts";
import { createSecretMasker } from "../mask.ts";
import { loadSettings, type CliSettings } from "../settings.ts";

export const loginArgs = {
  ...commonArgs,
  browser: {
    type: "boolean",
    default: true,
    description: "Open a browser (--no-browser: print the URL and paste the code Google shows)",
  },
  callbackPort: {
    type: "string",
    description: "Port of the local callback server (default: any free port)",
    valueHint: "port",
  },
  server: {
    type: "string",
    description: "Push the account to a running proxy at this URL instead of the local storage",
    valueHint: "url",
  },
  adminUser: { type: "string", description: "Admin user of --server (env GEMINI_PROXY_ADMIN_USERNAME)" },
  adminPassword: { type: "string", description: "Admin password of --server (env GEMINI_PROXY_ADMIN_PASSWORD)" },
} as const satisfies ArgsDef;

/** Lines from stdin, one at a time; undefined once stdin ends. */
function stdinLines(): { readLine: () => Promise<string | undefined>; close: () => void } {
  const rl = createInterface({ input: process.stdin, terminal: false });
  const queue: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let closed = false;
  rl.on("line", (line) => (waiting.length ? waiting.shift()!(line) : queue.push(line)));
  rl.on("close", () => {
    closed = true;
    for (const w of waiting.splice(0)) w(undefined);
  });
  return {
    readLine: () =>
      queue.length
        ? Promise.resolve(queue.shift())
        : closed
          ? Promise.resolve(undefined)
          : new Promise((r) => waiting.push(r)),
    close: () => {
      rl.close();
      process.stdin.destroy();
    },
  };
}

function oauthContext(settings: CliSettings): { oauth: OAuthContext; close: () => Promise<void> } {
  const options = settings.options;
  const http = createHttpClient({
    timeouts: { connect: options.requestTimeouts?.connect ?? 60, read: options.requestTimeouts?.read ?? 90 },
    httpProxy: options.httpProxy,
  });
  return {
    oauth: {
      http,
      endpoints: resolveEndpoints(options.endpoints),
      client: options.oauthClient ?? GEMINI_CLI_OAUTH_CLIENT,
    },
    close: () => http.close(),
  };
}

async function getTokens(
  oauth: OAuthContext,
  args: { browser?: boolean; callbackPort?: string },
  io: CliLoginIO,
): Promise<TokenSet> {
  const command = args.browser === false ? undefined : browserCommand();
  const port = args.callbackPort ? Number(args.callbackPort) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535))
    throw new Error(`--callback-port must be 0-65535 (got ${args.callbackPort})`);
  // Google's code page exists only for the Gemini CLI's client; other clients paste the redirect URL.
  if (!command && oauth.client.clientId === GEMINI_CLI_OAUTH_CLIENT.clientId) return authcodeLogin(oauth, io);
  return loopbackLogin(oauth, { ...io, port, open: command ? (url) => openBrowser(url, command) : undefined });
}

/** The predecessor's SimpleCredential, as its `auth` command pushed it. */
function simpleCredential(tokens: TokenSet): Record<string, unknown> {
  return {
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    token_type: "Bearer",
    expiry_date: tokens.expiresAt,
    scopes: tokens.scope?.split(/\s+/).filter(Boolean),
  };
}

async function push(
  server: string,
  tokens: TokenSet,
  user: string | undefined,
  password: string | undefined,
): Promise<string> {
  const headers: Record<string, string> = {};
  if (user !== undefined || password !== undefined)
    headers.authorization = `Basic ${Buffer.from(`${user ?? ""}:${password ?? ""}`).toString("base64")}`;
  const url = joinURL(server, "admin/credentials/add");
  try {
    const res = await ofetch<{ status?: string; message?: string; email?: string }>(url, {
      method: "POST",
      body: { credential: simpleCredential(tokens) },
      headers,
      retry: 0,
    });
    return `[SUCCESS] Credential for '${res.email ?? "the account"}' processed successfully: ${res.message ?? res.status ?? "ok"}`;
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    const data = error.data as { detail?: unknown; error?: { message?: unknown } } | undefined;
    const detail = String(data?.detail ?? data?.error?.message ?? error.statusText ?? error.message);
    const status = error.statusCode ?? error.status;
    const hint =
      status === 401 || status === 403
        ? " (pass --admin-user and --admin-password, or GEMINI_PROXY_ADMIN_PASSWORD)"
        : "";
    throw new Error(
      status ? `${url} answered ${status}: ${detail}${hint}` : `could not reach ${url}: ${error.message}`,
    );
  }
}

export const loginCommand: CommandDef<typeof loginArgs> = defineCommand({
  meta: {
    name: "login",
    description: `Sign in with a Google account and add it.

Examples:
  gemini-cli-proxy login                          # browser on this machine, account in ~/.gemini-cli-proxy
  gemini-cli-proxy login --no-browser             # prints a URL; paste the code Google shows
  gemini-cli-proxy login --server https://proxy.example.com --admin-user admin --admin-password ...`,
  },
  args: loginArgs,
  async run({ args }) {
    const lines = stdinLines();
    const print = (text: string) => process.stdout.write(`${text}\n`);
    let masker = createSecretMasker();
    try {
      const settings = await loadSettings(args);
      masker = createSecretMasker(settings.secrets);
      const { oauth, close } = oauthContext(settings);
      let tokens: TokenSet;
      try {
        tokens = await getTokens(oauth, args, { print, readLine: lines.readLine });
      } finally {
        lines.close();
        await close();
      }
      if (args.server) {
        const env = process.env;
        print(
          await push(
            args.server,
            tokens,
            args.adminUser ?? env.GEMINI_PROXY_ADMIN_USERNAME,
            args.adminPassword ?? env.GEMINI_PROXY_ADMIN_PASSWORD,
          ),
        );
        process.exit(0);
      }
      const ctx = await createCliContext(args);
      const proxy = createGeminiProxy({
        ...ctx.settings.options,
        storage: ctx.storage,
        logger: ctx.logger,
        encryptionKey: ctx.settings.encryptionKey,
      });
      const outcome = await addLoggedInAccount(proxy.pool, tokens);
      await proxy.close();
      await ctx.storage.dispose?.();
      print(describeOutcome(outcome));
      if (outcome.result !== "dropped")
        print(
          "A running proxy on the same storage picks the account up after a restart; use --server to add it to a running one now.",
        );
      process.exit(outcome.result === "dropped" ? 1 : 0);
    } catch (error) {
      lines.close();
      exitWithError(error, masker);
    }
  },
});
