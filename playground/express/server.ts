// `npm run play:express`: Express 5 with the proxy under /gemini, against the offline fake Google.
import { closeOnSignal, printTryIt, startOfflineGoogle } from "../_offline.ts";
import { createExpressHost } from "./app.ts";

const offline = await startOfflineGoogle();
const { app, proxy } = createExpressHost(offline.options);
await proxy.ready();
const port = Number(process.env.PORT ?? 8891);
const server = app.listen(port, "127.0.0.1", () =>
  printTryIt(`http://127.0.0.1:${port}/gemini`, offline, `http://127.0.0.1:${port}/hello`),
);
closeOnSignal(async () => {
  server.closeAllConnections();
  server.close();
  await proxy.close();
  await offline.fake.close();
});
