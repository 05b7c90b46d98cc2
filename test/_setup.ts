// Test harness: every HTTP test runs twice, through `proxy.fetch` and through a real node:http
// server (as h3's own describeMatrix does), against the fake Google on a loopback port.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe } from "vitest";
import { createGeminiProxy, type GeminiProxy, type GeminiProxyOptions } from "../src/index.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

export const CLIENT_KEY = "test-client-key";

export interface Harness {
  fake: FakeGoogle;
  proxy: GeminiProxy;
  /** Base URL for clients (a real server, or a fake origin served by proxy.fetch). */
  url: string;
  /** fetch against the proxy, the way this matrix row reaches it. */
  request: (path: string, init?: RequestInit) => Promise<Response>;
  kind: "fetch" | "node";
}

export async function listen(
  handler: http.RequestListener,
): Promise<{ url: string; server: http.Server; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function proxyOptionsFor(fake: FakeGoogle, extra: GeminiProxyOptions = {}): GeminiProxyOptions {
  return {
    authKeys: [CLIENT_KEY],
    endpoints: fake.endpoints,
    logger: false,
    onboardingPollMs: 5,
    ...extra,
  };
}

export interface MatrixSetup {
  /** Called once per row with a fresh fake: seed accounts, return extra proxy options. */
  setup: (fake: FakeGoogle) => GeminiProxyOptions | Promise<GeminiProxyOptions>;
}

/** Runs `fn` once per way of reaching the proxy. */
export function describeMatrix(title: string, setup: MatrixSetup["setup"], fn: (h: Harness) => void): void {
  for (const kind of ["fetch", "node"] as const) {
    describe(`${title} [${kind}]`, () => {
      const h = { kind } as Harness;
      let closeServer: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        h.fake = await createFakeGoogle();
        const extra = await setup(h.fake);
        h.proxy = createGeminiProxy(proxyOptionsFor(h.fake, extra));
        await h.proxy.ready();
        if (kind === "node") {
          const server = await listen(h.proxy.node);
          closeServer = server.close;
          h.url = server.url;
          h.request = (path, init) => fetch(`${server.url}${path}`, init);
        } else {
          h.url = "http://proxy.test";
          h.request = (path, init) => h.proxy.fetch(new Request(`http://proxy.test${path}`, init));
        }
      });
      afterAll(async () => {
        await closeServer?.();
        await h.proxy?.close();
        await h.fake?.close();
      });
      fn(h);
    });
  }
}

export const authHeaders = (extra: Record<string, string> = {}): Record<string, string> => ({
  authorization: `Bearer ${CLIENT_KEY}`,
  "content-type": "application/json",
  ...extra,
});

export async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error("waitFor: condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
