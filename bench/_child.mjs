// Shared by the bench's forked children (proxy, floor): answers the parent's IPC questions with this
// process's own CPU time and memory, so the load generator's work is never counted.
//   "reset"  → CPU baseline and peak RSS restart now
//   "report" → { cpuUs, peakRss, atPeak, rss } since the last reset
//   "exit"   → close(), then exit 0
export function serveReports(close) {
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
      void Promise.resolve(close()).then(() => process.exit(0));
    }
  });
}
