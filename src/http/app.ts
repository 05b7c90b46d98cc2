// The h3 app: client auth, in-flight counter and start-up gate as middleware, then the surfaces.
// Routes are defined without a prefix; `basePath` mounts them under one.
import { H3, handleCors, onError } from "h3";
import type { AppContext } from "./context.ts";
import { extractClientKey } from "./client-auth.ts";
import { registerGeminiRoutes } from "./routes/gemini.ts";
import { registerHealthRoutes } from "./routes/health.ts";
import { surfaceError, surfaceOf } from "./surface-errors.ts";

/** Paths that never need a client key. */
const PUBLIC_PATHS = new Set(["/health", "/healthz"]);

export function createApp(ctx: AppContext): H3 {
  const base = ctx.options.basePath;
  const api = new H3({ silent: true });
  const localPath = (pathname: string) => (base && pathname.startsWith(base) ? pathname.slice(base.length) || "/" : pathname);

  api.use(
    onError((error, event) => {
      const path = localPath(event.url.pathname);
      const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
      if (status === 500) ctx.logger.error("unhandled error on", path, error.cause ?? error);
      return surfaceError(surfaceOf(path), status, status === 500 ? "Internal error" : error.message);
    }),
  );

  api.use(async (event, next) => {
    const path = localPath(event.url.pathname);
    const cors = handleCors(event, { origin: "*", methods: "*", allowHeaders: "*", exposeHeaders: "*", maxAge: "86400" });
    if (cors !== false) return cors;
    if (!PUBLIC_PATHS.has(path)) {
      const key = extractClientKey(event.req, event.url);
      if (!(await ctx.checkKey(key))) {
        const message = key ? "Invalid API key" : "Missing API key: send it as 'Authorization: Bearer KEY', 'x-goog-api-key: KEY' or '?key=KEY'";
        return surfaceError(surfaceOf(path), 401, message, "invalid_api_key");
      }
    }
    ctx.inflight.count++;
    try {
      await ctx.ready();
      return await next();
    } finally {
      ctx.inflight.count--;
    }
  });

  registerHealthRoutes(api, ctx);
  registerGeminiRoutes(api, ctx);
  api.all("/**", (event) => {
    const path = localPath(event.url.pathname);
    return surfaceError(surfaceOf(path), 404, `Unknown route: ${event.req.method} ${path}`, "not_found");
  });

  return base ? new H3({ silent: true }).mount(base, api) : api;
}
