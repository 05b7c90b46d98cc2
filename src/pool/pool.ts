// The credential pool: live state of every credential, selection for a model, and the reaction to
// each classified upstream error. Storage only persists what the pool decides.
import type { UpstreamError } from "../gemini/errors.ts";
import type { CredentialStore } from "../storage/credential-store.ts";
import type { UpstreamAuth } from "../upstream/transport.ts";
import { completeAccount, ensureFreshToken, stateForError, type AccountServices } from "./accounts.ts";
import { credentialId, initialState, USABLE_STATUSES, type Credential, type CredentialState, type OAuthCredential } from "./credential.ts";
import { NoCredentialError } from "./errors.ts";
import { normalizeCredentialInput, type CredentialInput } from "./input.ts";
import { applyError, applySuccess, cooldownFor } from "./reactions.ts";

interface Entry {
  credential: Credential;
  state: CredentialState;
  refreshing?: Promise<OAuthCredential>;
}

export interface CredentialView {
  id: string;
  kind: Credential["kind"];
  email?: string;
  project?: string;
  tier?: string;
  label?: string;
  expiresAt?: number;
  createdAt: number;
  state: CredentialState;
}

export interface Lease {
  id: string;
  kind: Credential["kind"];
  auth: UpstreamAuth;
  model: string;
}

export interface AddResult {
  id: string;
  created: boolean;
  credential: CredentialView;
}

export interface PoolLogger {
  warn: (...args: unknown[]) => void;
  info: (...args: unknown[]) => void;
  debug: (...args: unknown[]) => void;
}

export interface CredentialPool {
  ready(): Promise<void>;
  list(): CredentialView[];
  get(id: string): CredentialView | undefined;
  add(input: CredentialInput): Promise<AddResult>;
  remove(id: string): Promise<boolean>;
  disable(id: string): Promise<boolean>;
  enable(id: string): Promise<boolean>;
  clearCooldown(id: string, model?: string): Promise<boolean>;
  /** A credential for `model`, token fresh; `exclude` holds ids already tried in this request. */
  lease(model: string, exclude?: ReadonlySet<string>, kinds?: readonly Credential["kind"][]): Promise<Lease>;
  /** The outcome of a leased call. */
  report(lease: Lease, outcome: { ok: true } | { error: UpstreamError }): void;
  /** Force a token refresh now (after a 401). Returns false when the credential is dead. */
  refresh(id: string): Promise<boolean>;
  usableCount(): number;
}

export function viewOf(entry: Entry): CredentialView {
  const c = entry.credential;
  const base = { id: c.id, kind: c.kind, label: c.label, createdAt: c.createdAt, state: entry.state };
  return c.kind === "oauth" ? { ...base, email: c.email, project: c.project, tier: c.tier, expiresAt: c.expiresAt } : base;
}

export function createCredentialPool(store: CredentialStore, services: AccountServices, logger: PoolLogger): CredentialPool {
  const entries = new Map<string, Entry>();
  let cursor = 0;
  let loaded: Promise<void> | undefined;

  const save = (entry: Entry, withRecord = false) => {
    const writes = [store.putState(entry.credential.id, entry.state)];
    if (withRecord) writes.push(store.put(entry.credential));
    Promise.all(writes).catch((error) => logger.warn("could not persist credential", entry.credential.id, error));
  };

  async function load() {
    for (const credential of await store.list()) {
      const state = (await store.getState(credential.id)) ?? initialState();
      entries.set(credential.id, { credential, state: { ...initialState(), ...state } });
    }
  }

  function refreshEntry(entry: Entry, force: boolean): Promise<OAuthCredential> {
    const cred = entry.credential as OAuthCredential;
    entry.refreshing ??= (async () => {
      const previous = entry.state.status;
      try {
        const fresh = await ensureFreshToken(services, cred, force);
        entry.credential = fresh;
        if (fresh !== cred) {
          entry.state = { ...entry.state, lastRefreshedAt: Date.now(), status: previous === "expired" ? "active" : previous };
          save(entry, true);
        }
        return fresh;
      } catch (error) {
        const change = stateForError(error);
        entry.state = { ...entry.state, ...change, failedAt: Date.now() };
        save(entry);
        throw error;
      } finally {
        entry.refreshing = undefined;
      }
    })();
    return entry.refreshing;
  }

  function usable(entry: Entry, model: string, now: number): boolean {
    if (!USABLE_STATUSES.has(entry.state.status)) return false;
    const cd = cooldownFor(entry.state, model, now);
    return !cd;
  }

  const pool: CredentialPool = {
    ready: () => (loaded ??= load()),
    list: () => [...entries.values()].map(viewOf),
    get: (id) => {
      const entry = entries.get(id);
      return entry && viewOf(entry);
    },
    async add(input) {
      await pool.ready();
      const norm = normalizeCredentialInput(input);
      const now = Date.now();
      if (norm.kind === "api_key") {
        const id = credentialId("api_key", norm.apiKey);
        const existing = entries.get(id);
        const credential: Credential = { id, kind: "api_key", apiKey: norm.apiKey, label: norm.label ?? existing?.credential.label, createdAt: existing?.credential.createdAt ?? now };
        const entry: Entry = { credential, state: existing?.state ?? initialState() };
        entries.set(id, entry);
        save(entry, true);
        return { id, created: !existing, credential: viewOf(entry) };
      }
      const draft: OAuthCredential = { ...norm, id: "", createdAt: now };
      const { credential: done, error } = await completeAccount(services, draft);
      const id = credentialId("oauth", done.email ?? done.refreshToken);
      const existing = entries.get(id);
      const credential: OAuthCredential = { ...done, id, createdAt: existing?.credential.createdAt ?? now };
      const state: CredentialState = { ...(existing?.state ?? initialState()), status: "active", reason: undefined, link: undefined };
      if (error) Object.assign(state, stateForError(error), { failedAt: now });
      const entry: Entry = { credential, state };
      entries.set(id, entry);
      save(entry, true);
      if (error) logger.warn(`credential ${id}${credential.email ? ` (${credential.email})` : ""} is ${state.status}: ${state.reason}`);
      return { id, created: !existing, credential: viewOf(entry) };
    },
    async remove(id) {
      if (!entries.delete(id)) return false;
      await store.remove(id);
      return true;
    },
    async disable(id) {
      const entry = entries.get(id);
      if (!entry) return false;
      entry.state = { ...entry.state, status: "disabled", reason: "disabled by an operator" };
      save(entry);
      return true;
    },
    async enable(id) {
      const entry = entries.get(id);
      if (!entry) return false;
      entry.state = { ...entry.state, status: "active", reason: undefined, link: undefined, failures: 0 };
      save(entry);
      return true;
    },
    async clearCooldown(id, model) {
      const entry = entries.get(id);
      if (!entry) return false;
      const cooldowns = { ...entry.state.cooldowns };
      if (model) delete cooldowns[model];
      entry.state = { ...entry.state, cooldowns: model ? cooldowns : {} };
      save(entry);
      return true;
    },
    async lease(model, exclude, kinds) {
      await pool.ready();
      const now = Date.now();
      const all = [...entries.values()].filter((e) => !kinds || kinds.includes(e.credential.kind));
      const order = all.length ? [...all.slice(cursor % all.length), ...all.slice(0, cursor % all.length)] : [];
      cursor++;
      // Healthy credentials first, suspected ones after them.
      const candidates = order
        .filter((e) => !exclude?.has(e.credential.id) && usable(e, model, now))
        .sort((a, b) => Number(a.state.status === "suspected") - Number(b.state.status === "suspected"));
      for (const entry of candidates) {
        let cred = entry.credential;
        if (cred.kind === "oauth") {
          try {
            cred = await refreshEntry(entry, false);
          } catch {
            continue;
          }
          return { id: cred.id, kind: "oauth", model, auth: { kind: "oauth", accessToken: cred.accessToken!, project: cred.project } };
        }
        return { id: cred.id, kind: "api_key", model, auth: { kind: "api_key", apiKey: cred.apiKey } };
      }
      const soonest = all
        .filter((e) => USABLE_STATUSES.has(e.state.status) && !exclude?.has(e.credential.id))
        .map((e) => cooldownFor(e.state, model, now)?.until)
        .filter((u): u is number => u !== undefined)
        .sort((a, b) => a - b)[0];
      if (soonest !== undefined) {
        throw new NoCredentialError(model, `Every credential is cooling down for ${model}`, Math.max(0, soonest - now));
      }
      if (kinds && !all.length) {
        throw new NoCredentialError(model, `This call needs a Gemini API key in the pool (${kinds.join(", ")}); none is configured`);
      }
      throw new NoCredentialError(model, all.length ? `No usable credential for ${model}` : "No credentials configured: add an account or a Gemini API key");
    },
    report(lease, outcome) {
      const entry = entries.get(lease.id);
      if (!entry) return;
      entry.state = "ok" in outcome ? applySuccess(entry.state, Date.now()) : applyError(entry.state, outcome.error, lease.model, Date.now());
      save(entry);
    },
    async refresh(id) {
      const entry = entries.get(id);
      if (!entry || entry.credential.kind !== "oauth") return false;
      try {
        await refreshEntry(entry, true);
        return true;
      } catch {
        return false;
      }
    },
    usableCount: () => [...entries.values()].filter((e) => USABLE_STATUSES.has(e.state.status)).length,
  };
  return pool;
}
