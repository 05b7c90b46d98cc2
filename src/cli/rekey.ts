// Re-encryption of everything secret under a new key: stored credentials, the generated client key,
// and the predecessor's credentials file. Everything is read (and so checked) with the old key first;
// a wrong or missing old key stops before anything is written.
import { stat } from "node:fs/promises";
import { createCredentialStore } from "../pool/store.ts";
import { readLegacyCredentialsFile, writeLegacyCredentialsFile } from "../legacy/credentials-file.ts";
import { createSecretBox, openSecret } from "../storage/secrets.ts";
import type { StorageLike } from "../storage/types.ts";
import { GENERATED_KEY } from "./auth-keys.ts";

export interface RekeyResult {
  credentials: number;
  generatedKey: boolean;
  file?: string;
}

export async function rekey(
  storage: StorageLike,
  options: { from?: string; to?: string; credentialsFile?: string },
): Promise<RekeyResult> {
  const { from, to, credentialsFile } = options;
  // 1. Read everything with the old key.
  const credentials = await createCredentialStore(storage, { encryptionKey: from, sealPlaintext: false }).list();
  const generated = await storage.getItem<{ key?: string; createdAt?: number }>(GENERATED_KEY);
  const generatedKey = generated?.key
    ? openSecret(generated.key, from ? createSecretBox(from) : undefined, `the generated client key (${GENERATED_KEY})`)
    : undefined;
  const fileExists = credentialsFile
    ? await stat(credentialsFile).then(
        (s) => s.size > 0,
        () => false,
      )
    : false;
  const file = fileExists ? await readLegacyCredentialsFile(credentialsFile!, from) : undefined;

  // 2. Write everything with the new key.
  const writer = createCredentialStore(storage, { encryptionKey: to });
  for (const credential of credentials) await writer.put(credential);
  if (generatedKey !== undefined) {
    await storage.setItem(GENERATED_KEY, {
      ...generated,
      key: to ? createSecretBox(to).seal(generatedKey) : generatedKey,
    });
  }
  if (file && credentialsFile) {
    await writeLegacyCredentialsFile(credentialsFile, file.credentials, {
      passphrase: to,
      backup: true,
      singleAsObject: file.format === "object",
    });
  }
  return {
    credentials: credentials.length,
    generatedKey: generatedKey !== undefined,
    file: file ? credentialsFile : undefined,
  };
}
