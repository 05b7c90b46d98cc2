// Keeps the predecessor's credentials file in step with the pool: read at start, written back in its
// exact format (Fernet-encrypted with the passphrase) whenever an OAuth credential is added, refreshed
// or removed, so a user can go back to the Python proxy at any time. Entries this proxy could not
// import are kept as they were, never dropped.
import { stat } from "node:fs/promises";
import type { Credential, OAuthCredential } from "../pool/credential.ts";
import type { CredentialStore } from "../pool/store.ts";
import { readLegacyCredentialsFile, writeLegacyCredentialsFile, type LegacyCredential } from "./credentials-file.ts";

export interface LegacySyncOptions {
  path: string;
  passphrase?: string;
  logger?: { info: (...args: unknown[]) => void; warn: (...args: unknown[]) => void };
}

export interface LegacySync {
  /** Read the file (a plain file is encrypted in place, after a `.bak` copy, when a passphrase is given). */
  load(): Promise<LegacyCredential[]>;
  /** A store that mirrors OAuth credential writes and removals into the file. */
  wrap(store: CredentialStore): CredentialStore;
  /** Add OAuth credentials the file does not hold yet (start-up reconciliation). */
  adopt(credentials: readonly Credential[]): Promise<void>;
  /** Resolves when every scheduled write has landed. */
  flush(): Promise<void>;
}

/** The scopes the predecessor writes when a credential has none. */
const LEGACY_SCOPES = [
  "https://www.googleapis.com/auth/cloud-platform",
  "https://www.googleapis.com/auth/userinfo.email",
  "https://www.googleapis.com/auth/userinfo.profile",
  "openid",
];

interface Entry {
  id?: string;
  data: LegacyCredential;
}

/** SimpleCredential from our record, keeping the original entry's key order and extra keys. */
export function toLegacyCredential(cred: OAuthCredential, base?: LegacyCredential): LegacyCredential {
  const update: LegacyCredential = {
    access_token: cred.accessToken ?? null,
    refresh_token: cred.refreshToken,
    token_type: "Bearer",
    expiry_date: cred.expiresAt ?? null,
    scopes: cred.scopes?.length ? cred.scopes : base?.scopes?.length ? base.scopes : LEGACY_SCOPES,
  };
  const project = cred.project ?? base?.project_id;
  if (project) update.project_id = project;
  return { ...base, ...update };
}

/** The file's entries with each refresh token once (the first entry holding it wins). */
function withoutRepeats(credentials: LegacyCredential[]): LegacyCredential[] {
  const seen = new Set<unknown>();
  return credentials.filter((c) => {
    const token = c.refresh_token;
    if (typeof token !== "string" || !token) return true;
    if (seen.has(token)) return false;
    seen.add(token);
    return true;
  });
}

export function createLegacySync(options: LegacySyncOptions): LegacySync {
  const { path, passphrase } = options;
  let entries: Entry[] = [];
  let singleAsObject = false;
  let loaded: Promise<LegacyCredential[]> | undefined;
  let lastJson = "";
  let backedUp = false;
  let chain: Promise<void> = Promise.resolve();
  let queued = false;
  // put/remove calls still on their way to the file (the pool does not await its writes).
  const pending = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    pending.add(work);
    const done = () => pending.delete(work);
    work.then(done, done);
    return work;
  };

  const snapshot = () => JSON.stringify(entries.map((e) => e.data));

  async function readFile(): Promise<LegacyCredential[]> {
    const content = await readLegacyCredentialsFile(path, passphrase);
    entries = withoutRepeats(content.credentials).map((data) => ({ data }));
    singleAsObject = content.format === "object";
    // A file that held an account twice (an earlier version's bug) is written back once, without it.
    lastJson = entries.length === content.credentials.length ? snapshot() : "";
    const exists = await stat(path).then(
      (s) => s.size > 0,
      () => false,
    );
    if (passphrase && exists && !content.encrypted) {
      await writeLegacyCredentialsFile(path, content.credentials, { passphrase, backup: true, singleAsObject });
      backedUp = true;
      options.logger?.warn(
        `encrypted ${path} in place; its plain-text copy is ${path}.bak: delete it once the proxy works`,
      );
    }
    if (!lastJson) schedule();
    return content.credentials;
  }

  const load = () => (loaded ??= readFile());

  async function writeNow(): Promise<void> {
    const json = snapshot();
    if (json === lastJson) return;
    await writeLegacyCredentialsFile(
      path,
      entries.map((e) => e.data),
      { passphrase, backup: !backedUp, singleAsObject },
    );
    backedUp = true;
    lastJson = json;
    options.logger?.info(`updated ${path} (${entries.length} credential(s)${passphrase ? ", encrypted" : ""})`);
  }

  function schedule(): void {
    if (queued) return;
    queued = true;
    chain = chain
      .then(async () => {
        queued = false;
        await writeNow();
      })
      .catch((error: unknown) => {
        options.logger?.warn(`could not update ${path}: ${(error as Error).message}`);
      });
  }

  function upsert(cred: OAuthCredential): void {
    const entry =
      entries.find((e) => e.id === cred.id) ??
      entries.find((e) => e.id === undefined && e.data.refresh_token === cred.refreshToken);
    if (entry) {
      entry.id = cred.id;
      entry.data = toLegacyCredential(cred, entry.data);
    } else {
      entries.push({ id: cred.id, data: toLegacyCredential(cred) });
    }
    schedule();
  }

  return {
    load,
    wrap: (store) => ({
      ...store,
      put: (credential) =>
        track(
          (async () => {
            await store.put(credential);
            if (credential.kind !== "oauth") return;
            await load();
            upsert(credential);
          })(),
        ),
      remove: (id) =>
        track(
          (async () => {
            const previous = await store.get(id).catch(() => null);
            await store.remove(id);
            await load();
            // Entries not yet matched to an id are found by token, unless another record still holds
            // that token (a duplicate merged away at start): then the file entry is that record's.
            const shared =
              previous?.kind === "oauth" &&
              (await store.list()).some((c) => c.kind === "oauth" && c.refreshToken === previous.refreshToken);
            const token = previous?.kind === "oauth" && !shared ? previous.refreshToken : undefined;
            const before = entries.length;
            entries = entries.filter(
              (e) => e.id !== id && !(e.id === undefined && token && e.data.refresh_token === token),
            );
            if (entries.length !== before) schedule();
          })(),
        ),
    }),
    async adopt(credentials) {
      await load();
      for (const cred of credentials) if (cred.kind === "oauth") upsert(cred);
    },
    async flush() {
      while (pending.size) await Promise.allSettled([...pending]);
      // A write scheduled while the previous one ran is chained after it.
      for (let last: Promise<void> | undefined; last !== chain;) await (last = chain);
    },
  };
}
