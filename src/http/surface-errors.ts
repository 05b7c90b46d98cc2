// Errors decided by the HTTP layer (auth, unknown route, unreadable body) in the shape of the
// surface the path belongs to: Google's on /v1beta, Anthropic's on /v1/messages, OpenAI's elsewhere.
import { FastResponse } from "srvx";
import { anthropicError } from "../surfaces/anthropic/errors.ts";
import { googleError } from "../surfaces/gemini/wire-errors.ts";

export type Surface = "gemini" | "openai" | "anthropic" | "responses" | "embeddings" | "other";

const under = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);

export function surfaceOf(path: string): Surface {
  if (path.startsWith("/v1beta")) return "gemini";
  if (under(path, "/v1/messages") || under(path, "/messages")) return "anthropic";
  if (under(path, "/v1/responses") || under(path, "/responses")) return "responses";
  if (under(path, "/v1/embeddings") || under(path, "/embeddings")) return "embeddings";
  if (
    path.startsWith("/v1/") ||
    path === "/v1" ||
    path.startsWith("/chat/") ||
    path.startsWith("/models") ||
    path.startsWith("/embeddings") ||
    path.startsWith("/responses") ||
    path.startsWith("/messages")
  )
    return "openai";
  return "other";
}

const OPENAI_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "invalid_request_error",
  429: "rate_limit_error",
};

export function surfaceError(
  surface: Surface,
  status: number,
  message: string,
  code: string | null = null,
  headers: Record<string, string> = {},
): Response {
  if (surface === "gemini") {
    const wire = googleError(status, message);
    return FastResponse.json(wire.body, { status, headers });
  }
  if (surface === "anthropic") {
    const wire = anthropicError(status, message);
    return FastResponse.json(wire.body, { status, headers });
  }
  const type = OPENAI_TYPES[status] ?? (status >= 500 ? "server_error" : "invalid_request_error");
  return FastResponse.json({ error: { message, type, param: null, code } }, { status, headers });
}
