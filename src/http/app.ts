// The h3 app: client auth, in-flight counter and start-up gate as middleware, then the surfaces.
// Routes are defined without a prefix; `basePath` mounts them under one.
import { H3, handleCors, isPreflightRequest, onError, type H3Event } from "h3";
import { createRequestRecord } from "../usage/record.ts";
import type { AppContext } from "./context.ts";
import { extractClientKey } from "./client-auth.ts";
import { admitClient, filterModelList } from "./key-limits.ts";
import { grantRequest } from "../keys/access.ts";
import { registerAdminRoutes } from "../admin/routes.ts";
import { registerOAuthRoutes } from "../login/routes.ts";
import { registerGeminiRoutes } from "../surfaces/gemini/routes.ts";
import { registerOpenAIRoutes } from "../surfaces/openai/routes.ts";
import { registerAnthropicRoutes } from "../surfaces/anthropic/routes.ts";
import { registerResponsesRoutes } from "../surfaces/responses/routes.ts";
import { registerEmbeddingsRoutes } from "../surfaces/embeddings/routes.ts";
import { registerUiRoutes } from "../admin/page-routes.ts";
import { registerHealthRoutes } from "./health.ts";
import { surfaceError, surfaceOf } from "./surface-errors.ts";

/**
 * CORS headers on the Response itself: headers staged on `event.res` would make h3 rebuild the
 * response around its body as a web stream, the slow way to node.
 */
function allowCors(event: H3Event, response: unknown): void {
  const headers = response instanceof Response ? response.headers : event.res.headers;
  headers.set("access-control-allow-origin", "*");
  headers.set("access-control-expose-headers", "*");
}

export function createApp(ctx: AppContext): H3 {
  const base = ctx.options.basePath;
  const api = new H3({ silent: true });
  const localPath = (pathname: string) =>
    base && pathname.startsWith(base) ? pathname.slice(base.length) || "/" : pathname;

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
    const surface = surfaceOf(path);
    // Browser clients (web UIs) call the API surfaces cross-origin; admin routes stay same-origin.
    if (surface !== "other" && isPreflightRequest(event)) {
      const cors = handleCors(event, {
        origin: "*",
        methods: "*",
        allowHeaders: "*",
        exposeHeaders: "*",
        maxAge: "86400",
      });
      if (cors !== false) return cors;
    }
    // Client keys guard the API surfaces; admin, login, UI and health have their own rules.
    const admission =
      surface === "other" ? undefined : await admitClient(ctx, surface, extractClientKey(event.req, event.url), path);
    if (admission?.response) return admission.response;
    const record = createRequestRecord({ method: event.req.method, path, surface, clientKey: admission?.label });
    if (admission?.grant) grantRequest(record, admission.grant);
    event.context.record = record;
    ctx.inflight.count++; // ctx.finish() gives it back, when the response (or its stream) is over
    let status: number | undefined;
    try {
      await ctx.ready();
      if (surface !== "other" && ctx.hooks.active) {
        // Host policy: a start hook may refuse the request before any upstream work.
        const refusal = await ctx.hooks.start({ record, request: event.req });
        if (refusal) {
          record.errorClass = "request_denied";
          status = refusal.status;
          return surfaceError(surface, refusal.status, refusal.message, "request_denied");
        }
      }
      let response = await next();
      if (admission?.grant && response instanceof Response)
        response = await filterModelList(response, admission.grant, event.req.method, path);
      status = response instanceof Response ? response.status : event.res.status;
      if (surface !== "other") allowCors(event, response);
      return response;
    } catch (error) {
      status = (error as { status?: number }).status ?? 500;
      throw error;
    } finally {
      if (!record.deferred) ctx.finish(record, status);
    }
  });

  registerHealthRoutes(api, ctx);
  registerGeminiRoutes(api, ctx);
  registerOpenAIRoutes(api, ctx);
  registerAnthropicRoutes(api, ctx);
  registerResponsesRoutes(api, ctx);
  registerEmbeddingsRoutes(api, ctx);
  registerAdminRoutes(api, ctx);
  registerOAuthRoutes(api, ctx);
  registerUiRoutes(api, ctx);
  api.all("/**", (event) => {
    const path = localPath(event.url.pathname);
    return surfaceError(surfaceOf(path), 404, `Unknown route: ${event.req.method} ${path}`, "not_found");
  });

  return base ? new H3({ silent: true }).mount(base, api) : api;
}
