// What the server says at start so the operator does not have to guess: a credentials file that
// does not exist yet, client keys and an admin password that are easy to guess.
import { existsSync } from "node:fs";

/** Values from the README and common defaults: anyone trying keys tries these first. */
const EXAMPLES = new Set([
  "change-me",
  "changeme",
  "123456",
  "password",
  "admin",
  "secret",
  "test",
  "dev-key",
  "k1",
  "k2",
  "your-key",
]);
export const MIN_KEY_LENGTH = 16;
export const MIN_PASSWORD_LENGTH = 12;

/** Why a secret is weak (never the secret itself), or undefined. */
function weakness(value: string, min: number): string | undefined {
  if (EXAMPLES.has(value.toLowerCase())) return "is a well-known example value";
  if (value.length < min) return `is only ${value.length} characters (use at least ${min})`;
  return undefined;
}

export function weakSecretWarnings(secrets: { authKeys?: readonly string[]; adminPassword?: string }): string[] {
  const warnings: string[] = [];
  (secrets.authKeys ?? []).forEach((key, i) => {
    const why = weakness(key, MIN_KEY_LENGTH);
    if (why)
      warnings.push(
        `client key #${i + 1} of auth_keys ${why}: anyone who guesses it uses your accounts. Use a long random one, e.g. \`openssl rand -base64 24\`.`,
      );
  });
  const why = secrets.adminPassword === undefined ? undefined : weakness(secrets.adminPassword, MIN_PASSWORD_LENGTH);
  if (why) warnings.push(`the admin password ${why}: pick a longer, unguessable one.`);
  return warnings;
}

/** A credentials_file that does not exist yet: where accounts will go (or why they will not). */
export function credentialsFileNote(path: string | undefined, sync: boolean): string | undefined {
  if (!path || existsSync(path)) return undefined;
  return sync
    ? `credentials_file ${path} does not exist yet: it will be created when an account is added (login, the admin page, accounts import), in the predecessor's format.`
    : `credentials_file ${path} does not exist, and credentials_file_sync is false: accounts live in the storage only.`;
}
