// The credential pool: live state of every credential, selection for a model, the reaction to each
// classified upstream error, and the background work that keeps credentials healthy. Storage only
// persists what the pool decides.
import type { CredentialStore } from "./store.ts";
import type { AccountServices } from "./accounts.ts";
import { prepareCredential } from "./add.ts";
import { createChecks } from "./checks.ts";
import { USABLE_STATUSES, initialState, type Credential, type CredentialState } from "./credential.ts";
import { leaseOf, viewOf, type Entry, type Lease } from "./entry.ts";
import { createPoolEvents } from "./events.ts";
import { applyCheck, chooseChecker, runChecker } from "./health.ts";
import { createStateKeeper } from "./persistence.ts";
import { createPoolLoops } from "./loops.ts";
import { applyError, applySuccess, changed, withoutCooldown } from "./reactions.ts";
import { createRefresher, tokenReady } from "./refresher.ts";
import { nextBackoff } from "./refresh-backoff.ts";
import { maskEmail } from "./mask.ts";
import { duplicateGroups, mergeDuplicates } from "./duplicates.ts";
import { createClusterSync, normalizeState } from "./cluster.ts";
import { randomUUID } from "node:crypto";
import { isUnavailable, type Coordinator } from "../storage/coordination/index.ts";
import { mapBounded } from "../storage/map-bounded.ts";
import { createSelector, isUsableFor, VersionedMap } from "./selection.ts";
import { noCredentialError } from "./unavailable.ts";
import { DEFAULT_POOL_SETTINGS, type PoolSettings } from "./settings.ts";
import type { CredentialPool, PoolLogger } from "./types.ts";

export type { CredentialView, Lease } from "./entry.ts";
export type { CheckResult, CheckerName } from "./health.ts";

/** How a pool joins the other instances on its storage (created by createGeminiProxy). */
export interface PoolCluster {
  coordinator: Coordinator;
  /** Subscribes to "the storage is back and queued writes landed". */
  recovered?: (fn: () => void) => () => void;
}
export type {
  AddOptions,
  AddResult,
  AttemptInfo,
  AttemptOutcome,
  CredentialPool,
  PoolApi,
  PoolLogger,
} from "./types.ts";

export function createCredentialPool(
  store: CredentialStore,
  services: AccountServices,
  logger: PoolLogger,
  settings: PoolSettings = DEFAULT_POOL_SETTINGS,
  cluster?: PoolCluster,
): CredentialPool {
  const entries = new VersionedMap<string, Entry>();
  const selector = createSelector(entries, settings.strategy);
  const events = createPoolEvents((error) => logger.warn("a pool event listener threw:", error));
  // Other instances on the same storage: merged writes, change notices, shared refresh (cluster.ts).
  const sync =
    cluster &&
    createClusterSync({
      coordinator: cluster.coordinator,
      store,
      entries,
      instanceId: randomUUID(),
      warn: logger.warn,
      recovered: cluster.recovered,
      busy: (id) => keeper.busy(id),
      adopt: (entry, state) => keeper.adopt(entry, state),
      dropped: (id) => void entries.delete(id),
      persist: (entry) => commit(entry, entry.state),
    });
  const keeper = createStateKeeper(store, events, logger.warn, sync);
  let loaded: Promise<void> | undefined;
  let isLoaded = false;
  let idle = () => true;
  let closed = false;

  // Changes of a removed entry (a refresh finishing late) must not resurrect it in storage.
  const commit = (entry: Entry, next: CredentialState, options?: { record?: boolean }) => {
    if (entries.get(entry.credential.id) === entry) keeper.commit(entry, next, options);
    else entry.state = next;
  };
  const refresher = createRefresher(services, commit, cluster && { coordinator: cluster.coordinator, store });

  async function load() {
    // Listen first, then read: a change another instance makes meanwhile is in the listing or in a notice.
    sync?.start();
    await sync?.listening();
    // Shared storage down at start: serve what start-up adds; the cluster sync reloads everything
    // stored once it is back (the same catch-up as after an outage).
    const credentials = await store.list().catch((error: unknown) => {
      if (isUnavailable(error)) return [];
      throw error;
    });
    const states = await mapBounded(credentials, (credential) => store.getState(credential.id));
    for (const [index, credential] of credentials.entries()) {
      const saved = states[index];
      const state: CredentialState = Object.assign(initialState(), saved, {
        cooldowns: Object.assign({}, saved?.cooldowns),
      });
      if (state.status === "refreshing") state.status = "expired"; // stopped mid-refresh
      entries.set(credential.id, {
        credential,
        state,
        pending: 0,
        stored: { credential, state: normalizeState(saved) },
      });
    }
    await mergeStoredDuplicates();
  }

  /** One account stored twice (same refresh token): keep one record with both histories. */
  async function mergeStoredDuplicates() {
    for (const group of duplicateGroups([...entries.values()])) {
      const merged = mergeDuplicates(group, Date.now());
      const id = merged.credential.id;
      for (const copy of group) if (copy.credential.id !== id) entries.delete(copy.credential.id);
      entries.set(id, Object.assign({}, merged, { pending: 0, stored: merged }));
      await store.put(merged.credential);
      await store.putState(id, merged.state);
      for (const copy of group) if (copy.credential.id !== id) await store.remove(copy.credential.id);
      const email = merged.credential.kind === "oauth" ? maskEmail(merged.credential.email) : null;
      logger.info(`merged ${group.length - 1} duplicate(s) of credential ${id}${email ? ` (${email})` : ""}`);
    }
  }

  /** Google refused the token a refresh just brought: pause this account's refreshes, and say so once. */
  function backOffRefresh(entry: Entry, next: CredentialState, now: number): CredentialState {
    entry.unproven = undefined;
    entry.backoff = nextBackoff(entry.backoff, now);
    const cred = entry.credential;
    const who = `credential ${cred.id}${cred.kind === "oauth" && cred.email ? ` (${maskEmail(cred.email)})` : ""}`;
    const again = new Date(entry.backoff.until).toISOString();
    logger.warn(
      `${who}: Google refused its token right after a refresh (401); no refresh and no requests for it until ${again}, then it tries again`,
    );
    return changed(next, { reason: `Google refused the refreshed token (401); next refresh at ${again}` });
  }

  const checks = createChecks(services, refresher, commit);
  const background = createPoolLoops({
    entries,
    settings,
    refresher,
    checks,
    commit,
    idle: () => idle(),
    warn: logger.warn,
  });

  const withEntry = async (id: string, change: (entry: Entry) => CredentialState): Promise<boolean> => {
    await pool.ready();
    // An operator acts on what storage holds (a cooldown set by another instance a moment ago
    // included), not on this instance's possibly older view.
    await sync?.reload(id);
    const entry = entries.get(id);
    if (!entry) return false;
    commit(entry, change(entry));
    return true;
  };

  /** Which entries a lease passes over: other kinds, ids already tried, and any `also` names. */
  const skipper =
    (exclude?: ReadonlySet<string>, kinds?: readonly Credential["kind"][], also?: (id: string) => boolean) =>
    (e: Entry) =>
      (kinds !== undefined && !kinds.includes(e.credential.kind)) ||
      exclude?.has(e.credential.id) === true ||
      also?.(e.credential.id) === true;
  /** The credential a lease tries first: the preferred one when it can serve, else the selector's. */
  const firstPick = (model: string, skip: (e: Entry) => boolean, prefer?: string): Entry | undefined => {
    const preferred = prefer ? entries.get(prefer) : undefined;
    return preferred && !skip(preferred) && isUsableFor(preferred.state, model, Date.now())
      ? preferred
      : selector.pick(model, Date.now(), skip);
  };

  /** A lease starting at `first`: tokens refreshed as needed, credentials whose refresh fails skipped. */
  async function leaseFrom(
    first: Entry | undefined,
    model: string,
    exclude?: ReadonlySet<string>,
    kinds?: readonly Credential["kind"][],
  ): Promise<Lease> {
    let failed: Set<string> | undefined; // made at the first failed refresh
    const skip = skipper(exclude, kinds, (id) => failed?.has(id) === true);
    for (let entry = first; entry; entry = selector.pick(model, Date.now(), skip)) {
      // A token that is fresh, with no refresh running, is used as is (no await on the hot path).
      if (entry.credential.kind === "oauth" && !tokenReady(entry)) {
        // Single-flight: concurrent requests on an expiring token share one refresh.
        const ok = await refresher.refresh(entry, entry.state.status === "expired").then(
          () => true,
          () => false,
        );
        if (!ok || entries.get(entry.credential.id) !== entry || !isUsableFor(entry.state, model, Date.now())) {
          (failed ??= new Set()).add(entry.credential.id);
          continue;
        }
      }
      entry.pending++;
      return leaseOf(entry, model);
    }
    const scope = [...entries.values()].filter((e) => !kinds || kinds.includes(e.credential.kind));
    throw noCredentialError(model, scope, entries.size, exclude, kinds, Date.now());
  }

  const pool: CredentialPool = {
    ready: () => (loaded ??= load().then(() => void (isLoaded = true))),
    list: () => [...entries.values()].map((e) => viewOf(e)),
    get: (id) => {
      const entry = entries.get(id);
      return entry && viewOf(entry);
    },
    async add(input, options = {}) {
      await pool.ready();
      const byRefreshToken = (token: string) =>
        [...entries.values()].find((e) => e.credential.kind === "oauth" && e.credential.refreshToken === token);
      const p = await prepareCredential(services, input, (id) => entries.get(id), Date.now(), byRefreshToken);
      if (options.verify) {
        const unkept = (refused: string) => ({
          id: p.id,
          created: false,
          credential: viewOf({ credential: p.credential, state: p.state, pending: 0 }),
          refused,
        });
        if (p.refused) return unkept(`refresh token refused by Google (${p.refused})`);
        if (p.credential.kind === "api_key" && p.state.verified === false) {
          const outcome = await runChecker(services, p.credential, "models");
          if (outcome.refused && !p.existing) return unkept(`key refused by Google (${outcome.refused})`);
          p.state = applyCheck(p.state, "models", outcome, Date.now());
        }
      }
      const entry = p.existing ?? { credential: p.credential, state: p.state, pending: 0 };
      entry.credential = p.credential;
      entries.set(p.id, entry);
      keeper.commit(entry, p.state, { record: true });
      if (p.problem)
        logger.warn(
          `credential ${p.id}${"email" in p.credential && p.credential.email ? ` (${p.credential.email})` : ""} is ${entry.state.status}: ${p.problem}`,
        );
      return { id: p.id, created: !p.existing, credential: viewOf(entry) };
    },
    async remove(id) {
      await pool.ready();
      if (!entries.delete(id)) return false;
      await keeper.forget(id);
      await sync?.removed(id);
      return true;
    },
    disable: (id) =>
      withEntry(id, (e) =>
        changed(e.state, { status: "disabled", reason: "disabled by an operator", link: undefined }),
      ),
    async setLabel(id, label) {
      await pool.ready();
      await sync?.reload(id);
      const entry = entries.get(id);
      if (!entry) return false;
      entry.credential = Object.assign({}, entry.credential, { label: label || undefined });
      commit(entry, entry.state, { record: true });
      return true;
    },
    async enable(id) {
      await pool.ready();
      await sync?.reload(id);
      const entry = entries.get(id);
      if (!entry) return false;
      // Google decides, not the operator: a full setup for accounts (a verification still due shows
      // up again), a models list for keys. A transient failure leaves it enabled but suspected.
      await checks.check(entry, entry.credential.kind === "api_key" ? "models" : "setup", { enable: true });
      return true;
    },
    clearCooldown: (id, model) => withEntry(id, (e) => withoutCooldown(e.state, model)),
    async check(id, options = {}) {
      await pool.ready();
      const entry = entries.get(id);
      return (
        entry && checks.check(entry, options.checker ?? chooseChecker(entry.credential, entry.state, Math.random()))
      );
    },
    async refreshQuota(id) {
      await pool.ready();
      const entry = entries.get(id);
      return entry && checks.refreshQuota(entry);
    },
    on: (event, listener) => events.on(event, listener),
    hasKind: (kind) => [...entries.values()].some((e) => e.credential.kind === kind),
    usableCount: (model) => {
      const now = Date.now();
      return [...entries.values()].filter((e) =>
        model ? isUsableFor(e.state, model, now) : USABLE_STATUSES.has(e.state.status),
      ).length;
    },
    acquire(model, exclude, kinds, prefer) {
      if (!isLoaded) return pool.lease(model, exclude, kinds, prefer);
      // The common case without a promise: the first pick needs no token refresh.
      const entry = firstPick(model, skipper(exclude, kinds), prefer);
      if (entry && (entry.credential.kind !== "oauth" || tokenReady(entry))) {
        entry.pending++;
        return leaseOf(entry, model);
      }
      return leaseFrom(entry, model, exclude, kinds); // that pick, not a second one (round-robin moves on each)
    },
    async lease(model, exclude, kinds, prefer) {
      if (!isLoaded) await pool.ready(); // once loaded, no await per request
      return leaseFrom(firstPick(model, skipper(exclude, kinds), prefer), model, exclude, kinds);
    },
    report(lease, outcome, info = {}) {
      const entry = entries.get(lease.id);
      if (!entry) return;
      if (!info.late) entry.pending = Math.max(0, entry.pending - 1);
      const now = Date.now();
      const error = "error" in outcome ? outcome.error : undefined;
      events.emit("request:attempt", {
        credentialId: lease.id,
        kind: lease.kind,
        model: lease.model,
        attempt: info.attempt ?? 1,
        outcome: "ok" in outcome ? "success" : error ? "error" : "aborted",
        errorKind: error?.kind,
        status: error?.status || undefined,
        durationMs: info.durationMs,
        requestId: info.requestId,
        surface: info.surface,
        at: now,
      });
      if ("aborted" in outcome) return; // the client left: nobody's fault
      if (!error) {
        entry.unproven = entry.backoff = undefined;
        return commit(entry, applySuccess(entry.state, lease.model, now));
      }
      const cred = entry.credential;
      // A 401 for a token already replaced by a refresh says nothing about the credential.
      if (
        error.kind === "auth_expired" &&
        cred.kind === "oauth" &&
        lease.auth.kind === "oauth" &&
        cred.accessToken !== lease.auth.accessToken
      )
        return;
      let next = applyError(entry.state, error, lease.model, now);
      if (error.kind === "auth_expired" && lease.auth.kind === "oauth" && entry.unproven === lease.auth.accessToken)
        next = backOffRefresh(entry, next, now);
      commit(
        entry,
        entry.state.status === "disabled" ? changed(next, { status: "disabled", reason: entry.state.reason }) : next,
      );
      if (error.kind === "quota_exhausted" && cred.kind === "oauth" && background.running)
        background.track(checks.refreshQuota(entry));
    },
    async refresh(id, lease) {
      const entry = entries.get(id);
      if (!entry || entry.credential.kind !== "oauth") return false;
      if (
        lease?.auth.kind === "oauth" &&
        entry.credential.accessToken !== lease.auth.accessToken &&
        USABLE_STATUSES.has(entry.state.status)
      )
        return true;
      return refresher.refresh(entry, true).then(
        () => true,
        () => false,
      );
    },
    unavailable(model, kinds) {
      const now = Date.now();
      const scope = [...entries.values()].filter((e) => !kinds || kinds.includes(e.credential.kind));
      return scope.some((e) => isUsableFor(e.state, model, now))
        ? undefined
        : noCredentialError(model, scope, entries.size, undefined, kinds, now);
    },
    start(options = {}) {
      if (closed) return;
      if (options.idle) idle = options.idle;
      background.start();
    },
    async stop() {
      closed = true;
      await background.stop();
      await keeper.flush();
      sync?.stop();
    },
  };
  return pool;
}
