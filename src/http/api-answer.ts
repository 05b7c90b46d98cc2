// JSON answers of the API surfaces with every header they go out with (type, request id, CORS) in
// one plain object. On node, srvx hands those to `writeHead` as one list; headers set on the Node
// response beforehand (what the app does for other answers) send `writeHead` down its slower path,
// which removes, re-adds and re-checks each of them: a few µs on the path every request takes.
import { FastResponse } from "srvx";

/** What every answer of an API surface carries for browsers (web UIs call the API cross-origin). */
export const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "*",
} as const;

const COMPLETE = Symbol("gemini-cli-proxy.apiHeaders");

/** A 200 JSON answer of an API surface, with its request id, CORS and any `extra` headers. */
export function apiJson(body: unknown, requestId: string, extra?: Record<string, string>): Response {
  // The spread last: V8 copies a constant object's fields there cheaply (docs/architecture.md).
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-request-id": requestId,
    ...CORS_HEADERS,
  };
  if (extra) Object.assign(headers, extra);
  const response = new FastResponse(JSON.stringify(body), { headers });
  (response as unknown as Record<symbol, boolean>)[COMPLETE] = true;
  return response;
}

/** Whether `response` came from `apiJson` (the app has nothing to add to it). */
export function hasApiHeaders(response: unknown): boolean {
  return (response as Record<symbol, unknown> | undefined)?.[COMPLETE] === true;
}
