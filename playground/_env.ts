// Proxy settings from env vars, for the playgrounds that are configured the way a deployed app is
// (Nitro, Nuxt): the same build runs against Google or, with these set, the offline fake.
import type { GeminiProxyOptions } from "../src/index.ts";
import type { FakeGoogle } from "../test/fake-google/index.ts";

const json = <T>(value: string | undefined): T | undefined => (value ? (JSON.parse(value) as T) : undefined);

/** Reads GEMINI_PROXY_AUTH_KEYS, _ADMIN_USERNAME/_PASSWORD and (for the fake) _ENDPOINTS, _CREDENTIALS. */
export function proxyOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): GeminiProxyOptions {
  return {
    authKeys: (env.GEMINI_PROXY_AUTH_KEYS ?? "").split(",").filter(Boolean),
    endpoints: json(env.GEMINI_PROXY_ENDPOINTS),
    credentials: json(env.GEMINI_PROXY_CREDENTIALS),
    admin: { username: env.GEMINI_PROXY_ADMIN_USERNAME, password: env.GEMINI_PROXY_ADMIN_PASSWORD },
    logger: env.GEMINI_PROXY_SILENT ? false : undefined,
  };
}

export interface FakeEnvOptions {
  authKey: string;
  email: string;
  admin?: { username: string; password: string };
}

/** The env vars that point `proxyOptionsFromEnv()` at a running fake Google. */
export function fakeGoogleEnv(fake: FakeGoogle, options: FakeEnvOptions): Record<string, string> {
  return {
    GEMINI_PROXY_AUTH_KEYS: options.authKey,
    GEMINI_PROXY_ENDPOINTS: JSON.stringify(fake.endpoints),
    GEMINI_PROXY_CREDENTIALS: JSON.stringify([fake.simpleCredential(options.email)]),
    ...(options.admin
      ? { GEMINI_PROXY_ADMIN_USERNAME: options.admin.username, GEMINI_PROXY_ADMIN_PASSWORD: options.admin.password }
      : {}),
  };
}
