// The local pool for `accounts ...`: the same proxy the server builds, on the same storage (and the
// same credentials_file, kept in sync), without listening. Stop the server before changing accounts,
// or use the admin API of a running one (a server on fs storage picks new accounts up by itself).
import { writeFile } from "node:fs/promises";
import { createGeminiProxy, type GeminiProxy } from "../proxy.ts";
import type { Credential } from "../pool/credential.ts";
import type { CredentialView } from "../pool/pool.ts";
import { createCredentialStore } from "../pool/store.ts";
import { serializeLegacyCredentials, type LegacyCredential } from "../legacy/credentials-file.ts";
import { toLegacyCredential } from "../legacy/sync.ts";
import { createCliContext, exitSoon, exitWithError, type CliContext } from "./context.ts";
import type { CommonFlags } from "./settings.ts";

export interface LocalAccounts {
  ctx: CliContext;
  proxy: GeminiProxy;
  /** Flushes the storage and the credentials file. */
  close(): Promise<void>;
}

export async function openAccounts(flags: CommonFlags): Promise<LocalAccounts> {
  // stdout is the command's output (a table, JSON, an exported file): logs go to stderr.
  const ctx = await createCliContext(flags, { stderr: true });
  const proxy = createGeminiProxy({
    ...ctx.settings.options,
    authKeys: false,
    storage: ctx.storage,
    logger: ctx.logger,
    encryptionKey: ctx.settings.encryptionKey,
  });
  await proxy.pool.ready();
  return {
    ctx,
    proxy,
    async close() {
      await ctx.storage.idle();
      await proxy.close();
      await ctx.storage.dispose?.();
    },
  };
}

/** Runs a command body against the local pool; every failure ends in one clear, masked line. */
export async function withAccounts(
  flags: CommonFlags,
  body: (local: LocalAccounts) => Promise<number | void>,
): Promise<void> {
  let local: LocalAccounts | undefined;
  try {
    local = await openAccounts(flags);
    const code = (await body(local)) ?? 0;
    await local.close();
    exitSoon(code);
  } catch (error) {
    await local?.close().catch(() => {});
    exitWithError(error, local?.ctx.masker);
  }
}

/** An id, an email, or an unambiguous id prefix. */
export function findAccount(views: CredentialView[], query: string): CredentialView {
  const exact = views.find((v) => v.id === query || v.email === query);
  if (exact) return exact;
  const matches = views.filter((v) => v.id.startsWith(query));
  if (matches.length === 1) return matches[0]!;
  throw new Error(
    matches.length
      ? `"${query}" matches ${matches.length} accounts: use the full id`
      : `no account "${query}" (see \`gemini-cli-proxy accounts list\`)`,
  );
}

export function formatTable(views: CredentialView[]): string {
  if (!views.length)
    return "No accounts. Add one with `gemini-cli-proxy login` or `gemini-cli-proxy accounts import FILE`.";
  const rows = views.map((v) => [
    v.id,
    v.kind,
    v.email ?? [v.label, v.keyLabel].filter(Boolean).join(" "),
    v.project ?? "",
    v.state.verified === false ? `${v.state.status} (unverified)` : v.state.status,
    v.state.reason ?? "",
  ]);
  const head = ["ID", "KIND", "ACCOUNT", "PROJECT", "STATUS", "REASON"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => Math.min(r[i]!.length, 60))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(head), ...rows.map(line)].join("\n");
}

/** One entry per credential, in a shape `accounts import` reads back. */
export function toExportEntry(cred: Credential): Record<string, unknown> {
  if (cred.kind === "api_key") return cred.label ? { apiKey: cred.apiKey, label: cred.label } : { apiKey: cred.apiKey };
  return { ...toLegacyCredential(cred), ...(cred.email ? { email: cred.email } : {}) };
}

export async function exportAccounts(
  local: LocalAccounts,
  options: { output: string; format: "legacy" | "json"; encrypt: boolean },
): Promise<string> {
  const { settings } = local.ctx;
  if (options.encrypt && !settings.encryptionKey)
    throw new Error("--encrypt needs the encryption key (-ek KEY or GEMINI_PROXY_ENCRYPTION_KEY)");
  const credentials = await createCredentialStore(local.ctx.storage, {
    encryptionKey: settings.encryptionKey,
    sealPlaintext: false,
  }).list();
  const oauth = credentials.filter((c) => c.kind === "oauth");
  const text =
    options.format === "legacy"
      ? serializeLegacyCredentials(
          oauth.map((c) => toLegacyCredential(c) as LegacyCredential),
          options.encrypt ? settings.encryptionKey : undefined,
        )
      : JSON.stringify(credentials.map(toExportEntry), null, 2);
  if (options.output === "-") process.stdout.write(`${text}\n`);
  else await writeFile(options.output, text, { mode: 0o600, flag: "w" });
  const skipped = options.format === "legacy" ? credentials.length - oauth.length : 0;
  return `exported ${options.format === "legacy" ? oauth.length : credentials.length} account(s)${skipped ? ` (${skipped} API key(s) left out: the predecessor's format has none; use --format json)` : ""}${options.output === "-" ? "" : ` to ${options.output}`}`;
}
