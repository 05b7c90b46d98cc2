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
import { formatSummary, progressMessages } from "../login-summary.ts";
import { withExamples } from "../usage.ts";

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

function basicHeader(user: string | undefined, password: string | undefined): Record<string, string> {
  return user !== undefined || password !== undefined
    ? { authorization: `Basic ${Buffer.from(`${user ?? ""}:${password ?? ""}`).toString("base64")}` }
    : {};
}

/** A failed admin call to --server, as one line with what to do. */
function serverError(url: string, error: unknown): Error {
  if (!(error instanceof FetchError)) return error as Error;
  const data = error.data as { detail?: unknown; error?: { message?: unknown } } | undefined;
  const detail = String(data?.detail ?? data?.error?.message ?? error.statusText ?? error.message);
  const status = error.statusCode ?? error.status;
  const hint =
    status === 401 || status === 403 ? " (pass --admin-user and --admin-password, or GEMINI_PROXY_ADMIN_PASSWORD)" : "";
  return new Error(status ? `${url} answered ${status}: ${detail}${hint}` : `could not reach ${url}: ${error.message}`);
}

/** Checks the admin credentials against --server before anyone is sent to Google's consent page. */
async function checkServer(server: string, headers: Record<string, string>): Promise<void> {
  const url = joinURL(server, "admin/credentials");
  try {
    await ofetch(url, { method: "GET", headers, retry: 0, timeout: 15_000 });
  } catch (error) {
    throw serverError(url, error);
  }
}

interface AdminCredential {
  id?: string;
  email?: string | null;
  project_id?: string | null;
  tier?: string | null;
  status?: string;
  failure_reason?: string | null;
  verification_link?: string | null;
}

async function push(server: string, tokens: TokenSet, headers: Record<string, string>): Promise<string[]> {
  const url = joinURL(server, "admin/credentials/add");
  let res: { status?: string; message?: string; email?: string; id?: string };
  try {
    res = await ofetch(url, {
      method: "POST",
      body: { credential: simpleCredential(tokens) },
      headers,
      retry: 0,
    });
  } catch (error) {
    throw serverError(url, error);
  }
  const lines = [
    `[SUCCESS] Credential for '${res.email ?? "the account"}' processed successfully: ${res.message ?? res.status ?? "ok"}`,
  ];
  // The same summary as a local login: the server's view of the account (masked as its admin API masks).
  const list = await ofetch<AdminCredential[]>(joinURL(server, "admin/credentials"), { headers, retry: 0 }).catch(
    () => [],
  );
  const view = list.find((c) => c.id === res.id);
  if (view)
    lines.push(
      formatSummary({
        email: view.email ?? res.email,
        project: view.project_id,
        tier: view.tier,
        status: view.status ?? "unknown",
        reason: view.failure_reason,
        link: view.verification_link,
      }),
    );
  return lines;
}

export const loginCommand: CommandDef<typeof loginArgs> = withExamples(
  defineCommand({
    meta: {
      name: "login",
      alias: "auth",
      description: "Sign in with a Google account and add it (auth: the Python proxy's name for it)",
    },
    args: loginArgs,
    async run({ args }) {
      const lines = stdinLines();
      const print = (text: string) => process.stdout.write(`${text}\n`);
      let masker = createSecretMasker();
      try {
        const settings = await loadSettings(args);
        masker = createSecretMasker(settings.secrets);
        const env = process.env;
        const admin = basicHeader(
          args.adminUser ?? env.GEMINI_PROXY_ADMIN_USERNAME,
          args.adminPassword ?? env.GEMINI_PROXY_ADMIN_PASSWORD,
        );
        // Wrong admin credentials fail now, not after the user went through Google's consent.
        if (args.server) await checkServer(args.server, admin);
        const { oauth, close } = oauthContext(settings);
        let tokens: TokenSet;
        try {
          tokens = await getTokens(oauth, args, { print, readLine: lines.readLine });
        } finally {
          lines.close();
          await close();
        }
        if (args.server) {
          const stop = progressMessages(print);
          const lines = await push(args.server, tokens, admin).finally(stop);
          for (const line of lines) print(line);
          process.exit(0);
        }
        const ctx = await createCliContext(args);
        const proxy = createGeminiProxy({
          ...ctx.settings.options,
          authKeys: false, // nothing is served: only the pool is used
          storage: ctx.storage,
          logger: ctx.logger,
          encryptionKey: ctx.settings.encryptionKey,
        });
        const stop = progressMessages(print);
        const outcome = await addLoggedInAccount(proxy.pool, tokens).finally(stop);
        await proxy.close();
        await ctx.storage.dispose?.();
        print(describeOutcome(outcome));
        const c = outcome.credential;
        if (outcome.result !== "dropped")
          print(
            formatSummary({
              email: c.email,
              project: c.project,
              tier: c.tier,
              status: c.state.status,
              reason: c.state.reason,
              link: c.state.link,
            }),
          );
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
  }),
  [
    "gemini-cli-proxy login                            # browser on this machine, account in ~/.gemini-cli-proxy",
    "gemini-cli-proxy login --no-browser               # prints a URL; paste the code Google shows",
    "gemini-cli-proxy login --server https://proxy.example.com --admin-user admin --admin-password …",
  ],
);
