// Failures on the Responses surface: OpenAI's error shape (the Responses API is an OpenAI API) for
// answers that have not started, and the `response.failed` event's error for streams that have.
import { openAIFailure, toOpenAIError } from "../openai/failure.ts";
import type { SurfaceFailure } from "../_route.ts";

export const responsesFailure: SurfaceFailure = openAIFailure("responses surface");

/** The `error` of a failed response object. */
export function failedResponseError(
  error: unknown,
  model: string,
): { code: string; message: string; internal: boolean } {
  const e = toOpenAIError(error, model);
  return { code: e.code ?? e.type, message: e.message, internal: e.code === "internal_error" };
}
