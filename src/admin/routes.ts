// Admin API: credentials, client keys, usage, metrics and the page's login. Every route carries the admin guard
// as route middleware (see guard.ts); /health stays public in src/http/health.ts.
import type { H3 } from "h3";
import type { AppContext } from "../http/context.ts";
import { registerAdminBulkRoutes } from "./bulk.ts";
import { registerAdminCredentialRoutes } from "./credentials.ts";
import { registerAdminImportRoute } from "./import.ts";
import { registerAdminLoginRoutes } from "./login.ts";
import { registerAdminSummaryRoute } from "./summary.ts";
import { registerAdminUsageRoutes } from "./usage.ts";
import { registerAdminKeyRoutes } from "./keys.ts";
import { registerMetricsRoute } from "../http/metrics.ts";

export function registerAdminRoutes(app: H3, ctx: AppContext): void {
  registerAdminCredentialRoutes(app, ctx);
  registerAdminImportRoute(app, ctx);
  registerAdminBulkRoutes(app, ctx);
  registerAdminSummaryRoute(app, ctx);
  registerAdminUsageRoutes(app, ctx);
  registerAdminKeyRoutes(app, ctx);
  registerAdminLoginRoutes(app, ctx);
  registerMetricsRoute(app, ctx);
}
