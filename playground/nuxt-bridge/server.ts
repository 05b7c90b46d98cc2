// `npm run play:nuxt-bridge`: the Nuxt 4 / nitropack 2 route file on an h3 v1 server, offline.
import { createServer } from "node:http";
import { toNodeListener } from "h3-v1";
import { fakeGoogleEnv } from "../_env.ts";
import { closeOnSignal, printTryIt, startOfflineGoogle } from "../_offline.ts";
import { createNuxtBridgeHost } from "./app.ts";
import { closeGeminiProxy, useGeminiProxy } from "./server/utils/gemini.ts";

const offline = await startOfflineGoogle();
Object.assign(
  process.env,
  fakeGoogleEnv(offline.fake, { authKey: offline.key, email: "dev@example.com", admin: offline.admin }),
);
await useGeminiProxy().ready();
const server = createServer(toNodeListener(createNuxtBridgeHost()));
const port = Number(process.env.PORT ?? 8893);
server.listen(port, "127.0.0.1", () =>
  printTryIt(`http://127.0.0.1:${port}/gemini`, offline, `http://127.0.0.1:${port}/hello`),
);
closeOnSignal(async () => {
  server.closeAllConnections();
  server.close();
  await closeGeminiProxy();
  await offline.fake.close();
});
