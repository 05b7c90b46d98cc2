// h3 v2 host: the proxy mounted as a sub-app under /gemini, and (the other way) a second proxy
// served by `proxy.handler` from a catch-all route under /ai, next to the app's own route.
import { H3 } from "h3";
import { createGeminiProxy, type GeminiProxy, type GeminiProxyOptions } from "../../src/index.ts";

export interface H3Host {
  app: H3;
  /** The proxy mounted with `app.mount("/gemini", proxy.app)`. */
  mounted: GeminiProxy;
  /** The proxy served by `proxy.handler` in the `/ai/**` route. */
  routed: GeminiProxy;
}

export function createH3Host(options: GeminiProxyOptions): H3Host {
  // mount() strips the prefix for the sub-app, so no basePath here...
  const mounted = createGeminiProxy(options);
  // ...but a route handler sees the full URL, so that proxy is told its prefix.
  const routed = createGeminiProxy({ ...options, basePath: "/ai" });
  const app = new H3();
  app.get("/hello", () => "hello from h3");
  app.mount("/gemini", mounted.app);
  app.all("/ai/**", routed.handler);
  return { app, mounted, routed };
}
