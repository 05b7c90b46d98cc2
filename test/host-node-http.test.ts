// Host: node:http (playground/node-http): `proxy.node` under /gemini next to the app's own route.
import type { AddressInfo } from "node:net";
import { createNodeHttpHost } from "../playground/node-http/app.ts";
import { describeHostScenario, hostProxyOptions } from "./_host-scenario.ts";

describeHostScenario("host: node:http", async (fake) => {
  const { server, proxy } = createNodeHttpHost(hostProxyOptions(fake));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    proxyUrl: `${base}/gemini`,
    ownRoute: { url: `${base}/hello`, expect: "hello from node:http" },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await proxy.close();
    },
  };
});
