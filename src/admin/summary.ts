// GET /admin/summary: what the top of the admin page answers at a glance. The status badge and, when
// it is not "healthy", why: each credential that is not simply active (or disabled by an operator)
// with its state and reason, and the storage when it is down. Plus this process's requests, errors,
// error rate, tokens and median latency over the last hour and day.
import type { H3 } from "h3";
import type { CredentialView } from "../pool/pool.ts";
import type { ActivityWindow } from "../usage/activity.ts";
import type { AppContext } from "../http/context.ts";
import { healthOf } from "../http/health.ts";
import { credentialName } from "./format.ts";
import { adminOnly } from "./guard.ts";

/** At most this many credentials are named; `attention_total` counts them all. */
const ATTENTION_MAX = 20;

function attentionOf(view: CredentialView, now: number) {
  const cooling = Object.entries(view.state.cooldowns ?? {})
    .filter(([, cd]) => cd && cd.until > now)
    .map(
      ([model, cd]) =>
        `${model} cooling until ${new Date(cd.until).toISOString()}${cd.reason ? ` (${cd.reason})` : ""}`,
    );
  return {
    id: view.id,
    name: credentialName(view, view.id),
    status: view.state.status,
    reason: view.state.reason ?? (cooling.length ? cooling.join("; ") : null),
    link: view.state.link ?? null,
  };
}

const windowView = (w: ActivityWindow) => ({
  requests: w.requests,
  errors: w.errors,
  error_rate: Math.round(w.errorRate * 10_000) / 10_000,
  tokens: w.tokens,
  p50_ms: w.p50Ms,
});

export function registerAdminSummaryRoute(app: H3, ctx: AppContext): void {
  app.get(
    "/admin/summary",
    () => {
      const now = Date.now();
      const health = healthOf(ctx);
      const attention = ctx.pool
        .list()
        .filter((c) => c.state.status !== "active" && c.state.status !== "disabled")
        .map((c) => attentionOf(c, now));
      const activity = ctx.usage.activity(now);
      return {
        status: health.status,
        credentials: health.credentials,
        storage: health.storage ?? null,
        attention: attention.slice(0, ATTENTION_MAX),
        attention_total: attention.length,
        since: new Date(activity.since).toISOString(),
        last_hour: windowView(activity.hour),
        last_day: windowView(activity.day),
      };
    },
    { middleware: [adminOnly(ctx)] },
  );
}
