// What `pool.add()` accepts: the predecessor's SimpleCredential, a Gemini CLI oauth_creds.json
// object, our own camelCase shape, or `{ apiKey }`. Normalized here, purely.
import { InvalidCredentialError } from "./errors.ts";

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
  | { refreshToken: string; accessToken?: string; expiresAt?: number; project?: string; email?: string; label?: string }
  | { apiKey: string; label?: string };

export type NormalizedInput =
  | { kind: "oauth"; refreshToken: string; accessToken?: string; expiresAt?: number; project?: string; email?: string; scopes?: string[]; label?: string }
  | { kind: "api_key"; apiKey: string; label?: string };

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

export function normalizeCredentialInput(input: unknown): NormalizedInput {
  if (!input || typeof input !== "object" || Array.isArray(input)) {
    throw new InvalidCredentialError("invalid_credential", "A credential must be a JSON object");
  }
  const o = input as Record<string, unknown>;
  const apiKey = str(o.apiKey) ?? str(o.api_key);
  if (apiKey) return { kind: "api_key", apiKey, label: str(o.label) };
  const refreshToken = str(o.refreshToken) ?? str(o.refresh_token);
  if (!refreshToken) throw new InvalidCredentialError("missing_refresh_token", "The credential has no refresh_token");
  const expires = o.expiresAt ?? o.expiry_date;
  const scopes = Array.isArray(o.scopes) ? o.scopes.filter((s): s is string => typeof s === "string") : str(o.scope)?.split(/\s+/);
  return {
    kind: "oauth",
    refreshToken,
    accessToken: str(o.accessToken) ?? str(o.access_token),
    expiresAt: typeof expires === "number" && Number.isFinite(expires) ? expires : undefined,
    project: str(o.project) ?? str(o.project_id),
    email: str(o.email),
    scopes,
    label: str(o.label),
  };
}
