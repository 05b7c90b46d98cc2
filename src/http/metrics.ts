// GET /metrics: Prometheus text. Admin-only unless `admin.publicMetrics` is set.
import type { H3 } from "h3";
import type { AppContext } from "./context.ts";
import { adminOnly } from "../admin/guard.ts";

export function registerMetricsRoute(app: H3, ctx: AppContext): void {
  const handler = () =>
    new Response(ctx.usage.metrics.render(ctx.pool.list(), ctx.inflight.count), {
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" },
    });
  if (ctx.options.admin.publicMetrics) app.get("/metrics", handler);
  else app.get("/metrics", handler, { middleware: [adminOnly(ctx)] });
}
