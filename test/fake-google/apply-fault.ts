// Applies the first matching fault rule to a request: delay, custom handler, error, or a StreamScript.
import { presetError } from "./error-presets.ts";
import { sendGoogleError } from "./errors.ts";
import { sendText, sleep, type Ctx } from "./http-util.ts";

/** Returns true when the rule produced the response (the caller must stop). */
export async function applyFault(ctx: Ctx, project?: string): Promise<boolean> {
  const rule = ctx.env.faults.take(ctx.record);
  if (!rule) return false;
  if (rule.delayMs) await sleep(rule.delayMs, ctx.signal);
  if (ctx.signal.aborted) return true;
  if (rule.handler) {
    await rule.handler(ctx.record, ctx.res);
    if (ctx.res.headersSent) ctx.record.status = ctx.res.statusCode;
    return true;
  }
  const error = rule.error;
  if (typeof error === "string") {
    const opts = rule.errorOptions ?? {};
    sendGoogleError(ctx, presetError(error, { record: ctx.record, project, options: opts }), {
      duplicateCommas: opts.duplicateCommas,
    });
    return true;
  }
  if (error) {
    // Custom bodies are sent exactly as given (no array wrapping).
    const text = error.raw ?? `${JSON.stringify(error.body, null, 2)}\n`;
    sendText(ctx, error.status, text, "application/json; charset=UTF-8");
    return true;
  }
  ctx.script = rule.stream;
  return false;
}
