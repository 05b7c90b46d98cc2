// `gemini-cli-proxy/h3-v1`: the bridge for h3 v1 hosts (nitropack 2, Nuxt 4). h3 v1's own
// `fromWebHandler` builds a request without an abort signal, so a client that goes away would
// leave the upstream Google call running. This bridge builds the web Request itself, with a
// signal tied to the Node response. It is typed structurally and imports nothing from h3 v1.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { consumedBodyOf, pendingRawBodyOf, type ParsedNodeRequest } from "./http/node-body.ts";

/** The parts of an h3 v1 `H3Event` the bridge reads. */
export interface H3V1EventLike {
  /** The HTTP method (h3 v1 `event.method`); defaults to `node.req.method`. */
  method?: string;
  /** The Node request and response behind the event. */
  node: { req: IncomingMessage; res: ServerResponse };
  /** Set when h3 v1 runs on a web runtime; that request already carries its own signal. */
  web?: { request?: Request };
}

/** Anything with a web `fetch` handler, such as the object `createGeminiProxy()` returns. */
export interface FetchHandlerLike {
  fetch: (request: Request) => Promise<Response>;
}

/** An h3 v1 event handler (marked the way h3 v1's `defineEventHandler` marks one). */
export interface H3V1Handler {
  (event: H3V1EventLike): Promise<Response>;
  readonly __is_handler__: true;
}

const NO_BODY = new Set(["GET", "HEAD"]);

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(":")) continue; // skip HTTP/2 pseudo-headers
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

function urlOf(req: IncomingMessage & { originalUrl?: string }): string {
  const forwarded = req.headers["x-forwarded-proto"];
  const encrypted = (req.socket as { encrypted?: boolean } | null)?.encrypted === true;
  const protocol = encrypted || forwarded === "https" ? "https" : "http";
  // h3 v1 keeps the unstripped path in originalUrl; the proxy's basePath expects it.
  const path = (req.originalUrl || req.url || "/").replace(/^[/\\]+/, "/");
  return new URL(path, `${protocol}://${req.headers.host || "localhost"}`).href;
}

function bodyOf(req: ParsedNodeRequest): ReadableStream<Uint8Array> {
  const pending = pendingRawBodyOf(req); // h3 v1's readBody()/readRawBody() already ran
  const bytes = pending ? undefined : consumedBodyOf(req);
  if (!pending && !bytes) return Readable.toWeb(req) as ReadableStream<Uint8Array>;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const data = bytes ?? (await pending);
      if (data?.length) controller.enqueue(new Uint8Array(data));
      controller.close();
    },
  });
}

/**
 * Builds the web `Request` for an h3 v1 event: full URL (use the proxy's `basePath` for the mount
 * path), headers, body (also when a middleware already read it) and an abort signal that fires
 * when the client disconnects before the response finished.
 *
 * Any `{ node: { req, res } }` fits, which also repairs Nitro 3.0.0: its request signal (srvx
 * 0.8) fires as soon as a POST body has been read, so pass `{ node: request.runtime.node }` there.
 */
export function toWebRequest(event: H3V1EventLike): Request {
  if (event.web?.request) return event.web.request;
  const { req, res } = event.node;
  const controller = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) controller.abort();
  };
  if (res.destroyed) onClose();
  else res.once("close", onClose);
  const method = (event.method || req.method || "GET").toUpperCase();
  const init = {
    method,
    headers: headersOf(req),
    signal: controller.signal,
    body: NO_BODY.has(method) ? undefined : bodyOf(req),
    duplex: "half",
  };
  return new Request(urlOf(req), init as RequestInit);
}

/**
 * An h3 v1 event handler that serves the proxy: `export default toH3V1Handler(proxy)` in a
 * nitropack 2 / Nuxt 4 route file, or `app.use("/gemini", toH3V1Handler(proxy))` in h3 v1.
 * It returns the proxy's web `Response`, which h3 v1 streams as it arrives.
 */
export function toH3V1Handler(proxy: FetchHandlerLike): H3V1Handler {
  const handler = (event: H3V1EventLike) => proxy.fetch(toWebRequest(event));
  return Object.assign(handler, { __is_handler__: true as const });
}
