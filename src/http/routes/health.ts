import type { H3 } from "h3";
import type { AppContext } from "../context.ts";

export function registerHealthRoutes(app: H3, ctx: AppContext): void {
  const health = () => {
    const credentials = ctx.pool.list();
    const usable = ctx.pool.usableCount();
    return {
      status: usable > 0 ? "healthy" : "degraded",
      credentials: { total: credentials.length, usable },
    };
  };
  app.get("/health", health);
  app.get("/healthz", health);
}
