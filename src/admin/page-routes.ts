// GET / (basePath + /): the admin page, behind admin auth; its script and stylesheet are public
// static strings embedded in the bundle (no build step, no CDN, works offline).
import type { H3, H3Event } from "h3";
import { adminIdentity, csrfTokenOf } from "./auth.ts";
import type { AppContext } from "../http/context.ts";
import { adminPage } from "./page/page.ts";
import { SCRIPT_CORE } from "./page/script-core.ts";
import { SCRIPT_TABLE } from "./page/script-table.ts";
import { SCRIPT_USAGE } from "./page/script-usage.ts";
import { ADMIN_CSS } from "./page/styles.ts";
import { KEYS_CSS, SCRIPT_KEYS } from "./page/keys-section.ts";
import { OVERVIEW_CSS, SCRIPT_OVERVIEW } from "./page/overview.ts";
import { adminOnly } from "./guard.ts";

const asset = (body: string, type: string) => () =>
  new Response(body, {
    headers: {
      "content-type": `${type}; charset=utf-8`,
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
    },
  });

export function registerUiRoutes(app: H3, ctx: AppContext): void {
  const page = async (event: H3Event) => {
    const identity = await adminIdentity(event, ctx);
    return adminPage({
      base: ctx.options.basePath,
      csrf: await csrfTokenOf(event, ctx),
      user: identity?.user ?? "",
      via: identity?.via ?? "",
    });
  };
  app.get("/", page, { middleware: [adminOnly(ctx, { html: true })] });
  app.get(
    "/admin/ui/app.js",
    asset(`${SCRIPT_CORE}\n${SCRIPT_OVERVIEW}\n${SCRIPT_TABLE}\n${SCRIPT_USAGE}\n${SCRIPT_KEYS}`, "text/javascript"),
  );
  app.get("/admin/ui/app.css", asset(`${ADMIN_CSS}\n${OVERVIEW_CSS}\n${KEYS_CSS}`, "text/css"));
}
