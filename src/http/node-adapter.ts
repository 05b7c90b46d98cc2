// `proxy.node`: h3's toNodeHandler plus two fixes for hosts that touched the request first.
// - A body parser (Express `express.json()`) drained the stream: hand srvx the parsed body as
//   `rawBody` bytes instead of letting it read an empty, finished stream.
// - Express strips its mount prefix from `req.url`; with a `basePath` the app expects the full
//   path, which Express keeps in `req.originalUrl`.
// Abort detection is srvx's own (`res` 'close' before the response ended), so it keeps working.
import { toNodeHandler, type H3, type NodeHandler } from "h3";
import { consumedBodyOf, type ParsedNodeRequest } from "./node-body.ts";

export interface NodeAdapterOptions {
  /** The proxy's normalized basePath ("" when none). */
  basePath: string;
}

type HostRequest = ParsedNodeRequest & { originalUrl?: string };

function adoptConsumedBody(req: HostRequest): void {
  if (req.method === "GET" || req.method === "HEAD" || Buffer.isBuffer(req.rawBody)) return;
  const bytes = consumedBodyOf(req);
  if (!bytes) return;
  req.rawBody = bytes; // srvx reads `rawBody` when present
  req.headers["content-length"] = String(bytes.length);
  delete req.headers["transfer-encoding"];
}

function restorePrefix(req: HostRequest, basePath: string): void {
  if (!basePath || typeof req.originalUrl !== "string" || req.originalUrl === req.url) return;
  const under = (url: string | undefined) =>
    url === basePath || url?.startsWith(`${basePath}/`) || url?.startsWith(`${basePath}?`);
  if (!under(req.url) && under(req.originalUrl)) req.url = req.originalUrl;
}

/** A `(req, res)` listener for node:http and Express 5 that tolerates body parsers and mount prefixes. */
export function toProxyNodeHandler(app: H3, options: NodeAdapterOptions): NodeHandler {
  const handler = toNodeHandler(app);
  return (req, res) => {
    const hostReq = req as HostRequest; // http2 requests have the same fields that matter here
    adoptConsumedBody(hostReq);
    restorePrefix(hostReq, options.basePath);
    return handler(req, res);
  };
}
