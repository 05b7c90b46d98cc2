// `npm run play:h3`: h3 v2 with the proxy mounted under /gemini (and routed under /ai), offline.
import { serve } from "h3";
import { closeOnSignal, printTryIt, startOfflineGoogle } from "../_offline.ts";
import { createH3Host } from "./app.ts";

const offline = await startOfflineGoogle();
const { app, mounted, routed } = createH3Host(offline.options);
await Promise.all([mounted.ready(), routed.ready()]);
const port = Number(process.env.PORT ?? 8892);
const server = serve(app, { port, hostname: "127.0.0.1", silent: true });
await server.ready();
printTryIt(`http://127.0.0.1:${port}/gemini`, offline, `http://127.0.0.1:${port}/hello`);
console.log(`  the same API through proxy.handler: http://127.0.0.1:${port}/ai\n`);
closeOnSignal(async () => {
  await server.close(true);
  await Promise.all([mounted.close(), routed.close()]);
  await offline.fake.close();
});
