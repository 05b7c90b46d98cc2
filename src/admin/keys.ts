// /admin/keys: managed client keys. The plaintext key is in the 201 answer of POST only; lists and
// views never hold the key or its hash. Bad input is a 400 naming the field, and nothing is written.
import { getRouterParam, type H3, type H3Event } from "h3";
import { readCapped } from "../http/body.ts";
import type { AppContext } from "../http/context.ts";
import { KeyNotFoundError } from "../keys/service.ts";
import { KeyInputError } from "../keys/validate.ts";
import { adminOnly } from "./guard.ts";

const bad = (detail: string, field?: string) => Response.json({ detail, field: field ?? null }, { status: 400 });
const notFound = (id: string) => Response.json({ detail: `Client key with id '${id}' not found.` }, { status: 404 });

/** The body as parsed JSON, or a 400 answer. */
async function body(event: H3Event): Promise<{ value?: unknown; error?: Response }> {
  let text: string;
  try {
    text = await readCapped(event.req, 64 * 1024);
  } catch {
    return { error: Response.json({ detail: "Request body too large" }, { status: 413 }) };
  }
  try {
    return { value: JSON.parse(text || "null") as unknown };
  } catch {
    return { error: bad("The body must be JSON", "body") };
  }
}

function failure(error: unknown, id = ""): Response {
  if (error instanceof KeyInputError) return bad(error.message, error.field);
  if (error instanceof KeyNotFoundError) return notFound(id);
  throw error;
}

export function registerAdminKeyRoutes(app: H3, ctx: AppContext): void {
  const guard = { middleware: [adminOnly(ctx)] };

  app.get("/admin/keys", async () => ({ keys: await ctx.keys.list() }), guard);

  app.post(
    "/admin/keys",
    async (event) => {
      const { value, error } = await body(event);
      if (error) return error;
      try {
        const created = await ctx.keys.create(value as never);
        return Response.json(
          { key: created.key, ...created.client_key },
          { status: 201, headers: { "cache-control": "no-store" } },
        );
      } catch (e) {
        return failure(e);
      }
    },
    guard,
  );

  app.get(
    "/admin/keys/:id",
    async (event) => {
      const id = getRouterParam(event, "id") ?? "";
      return (await ctx.keys.get(id)) ?? notFound(id);
    },
    guard,
  );

  app.patch(
    "/admin/keys/:id",
    async (event) => {
      const id = getRouterParam(event, "id") ?? "";
      const { value, error } = await body(event);
      if (error) return error;
      try {
        await ctx.keys.update(id, value as never);
        return (await ctx.keys.get(id)) ?? notFound(id);
      } catch (e) {
        return failure(e, id);
      }
    },
    guard,
  );

  app.delete(
    "/admin/keys/:id",
    async (event) => {
      const id = getRouterParam(event, "id") ?? "";
      return (await ctx.keys.revoke(id)) ? { revoked: true, id } : notFound(id);
    },
    guard,
  );
}
