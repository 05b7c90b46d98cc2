// Shared set-up of the pool suites: a proxy over several fake accounts whose order is fixed by
// priority (the first email is tried first), raw native-surface calls, and id lookups by email.
import { afterEach } from "vitest";
import { createGeminiProxy, type GeminiProxy, type GeminiProxyOptions } from "../src/index.ts";
import { authHeaders, proxyOptionsFor } from "./_setup.ts";
import type { FakeGoogle } from "./fake-google/index.ts";

export interface PoolHarness {
  proxy: GeminiProxy;
  /** Credential id of an account, by email. */
  idOf: (email: string) => string;
  generate: (model: string, init?: { stream?: boolean; signal?: AbortSignal; text?: string }) => Promise<Response>;
  close: () => Promise<void>;
}

export const body = (text = "hello") => JSON.stringify({ contents: [{ role: "user", parts: [{ text }] }] });

export function nativeRequest(
  proxy: GeminiProxy,
  model: string,
  init: { stream?: boolean; signal?: AbortSignal; text?: string } = {},
): Promise<Response> {
  const action = init.stream ? "streamGenerateContent?alt=sse" : "generateContent";
  return proxy.fetch(
    new Request(`http://proxy.test/v1beta/models/${model}:${action}`, {
      method: "POST",
      headers: authHeaders(),
      body: body(init.text),
      signal: init.signal,
    }),
  );
}

/**
 * A proxy over `emails` (accounts are created on the fake if missing). Priorities follow the list
 * order, so "the first account fails, the second serves" is deterministic; background health
 * checks are off unless `extra.pool.healthCheck` turns them on.
 */
export async function createPoolHarness(
  fake: FakeGoogle,
  emails: string[],
  extra: GeminiProxyOptions = {},
  priorities = true,
): Promise<PoolHarness> {
  for (const email of emails) {
    try {
      fake.account(email);
    } catch {
      fake.addAccount({ email });
    }
  }
  const credentials = emails.map((email, i) => ({
    ...fake.simpleCredential(email),
    ...(priorities ? { priority: emails.length - i } : {}),
  }));
  const proxy = createGeminiProxy(
    proxyOptionsFor(fake, {
      credentials,
      ...extra,
      pool: { healthCheck: { enabled: false }, ...extra.pool },
    }),
  );
  await proxy.ready();
  const idOf = (email: string) => {
    const found = proxy.pool.list().find((c) => c.email === email);
    if (!found) throw new Error(`no credential for ${email}`);
    return found.id;
  };
  return { proxy, idOf, generate: (model, init) => nativeRequest(proxy, model, init), close: () => proxy.close() };
}

export const stateOf = (h: PoolHarness, email: string) => h.proxy.pool.get(h.idOf(email))!.state;

export interface PoolAccounts {
  h: PoolHarness;
  /** The first and second emails ("" when there is none). */
  a: string;
  b: string;
  emails: string[];
}

/**
 * Fresh accounts for each test of a suite (faults are matched by email, so tests never see each
 * other's): emails are `<prefix><n>-a@example.com`, `…-b…`, and the harness is closed after each test.
 * `fake` is read when a test runs, so it may be started in a `beforeAll`.
 */
export function usePoolAccounts(
  fake: () => FakeGoogle,
  prefix: string,
  options: { priorities?: boolean } = {},
): (count: number, extra?: GeminiProxyOptions) => Promise<PoolAccounts> {
  let h: PoolHarness | undefined;
  let n = 0;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  return async (count, extra) => {
    n++;
    const emails = Array.from({ length: count }, (_, i) => `${prefix}${n}-${String.fromCharCode(97 + i)}@example.com`);
    h = await createPoolHarness(fake(), emails, extra, options.priorities ?? true);
    return { h, a: emails[0]!, b: emails[1] ?? "", emails };
  };
}
