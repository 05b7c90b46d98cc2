// Published facts about Google's side of the protocol (docs/upstream.md#oauth, docs/upstream.md#errors-and-quotas, docs/upstream.md#models).

export const GEMINI_CLI_CLIENT_ID = "681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com";
export const GEMINI_CLI_CLIENT_SECRET = "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";

export const SCOPE_CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
export const GEMINI_CLI_SCOPES = [
  SCOPE_CLOUD_PLATFORM,
  "https://www.googleapis.com/auth/userinfo.email",
  "https://www.googleapis.com/auth/userinfo.profile",
];
/** What Google grants for the CLI scopes: the three plus `openid`. */
export const GRANTED_SCOPES = [...GEMINI_CLI_SCOPES, "openid"];

/** Only redirect URI besides loopback that the Gemini CLI client accepts. */
export const AUTHCODE_REDIRECT_URI = "https://codeassist.google.com/authcode";

/** Dummy signature Google accepts in place of a real thought signature. */
export const SKIP_SIGNATURE = "skip_thought_signature_validator";

export const CODE_ASSIST_DOMAIN = "cloudcode-pa.googleapis.com";
export const GEMINI_API_DOMAIN = "generativelanguage.googleapis.com";
