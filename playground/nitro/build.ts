// Builds this playground with Nitro's node-server preset into `outputDir` (used by `run.ts` and
// the host test). Returns the server entry to start with `node`.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, copyPublicAssets, createNitro, prepare } from "nitro";

export const NITRO_ROOT: string = fileURLToPath(new URL(".", import.meta.url));

export async function buildNitroPlayground(outputDir: string): Promise<string> {
  const nitro = await createNitro({
    rootDir: NITRO_ROOT,
    dev: false,
    preset: "node-server",
    logLevel: 1,
    buildDir: join(outputDir, ".nitro"),
    output: { dir: join(outputDir, ".output") },
  });
  await prepare(nitro);
  await copyPublicAssets(nitro);
  await build(nitro);
  await nitro.close();
  return join(outputDir, ".output", "server", "index.mjs");
}
