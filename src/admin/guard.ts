// Route-level admin guard (h3 v2's `use("/admin", ...)` matches one path only, so every admin route
// carries this middleware explicitly), and the security headers every admin answer gets.
import { BodyError, readCapped } from "../http/body.ts";
import { HTTPError, type H3Event, type Middleware } from "h3";
import { requireAdmin } from "./auth.ts";
import type { AppContext } from "../http/context.ts";

export function setAdminHeaders(event: H3Event): void {
  const h = event.res.headers;
  h.set("cache-control", "no-store");
  h.set("x-content-type-options", "nosniff");
  h.set("x-frame-options", "DENY");
  h.set("referrer-policy", "no-referrer");
}

export function adminOnly(ctx: AppContext, opts: { html?: boolean } = {}): Middleware {
  return async (event) => {
    setAdminHeaders(event);
    const refusal = await requireAdmin(event, ctx, opts);
    if (refusal) return refusal;
  };
}

/** The JSON body as an object, or undefined when absent or not JSON; a 413 past the cap. */
export async function jsonObject(event: H3Event): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    // Admin bodies are credentials and account files, never large: cap them before buffering.
    text = await readCapped(event.req, 2 * 1024 * 1024);
  } catch (error) {
    if (error instanceof BodyError && error.status === 413)
      throw new HTTPError({ status: 413, message: error.message });
    return undefined;
  }
  try {
    if (!text.trim()) return undefined;
    const value = JSON.parse(text) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
