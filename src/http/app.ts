// The h3 app: client auth, in-flight counter and start-up gate as middleware, then the surfaces.
// Routes are defined without a prefix; `basePath` mounts them under one.
import type { IncomingMessage } from "node:http";
import { H3, HTTPError, getRequestIP, handleCors, isPreflightRequest, type H3Event } from "h3";
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
import { CORS_HEADERS, hasApiHeaders } from "./api-answer.ts";
import { lingerOnClose } from "./node-close.ts";

function decodes(pathname: string): boolean {
  try {
    decodeURI(pathname);
    return true;
  } catch {
    return false;
  }
}

/**
 * A refused body (413) may still be on its way: this connection cannot carry another request. Say
 * so, and on node read off the rest before closing (node-close.ts).
 */
function closeConnection(event: H3Event, response: unknown): void {
  (response instanceof Response ? response.headers : event.res.headers).set("connection", "close");
  const req = event.runtime?.node?.req;
  if (req && req.httpVersionMajor < 2) lingerOnClose(req as IncomingMessage); // http2 streams close on their own
}
import { requestIdOf, withRequestId } from "./request-id.ts";
import { createAuthFailureLog } from "./auth-failures.ts";
import { PROBE_PATHS } from "./probes.ts";

/**
 * The request id, and CORS on the API surfaces. On node they go straight onto the Node response,
 * which `writeHead` merges with the Response's own (reading `response.headers` would build a Headers
 * object for every answer); elsewhere onto the Response itself (headers staged on `event.res` would
 * make h3 rebuild the response around its body as a web stream, the slow way to node).
 */
function finalHeaders(event: H3Event, response: unknown, cors: boolean, requestId: string): void {
  if (hasApiHeaders(response)) return;
  const nodeRes = event.runtime?.node?.res;
  if (nodeRes && !nodeRes.headersSent) {
    nodeRes.setHeader("x-request-id", requestId);
    if (cors) for (const [name, value] of Object.entries(CORS_HEADERS)) nodeRes.setHeader(name, value);
    return;
  }
  if (cors) {
    const headers = response instanceof Response ? response.headers : event.res.headers;
    for (const [name, value] of Object.entries(CORS_HEADERS)) headers.set(name, value);
  }
  withRequestId(response, event.res.headers, requestId);
}

/** The path's surface even when its percent-encoding is broken: judged by what precedes the first `%`. */
function malformedPathError(path: string): Response {
  return surfaceError(
    surfaceOf(path.split("%")[0]!),
    400,
    "Malformed percent-encoding in the request path",
    "invalid_path",
  );
}

export function createApp(ctx: AppContext): H3 {
  const base = ctx.options.basePath;
  const localPath = (pathname: string) =>
    base && pathname.startsWith(base) ? pathname.slice(base.length) || "/" : pathname;
  const logger = ctx.logger;
  /**
   * A failure nobody answered, in the path's surface shape: a client's (4xx) keeps its status and
   * message, anything else is our bug, logged, and a bare 500.
   */
  const failureResponse = (raw: unknown, event: H3Event, path: string): Response => {
    const error = HTTPError.isError(raw) ? raw : new HTTPError(raw as Error);
    const status = error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error("unhandled error on", path, error.cause ?? error);
    const response = surfaceError(surfaceOf(path), status, status === 500 ? "Internal error" : error.message);
    if (status === 413) closeConnection(event, response);
    return response;
  };
  // Failures inside the API middleware are answered there (no error middleware: one layer less per
  // request); this catches the rest, e.g. a path h3 refuses because it does not decode.
  const config = {
    silent: true,
    onError: (error: unknown, event: H3Event) => {
      const path = localPath(event.url.pathname);
      if ((error as { status?: number }).status === 400 && !decodes(event.url.pathname))
        return malformedPathError(path);
      return failureResponse(error, event, path);
    },
  };
  const api = new H3(config);
  const authFailures = createAuthFailureLog(
    (ctx.logger.withTag?.("http") ?? ctx.logger) as typeof ctx.logger,
    (reason) => ctx.usage.metrics.authFailure(reason),
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
    const key = extractClientKey(event.req, event.url);
    const requestId = requestIdOf(event.req);
    // Client keys guard the API surfaces; admin, login, UI and health have their own rules.
    const admitted = surface === "other" ? undefined : admitClient(ctx, surface, key, path);
    const admission = admitted instanceof Promise ? await admitted : admitted; // no await when it is settled
    if (admission?.response) {
      if (admission.response.status === 401)
        authFailures.refused(getRequestIP(event) ?? "unknown", key ? "invalid" : "missing", path, requestId);
      withRequestId(admission.response, event.res.headers, requestId);
      return admission.response;
    }
    const record = createRequestRecord({
      id: requestId,
      method: event.req.method,
      path,
      surface,
      clientKey: admission?.label,
    });
    if (admission?.grant) grantRequest(record, admission.grant);
    event.context.record = record;
    ctx.inflight.count++; // ctx.finish() gives it back, when the response (or its stream) is over
    let status: number | undefined;
    try {
      if (PROBE_PATHS.has(path))
        void ctx.ready().catch(() => {}); // answer now; /readyz says "starting"
      else if (ctx.readiness?.().phase !== "started") await ctx.ready(); // once started, no await per request
      if (surface !== "other" && ctx.hooks.active) {
        // Host policy: a start hook may refuse the request before any upstream work.
        const refusal = await ctx.hooks.start({ record, request: event.req });
        if (refusal) {
          record.errorClass = "request_denied";
          status = refusal.status;
          const denied = surfaceError(surface, refusal.status, refusal.message, "request_denied");
          withRequestId(denied, event.res.headers, requestId);
          return denied;
        }
      }
      let response = await next();
      if (admission?.grant && response instanceof Response)
        response = await filterModelList(response, admission.grant, event.req.method, path);
      status = response instanceof Response ? response.status : event.res.status;
      if (status === 413) closeConnection(event, response);
      finalHeaders(event, response, surface !== "other", requestId);
      return response;
    } catch (error) {
      const response = failureResponse(error, event, path);
      status = response.status;
      finalHeaders(event, response, surface !== "other", requestId);
      return response;
    } finally {
      // Journaled before the body goes out; nothing to wait for without a journal (no await then).
      const journaled = record.deferred ? undefined : ctx.finish(record, status);
      if (journaled) await journaled;
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

  return base ? new H3(config).mount(base, api) : api;
}
