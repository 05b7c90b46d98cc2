// Host: h3 v1 (what nitropack 2 and Nuxt 4 run) through the `gemini-cli-proxy/h3-v1` bridge.
// h3 v1's own fromWebHandler would lose client aborts; the scenario's abort test proves the bridge
// does not. A body-reading middleware runs first, as Nuxt server middleware sometimes does.
import { createApp, defineEventHandler, readBody, toNodeListener } from "h3-v1";
import { describe, expect, it } from "vitest";
import { toH3V1Handler } from "../src/h3-v1.ts";
import { createGeminiProxy } from "../src/index.ts";
import { CLIENT_KEY, listen } from "./_setup.ts";
import { ADMIN, createHostFake, describeHostScenario, HOST_ACCOUNT, hostProxyOptions } from "./_host-scenario.ts";
import { fakeGoogleEnv } from "../playground/_env.ts";
import { createNuxtBridgeHost } from "../playground/nuxt-bridge/app.ts";
import { closeGeminiProxy } from "../playground/nuxt-bridge/server/utils/gemini.ts";

// The playground's Nuxt-style route file on an h3 v1 app routed as nitropack 2 routes it. It is
// configured from env vars, as a deployed Nuxt app is; this file is its own process (vitest forks).
describeHostScenario(
  "host: h3 v1 / nitropack 2 route file with toH3V1Handler (playground/nuxt-bridge)",
  async (fake) => {
    Object.assign(process.env, fakeGoogleEnv(fake, { authKey: CLIENT_KEY, email: HOST_ACCOUNT, admin: ADMIN }), {
      GEMINI_PROXY_SILENT: "1",
    });
    const server = await listen(toNodeListener(createNuxtBridgeHost()));
    return {
      proxyUrl: `${server.url}/gemini`,
      ownRoute: { url: `${server.url}/hello`, expect: "hello from h3 v1" },
      close: async () => {
        await server.close();
        await closeGeminiProxy();
      },
    };
  },
);

describe("host: h3 v1 bridge edge cases", () => {
  it("forwards a body that a middleware already read with readBody()", async () => {
    const fake = await createHostFake();
    const proxy = createGeminiProxy(hostProxyOptions(fake, { basePath: "/api/gemini" }));
    const app = createApp();
    const seen: unknown[] = [];
    app.use(
      defineEventHandler(async (event) => {
        if (event.method === "POST") seen.push(await readBody(event));
      }),
    );
    app.use("/api/gemini", toH3V1Handler(proxy));
    const server = await listen(toNodeListener(app));
    try {
      const res = await fetch(`${server.url}/api/gemini/v1beta/models/gemini-2.5-flash:generateContent`, {
        method: "POST",
        headers: { "x-goog-api-key": CLIENT_KEY, "content-type": "application/json" },
        body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "read twice" }] }] }),
      });
      expect(res.status).toBe(200);
      expect(JSON.stringify(await res.json())).toContain("Echo from gemini-2.5-flash: read twice");
      expect(seen).toHaveLength(1);
    } finally {
      await server.close();
      await proxy.close();
      await fake.close();
    }
  });

  it("is marked as an h3 v1 event handler and keeps repeated headers", async () => {
    const handler = toH3V1Handler({
      fetch: async (request) => Response.json({ url: request.url, cookie: request.headers.get("x-multi") }),
    });
    expect(handler.__is_handler__).toBe(true);
    const app = createApp();
    app.use("/p", handler);
    const server = await listen(toNodeListener(app));
    try {
      const res = await fetch(`${server.url}/p/a?b=1`, {
        headers: [
          ["x-multi", "1"],
          ["x-multi", "2"],
        ],
      });
      expect(await res.json()).toEqual({ url: `${server.url}/p/a?b=1`, cookie: "1, 2" });
    } finally {
      await server.close();
    }
  });
});
