// The faithful fake of Google (OAuth + Code Assist + Gemini API) on 127.0.0.1, for every test suite.
// Built on node:http only so that it stays an independent oracle for the code under test.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { GEMINI_CLI_CLIENT_ID, GRANTED_SCOPES } from "./constants.ts";
import { createFaults } from "./faults.ts";
import { idToken } from "./oauth-info.ts";
import { createHandler, type ServerEnv } from "./server.ts";
import { addAccount, createState, requireAccount } from "./state.ts";
import { revokeGrant } from "./tokens.ts";
import { randomId } from "./ids.ts";
import type { FakeGoogle, FakeGoogleOptions, FakeRequestRecord, RequestFilter } from "./types.ts";

export {
  GEMINI_CLI_CLIENT_ID,
  GEMINI_CLI_CLIENT_SECRET,
  GEMINI_CLI_SCOPES,
  GRANTED_SCOPES,
  SKIP_SIGNATURE,
} from "./constants.ts";
export { MODELS } from "./models.ts";
export { answerWhen, quoteToolResult, toolRoundTrip, type ToolRoundTripOptions } from "./replies.ts";
export type * from "./types.ts";

function matches(r: FakeRequestRecord, f: RequestFilter): boolean {
  return (Object.keys(f) as (keyof RequestFilter)[]).every((k) => f[k] === undefined || r[k] === f[k]);
}

export async function createFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  const state = createState(options);
  const faults = createFaults();
  const env: ServerEnv = { state, faults, requests: [], replies: [], closing: false };
  const server = createServer(createHandler(env));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeGoogle = {
    url,
    endpoints: {
      codeAssist: url,
      geminiApi: url,
      oauthAuthorize: `${url}/o/oauth2/v2/auth`,
      oauthToken: `${url}/token`,
      userinfo: `${url}/oauth2/v2/userinfo`,
      tokeninfo: `${url}/tokeninfo`,
      revoke: `${url}/revoke`,
    },
    get requests() {
      return env.requests;
    },
    addAccount: (init) => addAccount(state, init),
    account: (email) => requireAccount(state, email),
    simpleCredential(email, opts = {}) {
      const a = requireAccount(state, email);
      const cred: Record<string, unknown> = {
        access_token: a.accessToken,
        refresh_token: a.refreshToken,
        token_type: "Bearer",
        expiry_date: a.accessTokenExpiresAt,
        scopes: [...GRANTED_SCOPES],
      };
      if (opts.withProject && a.project) cred.project_id = a.project;
      return cred;
    },
    oauthCreds(email) {
      const a = requireAccount(state, email);
      return {
        access_token: a.accessToken,
        refresh_token: a.refreshToken,
        scope: GRANTED_SCOPES.join(" "),
        token_type: "Bearer",
        id_token: idToken(email, GEMINI_CLI_CLIENT_ID),
        expiry_date: a.accessTokenExpiresAt,
      };
    },
    addApiKey(key = `AIzaFake${randomId(24)}`, opts = {}) {
      state.apiKeys.set(key, { models: opts.models });
      return key;
    },
    expireAccessToken(email) {
      const a = requireAccount(state, email);
      const now = Date.now() - 1;
      for (const t of state.accessTokens.values()) if (t.email === email && t.expiresAt > now) t.expiresAt = now;
      a.accessTokenExpiresAt = now;
    },
    revokeRefreshToken(email, opts = {}) {
      requireAccount(state, email);
      for (const rt of state.refreshTokens.values())
        if (rt.email === email) revokeGrant(state, rt, opts.keepAccessTokens);
    },
    markVerified(email) {
      const a = requireAccount(state, email);
      a.verified = true;
    },
    setConsent(next) {
      if (!state.accounts.has(next.email)) addAccount(state, { email: next.email });
      state.consent = { ...next };
    },
    inject: (rule) => faults.inject(rule),
    clearFaults: () => faults.clear(),
    script(reply) {
      env.replies.push(reply);
      return () => {
        const i = env.replies.indexOf(reply);
        if (i >= 0) env.replies.splice(i, 1);
      };
    },
    reset() {
      env.requests.length = 0;
      env.replies.length = 0;
      faults.clear();
    },
    count: (filter) => env.requests.filter((r) => matches(r, filter)).length,
    find: (filter) => env.requests.filter((r) => matches(r, filter)),
    last: (filter = {}) => [...env.requests].reverse().find((r) => matches(r, filter)),
    async waitFor(predicate, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`fake-google: waitFor timed out after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 2));
      }
    },
    setQuota(email, modelId, fraction) {
      requireAccount(state, email).quotaOverrides.set(modelId, fraction);
    },
    signatureIssued: (sig) => state.signatures.has(sig),
    async close() {
      env.closing = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
