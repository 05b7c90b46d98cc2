// Client keys for the standalone server. There is no built-in "123456": without configured keys a
// random one is generated on first start, stored (sealed when an encryption key is given), printed once.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { createSecretBox, openSecret } from "../storage/secrets.ts";
import type { CliContext } from "./context.ts";

export const GENERATED_KEY = "keys:generated";

export async function ensureAuthKeys(ctx: CliContext): Promise<string[]> {
  const { settings, storage, logger } = ctx;
  const configured = settings.options.authKeys;
  if (Array.isArray(configured) && configured.length) return [...configured];
  const box = settings.encryptionKey ? createSecretBox(settings.encryptionKey) : undefined;
  const where = generatedKeyLocation(settings);
  const stored = await storage.getItem<{ key?: string }>(GENERATED_KEY).catch((error: unknown) => {
    throw new Error(
      `no auth_keys configured, and the generated client key cannot be read from ${where} (${(error as Error).message}). Set auth_keys (or GEMINI_PROXY_AUTH_KEYS), or make the storage reachable.`,
    );
  });
  const manage = `show it again: ${box ? "it is stored encrypted (-ek), read it where you saved it" : `cat ${where}`}; rotate it: delete that ${settings.storage.driver === "redis" ? "key" : "file"} and restart (a new one is printed once); or choose your own with auth_keys / GEMINI_PROXY_AUTH_KEYS`;
  if (stored?.key) {
    const key = openSecret(stored.key, box, `the generated client key (${GENERATED_KEY})`);
    logger.info(
      `no auth_keys configured: using the client key generated on first start, stored in ${where} (${manage})`,
    );
    return [key];
  }
  const key = `gcp-${randomBytes(24).toString("base64url")}`;
  await storage.setItem(GENERATED_KEY, { key: box ? box.seal(key) : key, createdAt: Date.now() });
  logger.warn(`no auth_keys configured: generated a client key, shown once, stored in ${where} (${manage})`);
  // Written past the masking logger on purpose: this is the one time the user sees it.
  if (settings.logFormat === "json") {
    process.stdout.write(
      `${JSON.stringify({ time: new Date().toISOString(), level: "warn", tag: "auth", msg: "generated client key", key })}\n`,
    );
  } else {
    process.stdout.write(`\n    ${key}\n\n`);
  }
  return [key];
}

/** Where the generated key lives, as an operator would look for it. */
export function generatedKeyLocation(settings: CliContext["settings"]): string {
  const { driver, base } = settings.storage;
  if (driver === "redis") return `the redis key ${base ? `${base}:` : ""}${GENERATED_KEY}`;
  if (driver === "memory") return "memory (storage.driver memory: a new key on every start)";
  return join(base, ...GENERATED_KEY.split(":"));
}
