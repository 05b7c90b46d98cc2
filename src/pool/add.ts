// `pool.add()`: normalize the input, complete an OAuth account (token, email, project, tier) and
// merge with what the pool already knows, so re-adding never loses cooldowns, counters or an
// operator's `disabled`, and fixes the account problems a fresh setup no longer sees.
import { isUpstreamError } from "../gemini/errors.ts";
import { completeAccount, stateForError, type AccountServices } from "./accounts.ts";
import {
  credentialId,
  initialState,
  type Credential,
  type CredentialState,
  type OAuthCredential,
} from "./credential.ts";
import type { Entry } from "./entry.ts";
import { normalizeCredentialInput, type CredentialInput } from "./input.ts";

export interface Prepared {
  id: string;
  credential: Credential;
  state: CredentialState;
  existing?: Entry;
  /** Why the account cannot serve, when setup found a problem. */
  problem?: string;
  /** Google refused a new account's refresh token (its OAuth error code): not worth keeping. */
  refused?: string;
}

export async function prepareCredential(
  services: AccountServices,
  input: CredentialInput,
  find: (id: string) => Entry | undefined,
  now: number,
  byRefreshToken: (token: string) => Entry | undefined = () => undefined,
): Promise<Prepared> {
  const norm = normalizeCredentialInput(input);
  const selection = { weight: norm.weight, priority: norm.priority };
  if (norm.kind === "api_key") {
    const id = credentialId("api_key", norm.apiKey);
    const existing = find(id);
    const old = existing?.credential;
    const credential: Credential = {
      id,
      kind: "api_key",
      apiKey: norm.apiKey,
      label: norm.label ?? old?.label,
      weight: selection.weight ?? old?.weight,
      priority: selection.priority ?? old?.priority,
      createdAt: old?.createdAt ?? now,
    };
    // Google has not seen a new key yet: it is unverified until a request or a check succeeds.
    return { id, credential, state: existing?.state ?? { ...initialState(), verified: false }, existing };
  }
  // The refresh token names the account without asking Google: an account added while Google was
  // unreachable (no email to key it by) must still find itself.
  const known = byRefreshToken(norm.refreshToken);
  const knownCred = known?.credential.kind === "oauth" ? known.credential : undefined;
  const newerKnown = knownCred && (knownCred.expiresAt ?? 0) > (norm.expiresAt ?? 0);
  const draft: OAuthCredential = {
    ...norm,
    email: norm.email ?? knownCred?.email,
    project: norm.project ?? knownCred?.project,
    ...(newerKnown ? { accessToken: knownCred.accessToken, expiresAt: knownCred.expiresAt } : {}),
    id: "",
    createdAt: now,
  };
  const { credential: done, error } = await completeAccount(services, draft);
  const id = known?.credential.id ?? credentialId("oauth", done.email ?? done.refreshToken);
  const existing = known ?? find(id);
  const old = existing?.credential.kind === "oauth" ? existing.credential : undefined;
  const credential: OAuthCredential = {
    ...done,
    id,
    // What setup could not learn this time (Google unreachable) stays as it was.
    email: done.email ?? old?.email,
    project: done.project ?? old?.project,
    tier: done.tier ?? old?.tier,
    label: done.label ?? old?.label,
    weight: selection.weight ?? old?.weight,
    priority: selection.priority ?? old?.priority,
    createdAt: old?.createdAt ?? now,
  };
  const base = existing?.state ?? initialState();
  const disabled = base.status === "disabled";
  let state: CredentialState;
  if (error) {
    const change = stateForError(error);
    state = { ...base, ...change, status: disabled ? "disabled" : change.status, failedAt: now };
  } else {
    state = disabled ? base : { ...base, status: "active", reason: undefined, link: undefined, failures: 0 };
  }
  const refused =
    !existing && isUpstreamError(error) && error.kind === "auth_revoked"
      ? (error.reason ?? "invalid_grant")
      : undefined;
  return { id, credential, state, existing, problem: error ? state.reason : undefined, refused };
}
