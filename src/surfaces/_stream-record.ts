// Request-record bookkeeping shared by the streaming surfaces: the first byte and usage as chunks go
// by, and finishing the (deferred) record once the stream is over, however it ends.
import type { GeminiUsageMetadata, GenerateContentResponse } from "../gemini/types.ts";
import { latestUsage } from "../chat/usage.ts";
import { tokenUsageOf, type RequestRecord } from "../usage/record.ts";
import type { AppContext } from "../http/context.ts";
import { errorMessageOf } from "./_failure.ts";

const sameCounts = (a: GeminiUsageMetadata, b: GeminiUsageMetadata | undefined): boolean =>
  b !== undefined &&
  a.totalTokenCount === b.totalTokenCount &&
  a.promptTokenCount === b.promptTokenCount &&
  a.candidatesTokenCount === b.candidatesTokenCount &&
  a.thoughtsTokenCount === b.thoughtsTokenCount &&
  a.cachedContentTokenCount === b.cachedContentTokenCount;

/** Notes the first byte and the latest usage with counts on the record, called with each chunk. */
export function observer(record: RequestRecord): (chunk: GenerateContentResponse) => void {
  let usage: GeminiUsageMetadata | undefined;
  return (chunk) => {
    record.firstByteAt ??= Date.now();
    const next = latestUsage(usage, chunk.usageMetadata);
    // Most chunks repeat the counts: convert only when they moved.
    if (next && next !== usage && !sameCounts(next, usage)) record.usage = tokenUsageOf(next);
    usage = next;
  };
}

/**
 * An `onClose` for streamResponse: outcome and error class on the record, then finish it (status 200:
 * headers went out). Returns the journal write that streamResponse awaits before the last event.
 */
export function streamClosed(ctx: AppContext, record: RequestRecord, errorClassOf: (error: unknown) => string) {
  return (outcome: "done" | "error" | "cancelled", error?: unknown): Promise<void> | undefined => {
    record.outcome = outcome === "done" ? "success" : outcome === "cancelled" ? "cancelled" : "error";
    if (error) [record.errorClass, record.errorMessage] = [errorClassOf(error), errorMessageOf(error)];
    return ctx.finish(record, 200);
  };
}
