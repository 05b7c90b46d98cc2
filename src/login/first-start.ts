// First start with an empty pool: the Gemini CLI's own login (~/.gemini/oauth_creds.json) is the
// account most users already have. Offer it (a log line saying how), or import it when asked to
// (`run --import-gemini-cli`).
import { access } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { CredentialPool } from "../pool/pool.ts";
import { addAccount, describeOutcome } from "./account.ts";
import { importAccountFiles } from "./import.ts";

export interface FirstStartLogger {
  info: (...args: unknown[]) => void;
  warn: (...args: unknown[]) => void;
}

export function geminiCliCredsPath(home: string = homedir()): string {
  return join(home, ".gemini", "oauth_creds.json");
}

/**
 * `none`: the pool has accounts or there is no file; `offered`: logged how to import it;
 * `imported`: added (its state is logged); `failed`: the file could not be used (logged).
 */
export async function firstStartGeminiCliImport(
  pool: CredentialPool,
  options: { importNow: boolean; logger: FirstStartLogger; home?: string },
): Promise<"none" | "offered" | "imported" | "failed"> {
  await pool.ready();
  if (pool.list().length > 0) return "none";
  const path = geminiCliCredsPath(options.home);
  try {
    await access(path);
  } catch {
    return "none";
  }
  if (!options.importNow) {
    options.logger.info(
      `The pool is empty and ${path} exists (your Gemini CLI login): start with --import-gemini-cli, or run \`gemini-cli-proxy accounts import ${path}\`, to use it.`,
    );
    return "offered";
  }
  try {
    const lines: string[] = [];
    for (const input of await importAccountFiles([path], {}))
      lines.push(describeOutcome(await addAccount(pool, input)));
    options.logger.info(`imported ${path}: ${lines.join("; ")}`);
    return "imported";
  } catch (error) {
    options.logger.warn(`could not import ${path}: ${(error as Error).message}`);
    return "failed";
  }
}
