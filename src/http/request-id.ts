// The request id: the client's `x-request-id` when it is sane (so ids can be followed across
// services), otherwise a new one. Sent back on every response and written on the request's log line.
import { newRequestId } from "../usage/record.ts";

const SANE = /^[\w.:-]{1,128}$/;

export function requestIdOf(request: Request): string {
  const sent = request.headers.get("x-request-id");
  return sent && SANE.test(sent) ? sent : newRequestId();
}

/** Sets the header on a Response when it can be changed (some, like Response.redirect(), cannot). */
export function withRequestId(response: unknown, fallback: Headers, id: string): void {
  const headers = response instanceof Response ? response.headers : fallback;
  try {
    headers.set("x-request-id", id);
  } catch {
    // immutable headers: the id is still in the log
  }
}
