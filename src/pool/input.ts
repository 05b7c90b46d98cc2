// What `pool.add()` accepts: the predecessor's SimpleCredential, a Gemini CLI oauth_creds.json
// object, our own camelCase shape, or `{ apiKey }`. Normalized here, purely.
import { InvalidCredentialError } from "./errors.ts";

/**
 * What `pool.add()` and the `credentials` option accept: the predecessor's credential shape,
 * Gemini CLI's `oauth_creds.json`, or `{ apiKey }`.
 */
export type CredentialInput =
  | {
      access_token?: string | null;
      refresh_token?: string | null;
      expiry_date?: number | null;
      token_type?: string;
      scopes?: string[];
      scope?: string;
      project_id?: string | null;
      email?: string;
      [key: string]: unknown;
    }
  | {
      refreshToken: string;
      accessToken?: string;
      expiresAt?: number;
      project?: string;
      email?: string;
      label?: string;
      weight?: number;
      priority?: number;
    }
  | { apiKey: string; label?: string; weight?: number; priority?: number };

/** Selection knobs any input may carry (see README, "How the pool decides"). */
export interface SelectionInput {
  /** Relative share in round-robin and least-used selection (> 0). Default 1. */
  weight?: number;
  /** Higher is tried first. Default 0. */
  priority?: number;
}

export type NormalizedInput = SelectionInput &
  (
    | {
        kind: "oauth";
        refreshToken: string;
        accessToken?: string;
        expiresAt?: number;
        project?: string;
        email?: string;
        scopes?: string[];
        label?: string;
      }
    | { kind: "api_key"; apiKey: string; label?: string }
  );

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

export function normalizeCredentialInput(input: unknown): NormalizedInput {
  if (!input || typeof input !== "object" || Array.isArray(input)) {
    throw new InvalidCredentialError("invalid_credential", "A credential must be a JSON object");
  }
  const o = input as Record<string, unknown>;
  const selection = selectionOf(o);
  const apiKey = str(o.apiKey) ?? str(o.api_key);
  if (apiKey) return { kind: "api_key", apiKey, label: str(o.label), ...selection };
  const refreshToken = str(o.refreshToken) ?? str(o.refresh_token);
  if (!refreshToken) throw new InvalidCredentialError("missing_refresh_token", "The credential has no refresh_token");
  const expires = o.expiresAt ?? o.expiry_date;
  const scopes = Array.isArray(o.scopes)
    ? o.scopes.filter((s): s is string => typeof s === "string")
    : str(o.scope)?.split(/\s+/);
  return {
    kind: "oauth",
    refreshToken,
    accessToken: str(o.accessToken) ?? str(o.access_token),
    expiresAt: typeof expires === "number" && Number.isFinite(expires) ? expires : undefined,
    project: str(o.project) ?? str(o.project_id),
    email: str(o.email),
    scopes,
    label: str(o.label),
    ...selection,
  };
}

function selectionOf(o: Record<string, unknown>): SelectionInput {
  const out: SelectionInput = {};
  if (o.weight !== undefined && o.weight !== null) {
    if (typeof o.weight !== "number" || !Number.isFinite(o.weight) || o.weight <= 0) {
      throw new InvalidCredentialError("invalid_weight", "weight must be a positive number");
    }
    out.weight = o.weight;
  }
  if (o.priority !== undefined && o.priority !== null) {
    if (typeof o.priority !== "number" || !Number.isFinite(o.priority))
      throw new InvalidCredentialError("invalid_priority", "priority must be a number");
    out.priority = o.priority;
  }
  return out;
}
