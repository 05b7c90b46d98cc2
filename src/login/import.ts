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

function apiKeys(values: unknown[], where: string, lineNumbers?: number[]): CredentialInput[] {
  return values.map((value, index) => {
    const at = lineNumbers ? `line ${lineNumbers[index]}` : `entry ${index}`;
    if (typeof value !== "string" || !API_KEY_RE.test(value.trim()))
      throw new AccountFileError(`${where}: ${at} is not a Gemini API key`);
    return { apiKey: value.trim() };
  });
}

/** One JSON object → one pool input, or a clear error. */
function fromObject(item: Record<string, unknown>, where: string, index: number): CredentialInput {
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
    if (!API_KEY_RE.test(apiKey.trim()))
      throw new AccountFileError(`${where}: entry ${index} does not hold a valid API key`);
    return typeof item.label === "string" ? { apiKey: apiKey.trim(), label: item.label } : { apiKey: apiKey.trim() };
  }
  if (typeof item.type === "string" && item.type !== "authorized_user") {
    throw new AccountFileError(
      `${where}: entry ${index} is a "${item.type}" credential; only user OAuth credentials and API keys can be pooled`,
    );
  }
  const refresh = item.refresh_token ?? item.refreshToken;
  if (typeof refresh !== "string" || refresh.trim() === "")
    throw new AccountFileError(`${where}: entry ${index} has no refresh_token`);
  return item as CredentialInput;
}

function fromJson(text: string, where: string, passphrase: string | undefined): CredentialInput[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new AccountFileError(`${where} is not valid JSON`);
  }
  if (Array.isArray(data) && data.length > 0 && data.every((v) => typeof v === "string")) return apiKeys(data, where);
  // Objects (one or an array) are the predecessor's / Gemini CLI's shapes.
  const parsed = parseLegacyCredentials(text, passphrase);
  return parsed.credentials.map((item, index) => fromObject(item, where, index));
}

/** Parses one account file's text. Throws AccountFileError / LegacyFileError with a message safe to show. */
export function parseAccountFile(text: string, options: ParseAccountFileOptions = {}): CredentialInput[] {
  const where = options.name ?? "the account file";
  const body = text.replace(/^\uFEFF/, "").trim();
  if (body === "") return [];
  try {
    if (looksLikeFernetToken(body)) {
      const parsed = parseLegacyCredentials(body, options.passphrase);
      return parsed.credentials.map((item, index) => fromObject(item, where, index));
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
  return apiKeys(keys, where, lines);
}

/** Reads and parses each file (`~` expanded); all inputs in file order. The first bad file stops the import. */
export async function importAccountFiles(
  files: string[],
  options: { passphrase?: string },
): Promise<CredentialInput[]> {
  const out: CredentialInput[] = [];
  for (const file of files) {
    const path = expandHome(file);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      throw new AccountFileError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? "unknown error"}`, {
        cause: error,
      });
    }
    out.push(...parseAccountFile(text, { passphrase: options.passphrase, name: file }));
  }
  return out;
}
