// Account files users already have, turned into pool inputs: the Gemini CLI's
// ~/.gemini/oauth_creds.json (or its keychain-style JSON), the predecessor's credentials.json
// (plain or Fernet-encrypted), and lists of Gemini API keys (one per line, or a JSON array of
// strings). Errors name the file and the entry, never its content.
import { readFile } from "node:fs/promises";
import type { CredentialInput } from "../pool/input.ts";
import { expandHome } from "../storage/home-path.ts";
import { looksLikeFernetToken } from "../legacy/fernet.ts";
import { LegacyFileError, parseLegacyCredentials } from "../legacy/credentials-file.ts";

export interface ParseAccountFileOptions {
  /** Passphrase of a predecessor's encrypted credentials.json. */
  passphrase?: string;
  /** Names the file in error messages (a path or an upload's name). */
  name?: string;
}

export class AccountFileError extends Error {
  override name = "AccountFileError";
}

// Google API keys are `AIza` + 35 URL-safe characters; other gateways issue other shapes, so only
// the character set and a sane length are enforced.
const API_KEY_RE = /^[\w.~-]{16,256}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** One entry of an account file: where it is, and the input or why it cannot be one. */
export interface AccountEntry {
  /** `line 3` (key lists) or `entry 0` (JSON). */
  at: string;
  input?: CredentialInput;
  /** Why this entry was skipped (safe to show: never the entry's content). */
  error?: string;
}

function apiKeyEntries(values: unknown[], lineNumbers?: number[]): AccountEntry[] {
  return values.map((value, index) => {
    const at = lineNumbers ? `line ${lineNumbers[index]}` : `entry ${index}`;
    if (typeof value !== "string" || !API_KEY_RE.test(value.trim())) return { at, error: "is not a Gemini API key" };
    return { at, input: { apiKey: value.trim() } };
  });
}

/** One JSON object → one entry. */
function objectEntry(item: Record<string, unknown>, index: number): AccountEntry {
  const at = `entry ${index}`;
  try {
    return { at, input: fromObject(item) };
  } catch (error) {
    if (error instanceof AccountFileError) return { at, error: error.message };
    throw error;
  }
}

/** One JSON object → one pool input, or a clear error. */
function fromObject(item: Record<string, unknown>): CredentialInput {
  // The Gemini CLI's encrypted-storage form: {serverName, token: {accessToken, refreshToken, expiresAt}}.
  const token = item.token;
  if (isObject(token) && typeof token.refreshToken === "string") {
    return {
      refreshToken: token.refreshToken,
      accessToken: typeof token.accessToken === "string" ? token.accessToken : undefined,
      expiresAt: typeof token.expiresAt === "number" ? token.expiresAt : undefined,
    };
  }
  const apiKey = item.apiKey ?? item.api_key;
  if (typeof apiKey === "string") {
    if (!API_KEY_RE.test(apiKey.trim())) throw new AccountFileError("does not hold a valid API key");
    return typeof item.label === "string" ? { apiKey: apiKey.trim(), label: item.label } : { apiKey: apiKey.trim() };
  }
  if (typeof item.type === "string" && item.type !== "authorized_user") {
    throw new AccountFileError(
      `is a "${item.type}" credential; only user OAuth credentials and API keys can be pooled`,
    );
  }
  const refresh = item.refresh_token ?? item.refreshToken;
  if (typeof refresh !== "string" || refresh.trim() === "") throw new AccountFileError("has no refresh_token");
  return item as CredentialInput;
}

function fromJson(text: string, where: string, passphrase: string | undefined): AccountEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new AccountFileError(`${where} is not valid JSON`);
  }
  if (Array.isArray(data) && data.length > 0 && data.every((v) => typeof v === "string")) return apiKeyEntries(data);
  // Objects (one or an array) are the predecessor's / Gemini CLI's shapes.
  const parsed = parseLegacyCredentials(text, passphrase);
  return parsed.credentials.map((item, index) => objectEntry(item, index));
}

/**
 * Parses one account file's text into entries; a bad entry is reported, not fatal. Throws
 * AccountFileError only when the file as a whole cannot be read (not JSON, encrypted without key).
 */
export function parseAccountEntries(text: string, options: ParseAccountFileOptions = {}): AccountEntry[] {
  const where = options.name ?? "the account file";
  const body = text.replace(/^\uFEFF/, "").trim();
  if (body === "") return [];
  try {
    if (looksLikeFernetToken(body)) {
      const parsed = parseLegacyCredentials(body, options.passphrase);
      return parsed.credentials.map((item, index) => objectEntry(item, index));
    }
    if (body.startsWith("{") || body.startsWith("[")) return fromJson(body, where, options.passphrase);
  } catch (error) {
    if (error instanceof LegacyFileError)
      throw new AccountFileError(error.message.replace("the credentials file", where), { cause: error });
    throw error;
  }
  // Otherwise: API keys, one per line; blank lines and # comments are skipped.
  const keys: string[] = [];
  const lines: number[] = [];
  body.split(/\r?\n/).forEach((line, index) => {
    const value = line.trim();
    if (value === "" || value.startsWith("#")) return;
    keys.push(value);
    lines.push(index + 1);
  });
  return apiKeyEntries(keys, lines);
}

/** Parses one account file's text; the first bad entry fails the whole file (start-up imports). */
export function parseAccountFile(text: string, options: ParseAccountFileOptions = {}): CredentialInput[] {
  const where = options.name ?? "the account file";
  return parseAccountEntries(text, options).map((entry) => {
    if (entry.error) throw new AccountFileError(`${where}: ${entry.at} ${entry.error}`);
    return entry.input!;
  });
}

/** Reads one file (`~` expanded); an unreadable file is an AccountFileError naming it. */
export async function readAccountFile(file: string): Promise<string> {
  try {
    return await readFile(expandHome(file), "utf8");
  } catch (error) {
    throw new AccountFileError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? "unknown error"}`, {
      cause: error,
    });
  }
}

/** Reads and parses each file; all inputs in file order. The first bad file stops the import. */
export async function importAccountFiles(
  files: string[],
  options: { passphrase?: string },
): Promise<CredentialInput[]> {
  const out: CredentialInput[] = [];
  for (const file of files)
    out.push(...parseAccountFile(await readAccountFile(file), { passphrase: options.passphrase, name: file }));
  return out;
}
