// /admin/credentials: list, check, add, remove, disable, enable, clear-cooldown, with the
// predecessor's response shapes (check is a POST now: it changes state). Ids in messages are
// echoed back only as given, never secrets.
import { getRouterParam, type H3 } from "h3";
import { revokeCredential } from "../login/revoke.ts";
import { InvalidCredentialError } from "../pool/errors.ts";
import type { CredentialView } from "../pool/pool.ts";
import type { AppContext } from "../http/context.ts";
import { adminCredential } from "./format.ts";
import { adminOnly, jsonObject } from "./guard.ts";

interface CheckOutcome {
  checker: string;
  healthy: boolean;
  reason?: string;
}

type Checkable = { check?: (id: string) => Promise<unknown> };

/** A route that takes another method now: 405 with `Allow`, in the admin API's `{detail}` shape. */
export const methodNotAllowed = (allow: string, detail: string) =>
  Response.json({ detail }, { status: 405, headers: { allow } });

const notFound = (id: string) => Response.json({ detail: `Credential with id '${id}' not found.` }, { status: 404 });

/** Every string inside the input (tokens, keys), to scrub from error messages. */
function secretsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string" && value.length >= 8) out.push(value);
  else if (value && typeof value === "object") for (const v of Object.values(value)) secretsIn(v, out);
  return out;
}

function scrub(message: string, secrets: readonly string[]): string {
  let text = message;
  for (const s of secrets) text = text.split(s).join("***");
  return text;
}

async function runCheck(ctx: AppContext, view: CredentialView): Promise<CheckOutcome> {
  const pool = ctx.pool as typeof ctx.pool & Checkable;
  if (typeof pool.check === "function") {
    const result = (await pool.check(view.id)) as
      Partial<CheckOutcome & { checker_name: string; is_healthy: boolean }> | boolean | undefined;
    const last = ctx.pool.get(view.id)?.state.lastCheck;
    if (result && typeof result === "object" && typeof (result.healthy ?? result.is_healthy) === "boolean") {
      return {
        checker: result.checker ?? result.checker_name ?? "pool",
        healthy: Boolean(result.healthy ?? result.is_healthy),
        reason: result.reason,
      };
    }
    if (last) return { checker: last.checker, healthy: last.healthy, reason: last.reason };
    return { checker: "pool", healthy: result === true || ctx.pool.get(view.id)?.state.status === "active" };
  }
  // Minimal check without the pool's own: an OAuth account must still refresh its token.
  if (view.kind === "oauth") {
    const ok = await ctx.pool.refresh(view.id);
    return { checker: "token_refresh", healthy: ok, reason: ok ? undefined : ctx.pool.get(view.id)?.state.reason };
  }
  const status = view.state.status;
  return { checker: "state", healthy: status === "active", reason: view.state.reason };
}

export function registerAdminCredentialRoutes(app: H3, ctx: AppContext): void {
  const guard = { middleware: [adminOnly(ctx)] };

  app.get("/admin/credentials", () => ctx.pool.list().map((view) => adminCredential(view)), guard);

  // A check changes the credential's state: POST, so a foreign page's link or image cannot run one.
  app.get(
    "/admin/credentials/:id/check",
    () =>
      methodNotAllowed("POST", "Use POST for /admin/credentials/{id}/check: a check changes the credential's state."),
    guard,
  );
  app.post(
    "/admin/credentials/:id/check",
    async (event) => {
      const id = getRouterParam(event, "id") ?? "";
      const view = ctx.pool.get(id);
      if (!view) return Response.json({ error: "Credential not found", credential_id: id }, { status: 404 });
      const previous = view.state.status;
      let outcome: CheckOutcome;
      try {
        outcome = await runCheck(ctx, view);
      } catch (error) {
        outcome = { checker: "pool", healthy: false, reason: (error as Error)?.message ?? "check failed" };
      }
      return {
        credential_id: id,
        check_time: new Date().toISOString(),
        previous_status: previous,
        new_status: ctx.pool.get(id)?.state.status ?? previous,
        check_details: { checker_name: outcome.checker, is_healthy: outcome.healthy, reason: outcome.reason ?? null },
      };
    },
    guard,
  );

  app.post(
    "/admin/credentials/add",
    async (event) => {
      const body = await jsonObject(event);
      const input = body?.credential;
      if (!input || typeof input !== "object")
        return Response.json({ detail: 'Body must be {"credential": {...}}' }, { status: 400 });
      try {
        // Checked with Google first: a key or refresh token it refuses is not stored.
        const result = await ctx.pool.add(input as never, { verify: true });
        // (The predecessor's answer for a refresh token that gets no email: failed_to_get_email.)
        if (result.refused)
          return Response.json(
            { detail: result.credential.kind === "oauth" ? "failed_to_get_email" : "refused", reason: result.refused },
            { status: 400 },
          );
        const { email, state } = result.credential;
        // The predecessor refused an account it could not even identify; the pool keeps it as
        // "error", which a script would misread as success: take it back out.
        if (result.created && result.credential.kind === "oauth" && !email && state.status === "error") {
          await ctx.pool.remove(result.id);
          return Response.json(
            { detail: "failed_to_get_email", reason: scrub(state.reason ?? "", secretsIn(input)) },
            { status: 400 },
          );
        }
        // Same rule as the login flows: a new account Google will not serve is explained, not kept.
        if (result.created && state.status === "ineligible") {
          await ctx.pool.remove(result.id);
          return Response.json(
            { detail: "ineligible", reason: state.reason ?? null, link: state.link ?? null, email: email ?? null },
            { status: 400 },
          );
        }
        return {
          status: "success",
          message: result.created ? "credential_added" : "credential_updated",
          email: email ?? null,
          id: result.id,
          credential_status: state.status,
        };
      } catch (error) {
        const detail =
          error instanceof InvalidCredentialError
            ? error.code
            : scrub((error as Error)?.message ?? "credential_rejected", secretsIn(input));
        return Response.json({ detail }, { status: 400 });
      }
    },
    guard,
  );

  app.delete(
    "/admin/credentials/:id",
    async (event) => {
      const id = getRouterParam(event, "id") ?? "";
      const revoke = ["1", "true", "yes"].includes(new URL(event.req.url).searchParams.get("revoke") ?? "");
      const result = await revokeCredential({ pool: ctx.pool, store: ctx.credentialStore, oauth: ctx.oauth }, id, {
        revoke,
      });
      if (!result.removed) return notFound(id);
      return {
        status: "success",
        message: "credential_deleted",
        ...(revoke ? { revoked: result.revoked, revoke_error: result.revokeError ?? null } : {}),
      };
    },
    guard,
  );

  const action = (name: string, run: (id: string, model?: string) => Promise<boolean>, message: string) =>
    app.post(
      `/admin/credentials/:id/${name}`,
      async (event) => {
        const id = getRouterParam(event, "id") ?? "";
        if (!ctx.pool.get(id)) return notFound(id);
        const model = event.url.searchParams.get("model") || undefined;
        await run(id, model);
        const view = ctx.pool.get(id);
        return { status: "success", message, credential: view ? adminCredential(view) : null };
      },
      guard,
    );
  action("disable", (id) => ctx.pool.disable(id), "credential_disabled");
  action("enable", (id) => ctx.pool.enable(id), "credential_enabled");
  action("clear-cooldown", (id, model) => ctx.pool.clearCooldown(id, model), "cooldown_cleared");
}
