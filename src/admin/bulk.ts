// Acting on many credentials at once (the page's table view: 150 API keys are not clicked one by
// one) and naming one. POST/PATCH, so the admin guard's same-origin and CSRF checks apply.
import { getRouterParam, type H3 } from "h3";
import { revokeCredential } from "../login/revoke.ts";
import type { AppContext } from "../http/context.ts";
import { adminCredential } from "./format.ts";
import { adminOnly, jsonObject } from "./guard.ts";

const ACTIONS = ["check", "disable", "enable", "remove"] as const;
type BulkAction = (typeof ACTIONS)[number];
/** One request may name every credential of a large pool, not more. */
const MAX_IDS = 1000;
const MAX_NAME = 100;

export function registerAdminBulkRoutes(app: H3, ctx: AppContext): void {
  const guard = { middleware: [adminOnly(ctx)] };

  const run = async (action: BulkAction, id: string): Promise<boolean> => {
    switch (action) {
      case "check":
        return (await ctx.pool.check(id)) !== undefined;
      case "disable":
        return ctx.pool.disable(id);
      case "enable":
        return ctx.pool.enable(id);
      case "remove":
        return (await revokeCredential({ pool: ctx.pool, store: ctx.credentialStore, oauth: ctx.oauth }, id)).removed;
    }
  };

  app.post(
    "/admin/credentials/bulk",
    async (event) => {
      const body = await jsonObject(event);
      const action = body?.action as BulkAction;
      const ids = body?.ids;
      if (
        !ACTIONS.includes(action) ||
        !Array.isArray(ids) ||
        ids.length === 0 ||
        ids.length > MAX_IDS ||
        !ids.every((id) => typeof id === "string")
      )
        return Response.json(
          { detail: `Body must be {"action": "${ACTIONS.join('"|"')}", "ids": ["…"]} with 1-${MAX_IDS} ids` },
          { status: 400 },
        );
      const results = [];
      // One at a time: checks call Google, and a burst of 150 would look like abuse there.
      for (const id of new Set(ids as string[])) {
        let ok = false;
        let error: string | null = null;
        try {
          ok = await run(action, id);
          if (!ok) error = "not found";
        } catch (e) {
          error = (e as Error)?.message ?? "failed";
        }
        results.push({ id, ok, error, status: ctx.pool.get(id)?.state.status ?? null });
      }
      return { status: "success", action, done: results.filter((r) => r.ok).length, results };
    },
    guard,
  );

  app.patch(
    "/admin/credentials/:id",
    async (event) => {
      const id = getRouterParam(event, "id") ?? "";
      const body = await jsonObject(event);
      const name = body?.name;
      if (name !== null && (typeof name !== "string" || name.length > MAX_NAME))
        return Response.json(
          { detail: `Body must be {"name": "<up to ${MAX_NAME} characters>"} (null or "" clears it)` },
          { status: 400 },
        );
      if (!(await ctx.pool.setLabel(id, name?.trim() || undefined)))
        return Response.json({ detail: `Credential with id '${id}' not found.` }, { status: 404 });
      const view = ctx.pool.get(id);
      return { status: "success", message: "credential_renamed", credential: view ? adminCredential(view) : null };
    },
    guard,
  );
}
