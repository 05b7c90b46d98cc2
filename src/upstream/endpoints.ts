// Every Google base URL is configurable: tests and the playground point them at the fake, users
// behind corporate gateways at their gateway.

/** Base URLs of the Google services the proxy calls (override for tests or gateways). */
export interface Endpoints {
  /** Code Assist base; calls go to `${codeAssist}/v1internal:method`. */
  codeAssist: string;
  /** Gemini API base; calls go to `${geminiApi}/v1beta/models/...`. */
  geminiApi: string;
  oauthAuthorize: string;
  oauthToken: string;
  userinfo: string;
  tokeninfo: string;
  revoke: string;
}

/** Google's real endpoints (the default of the `endpoints` option). */
export const GOOGLE_ENDPOINTS: Readonly<Endpoints> = Object.freeze({
  codeAssist: "https://cloudcode-pa.googleapis.com",
  geminiApi: "https://generativelanguage.googleapis.com",
  oauthAuthorize: "https://accounts.google.com/o/oauth2/v2/auth",
  oauthToken: "https://oauth2.googleapis.com/token",
  userinfo: "https://www.googleapis.com/oauth2/v2/userinfo",
  tokeninfo: "https://oauth2.googleapis.com/tokeninfo",
  revoke: "https://oauth2.googleapis.com/revoke",
});

export function resolveEndpoints(partial?: Partial<Endpoints>): Endpoints {
  const out = { ...GOOGLE_ENDPOINTS };
  for (const [key, value] of Object.entries(partial ?? {})) {
    if (typeof value === "string" && value) out[key as keyof Endpoints] = value.replace(/\/+$/, "");
  }
  return out;
}
