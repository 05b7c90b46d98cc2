// One proxy per mount path, created on first use (no work at import time), with Nitro's storage.
// Settings come from env vars (see playground/_env.ts), as a deployed app would take them.
// In your app: `from "gemini-cli-proxy"`; the playground uses the sources.
import { createGeminiProxy, type GeminiProxy } from "../../../src/index.ts";
import { useStorage } from "nitro/runtime";
import { proxyOptionsFromEnv } from "../../_env.ts";

const proxies = new Map<string, GeminiProxy>();

export function useGeminiProxy(basePath: string): GeminiProxy {
  let proxy = proxies.get(basePath);
  if (!proxy) {
    // Each mount gets its own storage namespace: two pools must not share state keys.
    const storage = useStorage(`gemini${basePath.replace(/\//g, ":")}`);
    proxy = createGeminiProxy({ ...proxyOptionsFromEnv(), basePath, storage });
    proxies.set(basePath, proxy);
  }
  return proxy;
}

/** Stops every proxy's timers and connections (called from the Nitro close hook). */
export async function closeGeminiProxies(): Promise<void> {
  await Promise.all([...proxies.values()].map((proxy) => proxy.close()));
  proxies.clear();
}
