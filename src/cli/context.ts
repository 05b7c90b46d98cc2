// What every command starts with: settings, a masking logger, and (when asked) the storage.
import type { ConsolaInstance } from "consola";
import { weakPassphraseReason } from "../legacy/credentials-file.ts";
import { createCliLogger } from "./logger.ts";
import { createSecretMasker, type SecretMasker } from "./mask.ts";
import { loadSettings, type CliSettings, type CommonFlags } from "./settings.ts";
import { createCliStorage, type CliStorage } from "./storage.ts";

export interface CliContext {
  settings: CliSettings;
  logger: ConsolaInstance;
  masker: SecretMasker;
  storage: CliStorage;
}

/** `stderr`: the command's stdout is data (`accounts list --json`, `export -o -`); every log line goes to stderr. */
export async function createCliContext(flags: CommonFlags, options: { stderr?: boolean } = {}): Promise<CliContext> {
  const settings = await loadSettings(flags);
  const masker = createSecretMasker(settings.secrets);
  const logger = createCliLogger({
    level: settings.logLevel,
    format: settings.logFormat,
    masker,
    stderr: options.stderr,
  });
  for (const warning of settings.warnings) logger.warn(warning);
  for (const note of settings.notes) logger.info(note);
  logger.debug(
    `settings: config ${settings.configPath ?? "(none)"}, storage ${settings.storage.driver} ${settings.storage.base}, ` +
      `credentials_file ${settings.options.credentialsFile ?? "(none)"}, encryption ${settings.encryptionKey ? "on" : "off"}`,
  );
  const weak = settings.encryptionKey === undefined ? undefined : weakPassphraseReason(settings.encryptionKey);
  if (weak)
    logger.warn(
      `${weak}: it looks like a human password; \`gemini-cli-proxy generate-key\` makes a strong one (then \`rekey\`)`,
    );
  const storage = await createCliStorage(settings.storage);
  return { settings, logger, masker, storage };
}

/** Prints a failure (masked) and exits 1; secrets never reach the terminal. */
export function exitWithError(error: unknown, masker: SecretMasker = createSecretMasker()): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`gemini-cli-proxy: ${masker.mask(message)}\n`);
  process.exit(1);
}

/** Exit once stdout has drained (piped output is asynchronous), or after a second at most. */
export function exitSoon(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 1000).unref();
  process.stdout.write("", () => process.exit(code));
}
