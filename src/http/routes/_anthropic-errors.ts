// Failures on the Anthropic surface → Anthropic's wire error. The OpenAI surface's mapping (one
// table for every surface) decides status, message and retry headers; src/anthropic/errors.ts
// reshapes them (529 overloaded_error for Google's capacity errors).
import { fromOpenAIError, type AnthropicWireError } from "../../anthropic/errors.ts";
import { toOpenAIError } from "./_openai-errors.ts";

export function toAnthropicWire(error: unknown, model?: string): AnthropicWireError {
  return fromOpenAIError(toOpenAIError(error, model), error);
}

export function anthropicResponse(wire: AnthropicWireError, requestId: string): Response {
  return Response.json(wire.body, { status: wire.status, headers: { ...wire.headers, "x-request-id": requestId, "request-id": requestId } });
}
