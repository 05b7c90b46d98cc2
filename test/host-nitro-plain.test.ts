// Host: a plain Nitro v3 app as a new user writes it — `npm i nitro gemini-cli-proxy`, a one-line
// server entry, no helper — built with nitro@3.0.0 (npm's `latest`) and with the newest 3.0.x
// release candidate (`nitro-next` alias). The app imports the built package (dist/), not src/.
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GoogleGenAI } from "@google/genai";
import { afterAll, expect, it } from "vitest";
import { fakeGoogleEnv } from "../playground/_env.ts";
import { startNitroServer } from "../playground/nitro/start.ts";
import { CLIENT_KEY } from "./_setup.ts";
import { ADMIN, createHostFake, describeHostScenario, HOST_ACCOUNT } from "./_host-scenario.ts";
import type { FakeGoogle } from "./fake-google/index.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

// The README's snippet, word for word apart from reading its settings from the environment.
const SERVER_ENTRY = `import { createGeminiProxy } from "gemini-cli-proxy";
const env = process.env;
const proxy = createGeminiProxy({
  basePath: "/gemini",
  authKeys: [env.GEMINI_PROXY_AUTH_KEYS],
  endpoints: JSON.parse(env.GEMINI_PROXY_ENDPOINTS),
  credentials: JSON.parse(env.GEMINI_PROXY_CREDENTIALS),
  admin: { username: env.GEMINI_PROXY_ADMIN_USERNAME, password: env.GEMINI_PROXY_ADMIN_PASSWORD },
  logger: false,
});
export default { fetch: (req) => (/^\\/gemini(\\/|$)/.test(new URL(req.url).pathname) ? proxy.fetch(req) : undefined) };
`;
const HELLO_ROUTE = `import { defineHandler } from "nitro/h3";
export default defineHandler(() => ({ hello: "from nitro" }));
`;

const dirs: string[] = [];
const builds = new Map<string, Promise<string>>();

/** Writes the app into a temp dir whose `nitro` is the given package, builds it, returns the entry. */
function buildApp(nitroPackage: string): Promise<string> {
  let built = builds.get(nitroPackage);
  if (!built) {
    built = (async () => {
      const dir = await mkdtemp(join(tmpdir(), "gcp-nitro-plain-"));
      dirs.push(dir);
      await mkdir(join(dir, "node_modules"), { recursive: true });
      await symlink(join(ROOT, "node_modules", nitroPackage), join(dir, "node_modules", "nitro"));
      await symlink(ROOT, join(dir, "node_modules", "gemini-cli-proxy"));
      await mkdir(join(dir, "routes"));
      await writeFile(join(dir, "server.mjs"), SERVER_ENTRY);
      await writeFile(join(dir, "routes", "hello.mjs"), HELLO_ROUTE);
      await writeFile(join(dir, "package.json"), JSON.stringify({ name: "plain-nitro-app", type: "module" }));
      // 3.0.0 exports its builder from the package root; the release candidates from `nitro/builder`.
      const builder = (await (nitroPackage === "nitro"
        ? import("nitro")
        : import("nitro-next/builder"))) as unknown as typeof import("nitro");
      const nitro = await builder.createNitro({
        rootDir: dir,
        dev: false,
        preset: "node-server",
        logLevel: 1,
        serverEntry: "./server.mjs",
        serverDir: "./", // the release candidates scan routes/ only under a server dir
        buildDir: join(dir, ".nitro"),
        output: { dir: join(dir, ".output") },
      } as never);
      await builder.prepare(nitro);
      await builder.copyPublicAssets(nitro);
      await builder.build(nitro);
      await nitro.close();
      return join(dir, ".output", "server", "index.mjs");
    })();
    builds.set(nitroPackage, built);
  }
  return built;
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

for (const [label, pkg] of [
  ["nitro@3.0.0", "nitro"],
  ["nitro 3.0.x release candidate", "nitro-next"],
] as const) {
  const start = async (fake: FakeGoogle) => {
    const server = await startNitroServer(
      await buildApp(pkg),
      fakeGoogleEnv(fake, { authKey: CLIENT_KEY, email: HOST_ACCOUNT, admin: ADMIN }),
    );
    return {
      proxyUrl: `${server.url}/gemini`,
      ownRoute: { url: `${server.url}/hello`, expect: '"hello":"from nitro"' },
      close: server.stop,
    };
  };
  describeHostScenario(`host: plain ${label} app, one-line server entry`, start);

  it(`${label}: @google/genai answers through the plain app`, async () => {
    const fake = await createHostFake();
    const app = await start(fake);
    try {
      const ai = new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: app.proxyUrl } });
      const reply = await ai.models.generateContent({ model: "gemini-2.5-flash", contents: "Say hi" });
      expect(reply.text).toBeTruthy();
    } finally {
      await app.close();
      await fake.close();
    }
  });
}
