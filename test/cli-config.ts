// config.json pieces the CLI suites share: the predecessor's template, and `endpoints` that point
// the proxy at the fake Google.
import type { FakeGoogle } from "./fake-google/index.ts";

/** The predecessor's config.template.json, verbatim in shape. */
export const PREDECESSOR_CONFIG: Readonly<Record<string, unknown>> = {
  server: { host: "0.0.0.0", port: 8888 },
  auth_keys: ["your-secret-key-1", "your-secret-key-2"],
  credentials_file: "credentials.json",
  project_id_map: { "user1@gmail.com": "your-gcp-project-id-1" },
  log_level: "INFO",
  request_timeouts: { connect: 60, read: 90 },
  usage_logging: { enabled: true, interval_sec: 300 },
  public_url: null,
  min_credentials: 1,
  admin_username: null,
  admin_password: null,
};

/** config.json's `endpoints`, every Google endpoint on the fake. */
export function fakeEndpoints(fake: FakeGoogle): Record<string, string> {
  return {
    code_assist: fake.endpoints.codeAssist,
    gemini_api: fake.endpoints.geminiApi,
    oauth_authorize: fake.endpoints.oauthAuthorize,
    oauth_token: fake.endpoints.oauthToken,
    userinfo: fake.endpoints.userinfo,
    tokeninfo: fake.endpoints.tokeninfo,
    revoke: fake.endpoints.revoke,
  };
}
