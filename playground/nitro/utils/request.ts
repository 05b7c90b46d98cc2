// Nitro 3.0.0's request signal (srvx 0.8.16) fires on the Node request's 'close', which comes as
// soon as a POST body has been read: the proxy would take every chat request as abandoned (499).
// Rebuild the request with a signal tied to the response instead (the client really left).
// In your app: `from "gemini-cli-proxy/h3-v1"`.
import { toWebRequest } from "../../../src/h3-v1.ts";
import type { IncomingMessage, ServerResponse } from "node:http";

type NodeBacked = Request & { runtime?: { node?: { req?: IncomingMessage; res?: ServerResponse } } };

export function withClientAbort(request: Request): Request {
  const node = (request as NodeBacked).runtime?.node;
  return node?.req && node.res ? toWebRequest({ node: { req: node.req, res: node.res } }) : request;
}
