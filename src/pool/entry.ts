// The pool's live record of one credential, and the secret-free view of it that leaves the pool.
import type { UpstreamAuth } from "../upstream/transport.ts";
import { maskApiKey, type Credential, type CredentialState, type OAuthCredential } from "./credential.ts";
import { settleStatus } from "./reactions.ts";
import type { RefreshBackoff } from "./refresh-backoff.ts";

export interface Entry {
  credential: Credential;
  state: CredentialState;
  /** The single in-flight token refresh of this credential, if any. */
  refreshing?: Promise<OAuthCredential>;
  /** The access token the last refresh brought, until a request succeeds with it. */
  unproven?: string;
  /** The pause before the next refresh after one that did not help (refresh-backoff.ts). */
  backoff?: RefreshBackoff;
  /** Leases handed out and not yet reported (least-used selection). */
  pending: number;
  /** What storage held when this instance last read or wrote it: the base of three-way merges (cluster.ts). */
  stored?: { credential: Credential; state: CredentialState };
}

/** A credential as the pool shows it (list, admin API): identity, kind and state, never its secrets. */
export interface CredentialView {
  id: string;
  kind: Credential["kind"];
  email?: string;
  project?: string;
  tier?: string;
  label?: string;
  weight: number;
  priority: number;
  expiresAt?: number;
  createdAt: number;
  /** The last 4 characters of an API key, to tell keys apart. */
  keyHint?: string;
  /** An API key's first and last four characters (`AIza…Xy12`). */
  keyLabel?: string;
  state: CredentialState;
}

/** A credential lent to one upstream attempt: its auth for the transport, returned to the pool with the outcome. */
export interface Lease {
  id: string;
  kind: Credential["kind"];
  auth: UpstreamAuth;
  model: string;
}

export function viewOf(entry: Entry, now = Date.now()): CredentialView {
  const c = entry.credential;
  const state = settleStatus(entry.state, now);
  const base = {
    id: c.id,
    kind: c.kind,
    label: c.label,
    weight: c.weight ?? 1,
    priority: c.priority ?? 0,
    createdAt: c.createdAt,
    state: structuredClone(state),
  };
  return c.kind === "oauth"
    ? { ...base, email: c.email, project: c.project, tier: c.tier, expiresAt: c.expiresAt }
    : { ...base, keyHint: `…${c.apiKey.slice(-4)}`, keyLabel: maskApiKey(c.apiKey) };
}

export function leaseOf(entry: Entry, model: string): Lease {
  const c = entry.credential;
  if (c.kind === "oauth")
    return { id: c.id, kind: "oauth", model, auth: { kind: "oauth", accessToken: c.accessToken!, project: c.project } };
  return { id: c.id, kind: "api_key", model, auth: { kind: "api_key", apiKey: c.apiKey } };
}
