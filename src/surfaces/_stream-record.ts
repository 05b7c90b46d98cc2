// Request-record bookkeeping shared by the streaming surfaces: the first byte and usage as chunks go
// by, and finishing the (deferred) record once the stream is over, however it ends.
import type { GenerateContentResponse } from "../gemini/types.ts";
import { tokenUsageOf, type RequestRecord } from "../usage/record.ts";
import type { AppContext } from "../http/context.ts";

/** Notes the first byte and the latest usage on the record as chunks go by. */
export async function* observed(
  chunks: AsyncIterable<GenerateContentResponse>,
  record: RequestRecord,
): AsyncGenerator<GenerateContentResponse> {
  for await (const chunk of chunks) {
    record.firstByteAt ??= Date.now();
    if (chunk.usageMetadata) record.usage = tokenUsageOf(chunk.usageMetadata);
    yield chunk;
  }
}

/**
 * An `onClose` for streamResponse: outcome and error class on the record, then finish it (status 200:
 * headers went out). Returns the journal write that streamResponse awaits before the last event.
 */
export function streamClosed(ctx: AppContext, record: RequestRecord, errorClassOf: (error: unknown) => string) {
  return (outcome: "done" | "error" | "cancelled", error?: unknown): Promise<void> | undefined => {
    record.outcome = outcome === "done" ? "success" : outcome === "cancelled" ? "cancelled" : "error";
    if (error) record.errorClass = errorClassOf(error);
    return ctx.finish(record, 200);
  };
}
