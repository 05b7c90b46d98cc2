// Failures on the Anthropic surface → Anthropic's wire error. The OpenAI surface's mapping (one
// table for every surface) decides status, message and retry headers; errors.ts
// reshapes them (529 overloaded_error for Google's capacity errors).
import { fromOpenAIError, type AnthropicWireError } from "./errors.ts";
import { openAIErrorClass, toOpenAIError } from "../openai/failure.ts";
import type { SurfaceFailure } from "../_route.ts";

export function toAnthropicWire(error: unknown, model?: string): AnthropicWireError {
  return fromOpenAIError(toOpenAIError(error, model), error);
}

export function anthropicResponse(wire: AnthropicWireError, requestId: string): Response {
  return Response.json(wire.body, {
    status: wire.status,
    headers: { ...wire.headers, "x-request-id": requestId, "request-id": requestId },
  });
}

/** Anthropic's error shape for the Messages routes (the record's error class is the shared one). */
export const anthropicFailure: SurfaceFailure = {
  label: "anthropic surface",
  errorClass: openAIErrorClass,
  respond(error, record) {
    const wire = toAnthropicWire(error, record.model);
    return { response: anthropicResponse(wire, record.id), unexpected: wire.status === 500 };
  },
};
