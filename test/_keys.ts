// Helpers for the client-key tests: one call per surface with a given key and model, and a reader
// of each surface's error shape (code or status name, message, retry-after).
import { expect } from "vitest";
import { adminHeaders } from "./_admin.ts";

export type Request = (path: string, init?: RequestInit) => Promise<Response>;

export const SURFACES = ["chat", "chat-stream", "responses", "anthropic", "gemini", "gemini-stream"] as const;
export type SurfaceName = (typeof SURFACES)[number] | "embeddings";

const json = (key: string) => ({ authorization: `Bearer ${key}`, "content-type": "application/json" });

/** One request on a surface with `key` for `model`; the body is read (streams to the end). */
export async function call(
  request: Request,
  surface: SurfaceName,
  key: string,
  model = "gemini-2.5-flash",
): Promise<{ status: number; headers: Headers; text: string }> {
  const post = (path: string, body: unknown, headers: Record<string, string> = json(key)) =>
    request(path, { method: "POST", headers, body: JSON.stringify(body) });
  const messages = [{ role: "user", content: "hello" }];
  let res: Response;
  switch (surface) {
    case "chat":
      res = await post("/v1/chat/completions", { model, messages });
      break;
    case "chat-stream":
      res = await post("/v1/chat/completions", { model, messages, stream: true });
      break;
    case "responses":
      res = await post("/v1/responses", { model, input: "hello" });
      break;
    case "embeddings":
      res = await post("/v1/embeddings", { model, input: "hello" });
      break;
    case "anthropic":
      res = await post(
        "/v1/messages",
        { model, max_tokens: 50, messages },
        { "x-api-key": key, "anthropic-version": "2023-06-01", "content-type": "application/json" },
      );
      break;
    case "gemini":
      res = await post(
        `/v1beta/models/${model}:generateContent`,
        { contents: [{ parts: [{ text: "hello" }] }] },
        {
          "x-goog-api-key": key,
          "content-type": "application/json",
        },
      );
      break;
    case "gemini-stream":
      res = await post(
        `/v1beta/models/${model}:streamGenerateContent?alt=sse`,
        { contents: [{ parts: [{ text: "hello" }] }] },
        { "x-goog-api-key": key, "content-type": "application/json" },
      );
      break;
  }
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The surface's error: OpenAI-family `code`, Anthropic `error.type`, Google `error.status`; and the message. */
export function errorOf(surface: SurfaceName, text: string): { code: string; message: string } {
  const body = JSON.parse(text) as {
    error: { code?: string | number; type?: string; status?: string; message: string };
  };
  if (surface === "anthropic") {
    expect((body as unknown as { type: string }).type).toBe("error");
    return { code: String(body.error.type), message: body.error.message };
  }
  if (surface === "gemini" || surface === "gemini-stream")
    return { code: String(body.error.status), message: body.error.message };
  return { code: String(body.error.code), message: body.error.message };
}

/** The code each surface shows for a refusal (OpenAI-family codes; Anthropic types; Google statuses). */
export function expectedCode(surface: SurfaceName, openai: string): string {
  const status: Record<string, number> = {
    model_not_allowed: 403,
    rate_limit_exceeded: 429,
    budget_exceeded: 429,
    key_disabled: 401,
    key_expired: 401,
    invalid_api_key: 401,
  };
  const s = status[openai]!;
  if (surface === "anthropic")
    return { 401: "authentication_error", 403: "permission_error", 429: "rate_limit_error" }[s]!;
  if (surface === "gemini" || surface === "gemini-stream")
    return { 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 429: "RESOURCE_EXHAUSTED" }[s]!;
  return openai;
}

/** Creates a managed key through the admin API; returns its plaintext and id. */
export async function createKey(
  request: Request,
  input: Record<string, unknown>,
): Promise<{ key: string; id: string }> {
  const res = await request("/admin/keys", {
    method: "POST",
    headers: adminHeaders({ "content-type": "application/json" }),
    body: JSON.stringify(input),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = (await res.json()) as { key: string; id: string };
  return { key: body.key, id: body.id };
}

/** Rate limits count per UTC minute: start a multi-request check well inside one. */
export async function awayFromMinuteEdge(marginMs = 5000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 50));
}
