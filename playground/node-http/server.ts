// `npm run play:node-http`: node:http with the proxy under /gemini, against the offline fake Google.
import { closeOnSignal, printTryIt, startOfflineGoogle } from "../_offline.ts";
import { createNodeHttpHost } from "./app.ts";

const offline = await startOfflineGoogle();
const { server, proxy } = createNodeHttpHost(offline.options);
await proxy.ready();
const port = Number(process.env.PORT ?? 8890);
server.listen(port, "127.0.0.1", () =>
  printTryIt(`http://127.0.0.1:${port}/gemini`, offline, `http://127.0.0.1:${port}/hello`),
);
closeOnSignal(async () => {
  server.closeAllConnections();
  server.close();
  await proxy.close();
  await offline.fake.close();
});
