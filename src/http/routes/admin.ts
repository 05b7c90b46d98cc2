// Admin API: credentials, usage, metrics and the page's login. Every route carries the admin guard
// as route middleware (see _admin-guard.ts); /health stays public in health.ts.
import type { H3 } from "h3";
import type { AppContext } from "../context.ts";
import { registerAdminCredentialRoutes } from "./_admin-credentials.ts";
import { registerAdminImportRoute } from "./_admin-import.ts";
import { registerAdminLoginRoutes } from "./_admin-login.ts";
import { registerAdminUsageRoutes } from "./_admin-usage.ts";
import { registerMetricsRoute } from "./metrics.ts";

export function registerAdminRoutes(app: H3, ctx: AppContext): void {
  registerAdminCredentialRoutes(app, ctx);
  registerAdminImportRoute(app, ctx);
  registerAdminUsageRoutes(app, ctx);
  registerAdminLoginRoutes(app, ctx);
  registerMetricsRoute(app, ctx);
}
