// Bench child process: one proxy from the built package (dist/, as users run it), on loopback,
// reporting its own CPU time and memory on request so the load generator's work is never counted.
import http from "node:http";
import { createGeminiProxy } from "../dist/index.mjs";

const config = JSON.parse(process.env.BENCH_PROXY ?? "{}");
const proxy = createGeminiProxy({ ...config, logger: false });
await proxy.ready();
const server = http.createServer({ keepAliveTimeout: 60_000 }, proxy.node);
server.listen(0, "127.0.0.1", () => {
  process.send({ type: "ready", url: `http://127.0.0.1:${server.address().port}`, usable: proxy.pool.usableCount() });
});

let base = process.cpuUsage();
let peakRss = 0;
let atPeak = {};
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) {
    peakRss = rss;
    atPeak = process.memoryUsage();
  }
}, 50);
sampler.unref();
process.on("message", (m) => {
  if (m === "reset") {
    base = process.cpuUsage();
    peakRss = process.memoryUsage.rss();
    process.send({ type: "reset" });
  } else if (m === "report") {
    const cpu = process.cpuUsage(base);
    process.send({ type: "report", cpuUs: cpu.user + cpu.system, peakRss, atPeak, rss: process.memoryUsage.rss() });
  } else if (m === "exit") {
    server.closeAllConnections();
    server.close();
    void proxy.close().then(() => process.exit(0));
  }
});
