// Host: Express 5 (playground/express), with `express.json()` mounted globally before the proxy
// (it drains the body of every JSON request) and the host's own routes alongside.
import type { AddressInfo } from "node:net";
import express from "express";
import { describe, expect, it } from "vitest";
import { createExpressHost } from "../playground/express/app.ts";
import { createGeminiProxy } from "../src/index.ts";
import { CLIENT_KEY, listen } from "./_setup.ts";
import { createHostFake, describeHostScenario, hostProxyOptions } from "./_host-scenario.ts";

describeHostScenario("host: Express 5 (playground/express: express.json() before the proxy)", async (fake) => {
  const { app, proxy } = createExpressHost(hostProxyOptions(fake));
  const server = await listen(app);
  return {
    proxyUrl: `${server.url}/gemini`,
    ownRoute: {
      url: `${server.url}/api/echo`,
      init: {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "express" }),
      },
      expect: '{"echoed":{"name":"express"}}',
    },
    close: async () => {
      await server.close();
      await proxy.close();
    },
  };
});

describe("host: Express 5 edge cases", () => {
  it("also works with basePath set to the mount path (Express's originalUrl is used)", async () => {
    const fake = await createHostFake();
    const proxy = createGeminiProxy(hostProxyOptions(fake, { basePath: "/gemini" }));
    const app = express();
    app.use(express.json());
    app.use("/gemini", proxy.node);
    const server = await listen(app);
    try {
      const res = await fetch(`${server.url}/gemini/v1beta/models/gemini-2.5-flash:generateContent`, {
        method: "POST",
        headers: { "x-goog-api-key": CLIENT_KEY, "content-type": "application/json" },
        body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "with base path" }] }] }),
      });
      expect(res.status).toBe(200);
      expect(JSON.stringify(await res.json())).toContain("Echo from gemini-2.5-flash: with base path");
    } finally {
      await server.close();
      await proxy.close();
      await fake.close();
    }
  });

  it("keeps the exact bytes when a raw body parser ran, and passes a still-unread body through", async () => {
    const fake = await createHostFake();
    const proxy = createGeminiProxy(hostProxyOptions(fake));
    const app = express();
    app.use("/raw", express.raw({ type: "*/*" }), proxy.node);
    app.use("/plain", proxy.node); // no parser at all
    const server = await listen(app);
    const port = (server.server.address() as AddressInfo).port;
    try {
      for (const prefix of ["raw", "plain"]) {
        const res = await fetch(`http://127.0.0.1:${port}/${prefix}/v1beta/models/gemini-2.5-flash:generateContent`, {
          method: "POST",
          headers: { "x-goog-api-key": CLIENT_KEY, "content-type": "application/json" },
          body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: `via ${prefix}` }] }] }),
        });
        expect(res.status).toBe(200);
        expect(JSON.stringify(await res.json())).toContain(`Echo from gemini-2.5-flash: via ${prefix}`);
      }
    } finally {
      await server.close();
      await proxy.close();
      await fake.close();
    }
  });
});
