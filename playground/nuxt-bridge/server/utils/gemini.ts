// Nuxt 4 / nitropack 2: `server/utils/gemini.ts`. One proxy, created on first use. In Nuxt, pass
// `storage: useStorage("gemini")` (auto-imported; nitropack 2's storage is unstorage 1.x) and take
// the settings from `useRuntimeConfig()`; this playground runs without Nuxt, so it reads env vars
// and keeps the default in-memory storage.
// In your app: `from "gemini-cli-proxy"`; the playground uses the sources.
import { createGeminiProxy, type GeminiProxy } from "../../../../src/index.ts";
import { proxyOptionsFromEnv } from "../../../_env.ts";

let proxy: GeminiProxy | undefined;

export function useGeminiProxy(): GeminiProxy {
  // Route files see the full URL, so the proxy is told the route's prefix.
  return (proxy ??= createGeminiProxy({ ...proxyOptionsFromEnv(), basePath: "/gemini" }));
}

/** For a `server/plugins/` close hook: `nitroApp.hooks.hook("close", closeGeminiProxy)`. */
export async function closeGeminiProxy(): Promise<void> {
  await proxy?.close();
  proxy = undefined;
}
