// Host: an h3 v2 app (playground/h3) served by srvx. Two ways in: `mount("/gemini", proxy.app)`
// (no basePath: h3 strips the prefix for the sub-app's middleware and re-prefixes its routes) and
// `proxy.handler` in a catch-all route of the host (the route sees the full URL: basePath is set).
import { H3, serve } from "h3";
import { createH3Host } from "../playground/h3/app.ts";
import { describe, expect, it } from "vitest";
import { createGeminiProxy } from "../src/index.ts";
import type { FakeGoogle } from "./fake-google/index.ts";
import { createHostFake, describeHostScenario, hostProxyOptions, type StartedHost } from "./_host-scenario.ts";

// One h3 app (playground/h3) with both proxies; each scenario row reaches it through one of them.
async function startH3Host(fake: FakeGoogle, mountPath: "/gemini" | "/ai"): Promise<StartedHost> {
  const { app, mounted, routed } = createH3Host(hostProxyOptions(fake));
  const server = serve(app, { port: 0, hostname: "127.0.0.1", silent: true, gracefulShutdown: false });
  await server.ready();
  const base = server.url!.replace(/\/$/, "");
  return {
    proxyUrl: `${base}${mountPath}`,
    ownRoute: { url: `${base}/hello`, expect: "hello from h3" },
    close: async () => {
      await server.close(true);
      await Promise.all([mounted.close(), routed.close()]);
    },
  };
}

describeHostScenario("host: h3 v2, mount('/gemini', proxy.app)", (fake) => startH3Host(fake, "/gemini"));
describeHostScenario("host: h3 v2, proxy.handler in a route (basePath /ai)", (fake) => startH3Host(fake, "/ai"));

describe("host: h3 v2 mount keeps client auth", () => {
  it("refuses API calls without a client key under the mount prefix", async () => {
    const fake = await createHostFake();
    const proxy = createGeminiProxy(hostProxyOptions(fake));
    const app = new H3().mount("/gemini", proxy.app);
    try {
      const openai = await app.fetch(new Request("http://host.test/gemini/v1/models"));
      expect(openai.status).toBe(401);
      const native = await app.fetch(new Request("http://host.test/gemini/v1beta/models"));
      expect(native.status).toBe(401);
      const withKey = await app.fetch(
        new Request("http://host.test/gemini/v1/models", { headers: { authorization: "Bearer test-client-key" } }),
      );
      expect(withKey.status).toBe(200);
    } finally {
      await proxy.close();
      await fake.close();
    }
  });
});
