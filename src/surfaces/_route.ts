// The frame around every OpenAI-family surface route (chat, Anthropic Messages, Responses,
// embeddings): a failure sets the request record's error class and becomes the surface's own wire
// error; a client that went away gets a bare 499 (nginx's "client closed request": nobody reads the
// answer). The native surface keeps its own frame: its own 4xx answers win even over an abort.
import type { H3Event } from "h3";
import { invalidParam } from "../chat/errors.ts";
import { isRecord, type JsonObject } from "../chat/values.ts";
import type { RequestRecord } from "../usage/record.ts";
import { BodyError, readJsonBody } from "../http/body.ts";
import type { AppContext } from "../http/context.ts";
import { recordOf } from "../http/request-record.ts";
import { errorMessageOf } from "./_failure.ts";

/** How one surface reports a failure. */
export interface SurfaceFailure {
  /** Prefix of the log line for an unexpected failure ("openai surface"). */
  label: string;
  /** The request record's error class. */
  errorClass: (error: unknown) => string;
  /** The wire answer; `unexpected` failures (our bugs, not the client's or Google's) are logged. */
  respond: (error: unknown, record: RequestRecord) => { response: Response; unexpected: boolean };
}

export type SurfaceHandler = (event: H3Event) => Promise<Response> | Response;

export function defineSurfaceRoute(
  ctx: AppContext,
  failure: SurfaceFailure,
  handler: SurfaceHandler,
): (event: H3Event) => Promise<Response> {
  return async (event) => {
    const record = recordOf(event);
    try {
      return await handler(event);
    } catch (error) {
      record.errorClass = failure.errorClass(error);
      record.errorMessage = errorMessageOf(error);
      // A body over the cap is refused, not abandoned: the client is still there to read the 413.
      if (event.req.signal.aborted && !isBodyLimit(error)) return new Response(null, { status: 499 });
      const { response, unexpected } = failure.respond(error, record);
      if (unexpected) ctx.logger.error(`${failure.label}:`, error);
      return response;
    }
  };
}

const isBodyLimit = (error: unknown) => error instanceof BodyError && error.status === 413;

const jsonObject = (body: unknown): JsonObject => {
  if (!isRecord(body)) throw invalidParam(null, "The request body must be a JSON object.", "invalid_json");
  return body;
};

/** The request body, which must be a JSON object (BodyError for unreadable or oversized ones). */
export function readJsonObject(event: H3Event, ctx: AppContext): Promise<JsonObject> {
  return readJsonBody(event.req, ctx.options.maxBodySize, jsonObject);
}
