// Host: Nitro v3 (nitro@3.0.0), built once with the node-server preset from playground/nitro and
// started as a real server pointed at the fake Google by env vars. Two ways in: the server entry
// (proxy under /gemini) and a catch-all route file (proxy under /api/gemini).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { fakeGoogleEnv } from "../playground/_env.ts";
import { buildNitroPlayground } from "../playground/nitro/build.ts";
import { startNitroServer } from "../playground/nitro/start.ts";
import { CLIENT_KEY } from "./_setup.ts";
import { ADMIN, describeHostScenario, HOST_ACCOUNT } from "./_host-scenario.ts";
import type { FakeGoogle } from "./fake-google/index.ts";

let outDir: string | undefined;
let built: Promise<string> | undefined;
const buildOnce = () =>
  (built ??= (async () => {
    outDir = await mkdtemp(join(tmpdir(), "gcp-nitro-"));
    return buildNitroPlayground(outDir);
  })());

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

async function startNitro(fake: FakeGoogle, mountPath: string) {
  const entry = await buildOnce();
  const server = await startNitroServer(entry, {
    ...fakeGoogleEnv(fake, { authKey: CLIENT_KEY, email: HOST_ACCOUNT, admin: ADMIN }),
    GEMINI_PROXY_SILENT: "1",
  });
  return {
    proxyUrl: `${server.url}${mountPath}`,
    ownRoute: { url: `${server.url}/hello`, expect: '"hello":"from nitro"' },
    close: server.stop,
  };
}

describeHostScenario("host: Nitro v3 server entry (/gemini)", (fake) => startNitro(fake, "/gemini"));
describeHostScenario("host: Nitro v3 catch-all route file (/api/gemini)", (fake) => startNitro(fake, "/api/gemini"));
