// `npm run play:nitro`: builds this Nitro app (node-server preset) and starts it against the
// offline fake Google. The proxy answers under /gemini (server entry) and /api/gemini (route file).
import { fileURLToPath } from "node:url";
import { fakeGoogleEnv } from "../_env.ts";
import { closeOnSignal, printTryIt, startOfflineGoogle } from "../_offline.ts";
import { buildNitroPlayground } from "./build.ts";
import { startNitroServer } from "./start.ts";

const offline = await startOfflineGoogle();
const entry = await buildNitroPlayground(fileURLToPath(new URL(".", import.meta.url)));
const server = await startNitroServer(
  entry,
  fakeGoogleEnv(offline.fake, { authKey: offline.key, email: "dev@example.com", admin: offline.admin }),
  Number(process.env.PORT) || undefined,
);
printTryIt(`${server.url}/gemini`, offline, `${server.url}/hello`);
console.log(`  the same API through the route file: ${server.url}/api/gemini\n`);
server.child.stdout?.pipe(process.stdout);
closeOnSignal(async () => {
  await server.stop();
  await offline.fake.close();
});
