// /admin/usage: the predecessor's per-model totals and reset, plus series, exports and recent
// errors for the page.
import type { H3 } from "h3";
import { errorsByClass, sumBy } from "../usage/report.ts";
import type { SeriesBy } from "../usage/report.ts";
import type { AppContext } from "../http/context.ts";
import { credentialName } from "./format.ts";
import { adminOnly } from "./guard.ts";

const bad = (detail: string) => Response.json({ detail }, { status: 400 });

/** ISO date/time or epoch ms → epoch ms; undefined when absent, NaN when unreadable. */
function timeParam(value: string | null): number | undefined {
  if (value === null || value === "") return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  return Date.parse(value);
}

function intParam(value: string | null, fallback: number, max: number): number {
  const n = value === null ? fallback : Number(value);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : Number.NaN;
}

export function registerAdminUsageRoutes(app: H3, ctx: AppContext): void {
  const guard = { middleware: [adminOnly(ctx)] };
  const maxHours = ctx.options.usage.retentionDays * 24;

  app.get(
    "/admin/usage",
    async (event) => {
      const raw = event.url.searchParams.get("days");
      const days = raw === null ? undefined : intParam(raw, 1, ctx.options.usage.retentionDays);
      if (Number.isNaN(days)) return bad("days must be a positive integer");
      return ctx.usage.summary(days);
    },
    guard,
  );

  app.post(
    "/admin/usage/reset",
    async () => {
      await ctx.usage.reset();
      return { status: "success", message: "Usage statistics have been reset." };
    },
    guard,
  );

  app.get(
    "/admin/usage/series",
    async (event) => {
      const hours = intParam(event.url.searchParams.get("hours"), 48, maxHours);
      const by = (event.url.searchParams.get("by") ?? "model") as SeriesBy;
      if (Number.isNaN(hours)) return bad("hours must be a positive integer");
      if (!["model", "key", "credential"].includes(by)) return bad("by must be model, key or credential");
      const data = await ctx.usage.series(hours, by);
      // The ledger keeps credential ids (they outlive renames); people read emails and key names.
      if (by !== "credential") return data;
      const label = (id: string) => (id === "-" ? "(no credential)" : credentialName(ctx.pool.get(id), id));
      return { ...data, series: data.series.map((s) => ({ ...s, label: label(s.name) })) };
    },
    guard,
  );

  app.get(
    "/admin/usage/export",
    async (event) => {
      const q = event.url.searchParams;
      const format = q.get("format") ?? "json";
      const period = q.get("period") ?? "hour";
      const from = timeParam(q.get("from"));
      const to = timeParam(q.get("to"));
      if (format !== "csv" && format !== "json") return bad("format must be csv or json");
      if (period !== "hour" && period !== "day") return bad("period must be hour or day");
      if (Number.isNaN(from) || Number.isNaN(to)) return bad("from and to must be ISO dates or epoch milliseconds");
      const stamp = new Date().toISOString().slice(0, 10);
      if (format === "csv") {
        const csv = await ctx.usage.export({ format: "csv", period, from, to });
        return new Response(csv, {
          headers: {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": `attachment; filename="usage-${period}-${stamp}.csv"`,
          },
        });
      }
      return {
        period,
        from: from ?? null,
        to: to ?? null,
        rows: await ctx.usage.export({ format: "json", period, from, to }),
      };
    },
    guard,
  );

  app.get(
    "/admin/usage/errors",
    async (event) => {
      const hours = intParam(event.url.searchParams.get("hours"), 24, maxHours);
      if (Number.isNaN(hours)) return bad("hours must be a positive integer");
      const from = Date.now() - hours * 3_600_000;
      const rows = await ctx.usage.rows("hour", Math.floor(from / 3_600_000) * 3_600_000);
      const total = sumBy(rows, () => "all").get("all") ?? {};
      const recent = ctx.usage.recentErrors().map((e) => ({
        time: new Date(e.time).toISOString(),
        id: e.id,
        path: e.path,
        model: e.model ?? null,
        credential_id: e.credentialId ?? null,
        credential: e.credentialId ? credentialName(ctx.pool.get(e.credentialId), e.credentialId) : null,
        client_key: e.clientKey ?? null,
        status: e.status ?? null,
        error_class: e.errorClass,
        message: e.message ?? null,
      }));
      return {
        hours,
        requests: total.requests ?? 0,
        errors: total.errors ?? 0,
        by_class: errorsByClass(total),
        recent,
      };
    },
    guard,
  );
}
