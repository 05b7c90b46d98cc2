// Bench child process: one proxy from the built package (dist/, as users run it), on loopback,
// reporting its own CPU time and memory on request so the load generator's work is never counted.
// BENCH_DEFAULTS=1: createGeminiProxy's own defaults (its consola logger at info, memory storage,
// usage ledger and its periodic summary) instead of `logger: false`; the parent points stdout at a file.
import http from "node:http";
import { createGeminiProxy } from "../dist/index.mjs";
import { serveReports } from "./_child.mjs";

const config = JSON.parse(process.env.BENCH_PROXY ?? "{}");
const proxy = createGeminiProxy(process.env.BENCH_DEFAULTS === "1" ? config : { ...config, logger: false });
await proxy.ready();
// With defaults, the server is node:http's default too (as in the README's node:http example).
const server =
  process.env.BENCH_DEFAULTS === "1"
    ? http.createServer(proxy.node)
    : http.createServer({ keepAliveTimeout: 60_000 }, proxy.node);
server.listen(0, "127.0.0.1", () => {
  process.send({ type: "ready", url: `http://127.0.0.1:${server.address().port}`, usable: proxy.pool.usableCount() });
});
serveReports(() => {
  server.closeAllConnections();
  server.close();
  return proxy.close();
});
