// node:http host: the app's own routes, and the proxy under /gemini via `proxy.node`.
import http from "node:http";
import { createGeminiProxy, type GeminiProxy, type GeminiProxyOptions } from "../../src/index.ts";

export interface NodeHttpHost {
  server: http.Server;
  proxy: GeminiProxy;
}

export function createNodeHttpHost(options: GeminiProxyOptions): NodeHttpHost {
  // The server hands the full URL over, so the proxy is told its prefix.
  const proxy = createGeminiProxy({ ...options, basePath: "/gemini" });
  const server = http.createServer((req, res) => {
    if (req.url === "/gemini" || req.url?.startsWith("/gemini/")) return proxy.node(req, res);
    if (req.url === "/hello") return res.end("hello from node:http");
    res.statusCode = 404;
    res.end("not found");
  });
  return { server, proxy };
}
