// The predecessor's (gemini_cli_openaiapi_proxy) credentials file: a JSON array of SimpleCredential,
// optionally the whole file as one Fernet token. Read it and write it back so users can switch both ways.
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../storage/atomic-fs.ts";
import { deriveLegacyFernetKey, fernetDecrypt, fernetEncrypt, looksLikeFernetToken } from "./fernet.ts";

/** One credential as the predecessor stores it (SimpleCredential), also accepting a Gemini CLI oauth_creds.json object. */
export interface LegacyCredential {
  access_token?: string | null;
  refresh_token?: string | null;
  token_type?: string;
  expiry_date?: number | null;
  scopes?: string[];
  scope?: string;
  project_id?: string | null;
  id_token?: string;
  [k: string]: unknown;
}

export interface LegacyFileContent {
  credentials: LegacyCredential[];
  encrypted: boolean;
  format: "array" | "object";
}

/** Why the predecessor's credentials file could not be read. */
export type LegacyFileErrorCode = "encrypted_no_key" | "wrong_key" | "invalid_json" | "invalid_shape" | "io";

/** The predecessor's credentials file could not be read (see `code`); nothing was changed. */
export class LegacyFileError extends Error {
  override name = "LegacyFileError";
  constructor(
    readonly code: LegacyFileErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const EMPTY = (): LegacyFileContent => ({ credentials: [], encrypted: false, format: "array" });

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// `where` names the file in messages; messages never carry key, token or file contents.
function parseWithLabel(text: string, passphrase: string | undefined, where: string): LegacyFileContent {
  let body = text.replace(/^\uFEFF/, ""); // Python's json.loads(bytes) accepts a UTF-8 BOM too
  if (body.trim() === "") return EMPTY();
  let encrypted = false;
  if (looksLikeFernetToken(body)) {
    if (passphrase === undefined || passphrase === "") {
      throw new LegacyFileError(
        "encrypted_no_key",
        `${where} is encrypted: pass the encryption key with -ek/--encryption-key or GEMINI_PROXY_ENCRYPTION_KEY`,
      );
    }
    try {
      body = fernetDecrypt(deriveLegacyFernetKey(passphrase), body).toString("utf8");
    } catch (cause) {
      throw new LegacyFileError(
        "wrong_key",
        `the encryption key does not decrypt ${where} (wrong key, or the file is corrupted)`,
        { cause },
      );
    }
    encrypted = true;
    if (body.trim() === "") return { ...EMPTY(), encrypted };
  }
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    // The SyntaxError text quotes the input, so it is deliberately left out.
    const detail = encrypted
      ? "was decrypted but does not contain valid JSON"
      : "is neither valid JSON nor an encrypted file";
    throw new LegacyFileError("invalid_json", `${where} ${detail}`);
  }
  const format = Array.isArray(data) ? "array" : "object";
  const items = Array.isArray(data) ? data : [data];
  items.forEach((item, index) => {
    if (!isPlainObject(item)) {
      throw new LegacyFileError(
        "invalid_shape",
        `${where} must hold a JSON object or an array of objects (entry ${index} is ${item === null ? "null" : Array.isArray(item) ? "an array" : typeof item})`,
      );
    }
  });
  return { credentials: items as LegacyCredential[], encrypted, format };
}

/** Parse file text. Plain JSON array or single object; or one Fernet token (then `passphrase` is required). Empty/whitespace → no credentials. */
export function parseLegacyCredentials(text: string, passphrase?: string): LegacyFileContent {
  return parseWithLabel(text, passphrase, "the credentials file");
}

/** Python's float.__repr__ (shortest round-trip digits; exponent form below 1e-4 / from 1e16, 2-digit exponent). */
function pythonFloat(n: number): string {
  const [mantissa = "0", exp = "0"] = Math.abs(n).toExponential().split("e");
  const e = Number(exp);
  const digits = mantissa.replace(".", "");
  const sign = n < 0 ? "-" : "";
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  return `${sign}${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
}

function pythonNumber(n: number): string {
  if (!Number.isFinite(n)) return "null"; // Python would write NaN/Infinity; JSON.parse never yields them
  // JSON.parse cannot tell 5 from 5.0, so integral values are written as Python ints (the common case).
  if (Number.isInteger(n)) return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
  return pythonFloat(n);
}

/** json.dumps(value, indent=2, ensure_ascii=False): "," at line ends, ": " after keys, "[]"/"{}" when empty. */
function pythonJson(value: unknown, indent: string): string | undefined {
  if (value === null) return "null";
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") return pythonNumber(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value !== "object") return undefined; // undefined / functions are dropped, as JSON.stringify does
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJSON === "function") return pythonJson(toJSON.call(value), indent);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const parts = value.map((item) => inner + (pythonJson(item, inner) ?? "null"));
    return `[\n${parts.join(",\n")}\n${indent}]`;
  }
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const encoded = pythonJson(item, inner);
    if (encoded !== undefined) parts.push(`${inner}${JSON.stringify(key)}: ${encoded}`);
  }
  return parts.length === 0 ? "{}" : `{\n${parts.join(",\n")}\n${indent}}`;
}

/**
 * Serialize as the predecessor writes: Python json.dumps(list, indent=2, ensure_ascii=False), no trailing
 * newline; with `passphrase`, the whole UTF-8 JSON becomes one Fernet token under the derived key.
 */
export function serializeLegacyCredentials(
  credentials: LegacyCredential[],
  passphrase?: string,
  options: { now?: number; iv?: Uint8Array; singleAsObject?: boolean } = {},
): string {
  // The predecessor itself writes a lone credential as a bare object; both shapes read back everywhere.
  const value = options.singleAsObject && credentials.length === 1 ? credentials[0] : credentials;
  const json = pythonJson(value, "") ?? "[]";
  if (passphrase === undefined || passphrase === "") return json;
  return fernetEncrypt(deriveLegacyFernetKey(passphrase), json, options);
}

function ioError(action: string, path: string, cause: unknown): LegacyFileError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? "unknown error";
  return new LegacyFileError("io", `could not ${action} credentials file ${path} (${code})`, { cause });
}

/** Read and parse; a missing file means no credentials. */
export async function readLegacyCredentialsFile(path: string, passphrase?: string): Promise<LegacyFileContent> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") return EMPTY();
    throw ioError("read", path, cause);
  }
  return parseWithLabel(text, passphrase, `credentials file ${path}`);
}

/** Write atomically (mode 0600); with `backup`, first copy the previous content to `<path>.bak` (also 0600). */
export async function writeLegacyCredentialsFile(
  path: string,
  credentials: LegacyCredential[],
  options: { passphrase?: string; backup?: boolean; singleAsObject?: boolean } = {},
): Promise<void> {
  const data = serializeLegacyCredentials(credentials, options.passphrase, { singleAsObject: options.singleAsObject });
  try {
    if (options.backup) {
      const previous = await readFile(path).catch((cause: NodeJS.ErrnoException) => {
        if (cause.code === "ENOENT") return undefined;
        throw cause;
      });
      if (previous !== undefined) await writeFileAtomic(`${path}.bak`, previous);
    }
    await writeFileAtomic(path, data);
  } catch (cause) {
    throw ioError("write", path, cause);
  }
}

/** A reason to warn when the passphrase looks like a short human password, else undefined. */
export function weakPassphraseReason(passphrase: string): string | undefined {
  const chars = [...passphrase];
  if (chars.length === 0) return "the encryption key is empty";
  if (chars.length < 16) return "the encryption key is shorter than 16 characters";
  if (new Set(chars).size < 8) return "the encryption key uses fewer than 8 distinct characters";
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(passphrase)).length;
  if (classes < 2 && chars.length < 24)
    return "the encryption key uses a single kind of character and is shorter than 24";
  return undefined;
}
