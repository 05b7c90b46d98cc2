// Shared by the playground servers: the fake Google on a loopback port, one account, and the proxy
// options that point at it, so every playground runs offline with one command.
import type { GeminiProxyOptions } from "../src/index.ts";
import { createFakeGoogle, type FakeGoogle } from "../test/fake-google/index.ts";

export interface OfflineGoogle {
  fake: FakeGoogle;
  key: string;
  admin: { username: string; password: string };
  options: GeminiProxyOptions;
}

export async function startOfflineGoogle(): Promise<OfflineGoogle> {
  const fake = await createFakeGoogle();
  fake.addAccount({ email: "dev@example.com", scenario: "onboarded" });
  const key = process.env.GEMINI_PROXY_AUTH_KEYS ?? "dev-key";
  const admin = { username: "admin", password: process.env.GEMINI_PROXY_ADMIN_PASSWORD ?? "admin-password" };
  return {
    fake,
    key,
    admin,
    options: {
      authKeys: [key],
      endpoints: fake.endpoints,
      credentials: [fake.simpleCredential("dev@example.com") as never],
      admin,
    },
  };
}

/** What to try once a playground listens (`mount` is where the proxy answers). */
export function printTryIt(mount: string, offline: OfflineGoogle, own: string): void {
  const { key, admin } = offline;
  console.log(`\n  proxy:     ${mount}   (client key: ${key})`);
  console.log(`  own route: ${own}\n`);
  console.log(
    `  curl -N ${mount}/v1/chat/completions -H 'authorization: Bearer ${key}' -H 'content-type: application/json' \\`,
  );
  console.log(`    -d '{"model":"gemini-2.5-flash","stream":true,"messages":[{"role":"user","content":"hello"}]}'`);
  console.log(`  curl ${mount}/v1beta/models/gemini-2.5-flash:generateContent -H 'x-goog-api-key: ${key}' \\`);
  console.log(`    -H 'content-type: application/json' -d '{"contents":[{"parts":[{"text":"hello"}]}]}'`);
  console.log(`  curl ${mount}/admin/credentials -u ${admin.username}:${admin.password}\n`);
}

/** Closes everything on Ctrl-C (proxy timers, connections, the fake). */
export function closeOnSignal(close: () => Promise<void>): void {
  const stop = () => void close().finally(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
