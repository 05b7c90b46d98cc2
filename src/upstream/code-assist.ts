// Code Assist (`cloudcode-pa`, v1internal) transport for Gemini CLI OAuth accounts: wraps requests
// as the Gemini CLI does and unwraps `{response, traceId}`.
import { joinURL, withQuery } from "ufo";
import { randomUUID } from "node:crypto";
import { classifyGoogleError } from "../gemini/classify.ts";
import { UpstreamError } from "../gemini/errors.ts";
import type { CountTokensResponse, GenerateContentResponse } from "../gemini/types.ts";
import type { HttpClient } from "./http-client.ts";
import { toAbortSignal, type GenerateCall, type Transport, type UpstreamAuth } from "./transport.ts";
import { callJson } from "./json-call.ts";
import { postJson, readJson, sseChunks } from "./_request.ts";

export const CODE_ASSIST_VERSION = "v1internal";

export interface CodeAssistOptions {
  http: HttpClient;
  baseUrl: string;
  userAgent?: string;
  /** The name Code Assist expects for a model id (docs/upstream.md#code-assist-wire-names). Default: as is. */
  wireModel?: (model: string) => string;
}

interface Wrapped {
  response?: GenerateContentResponse;
  traceId?: string;
  [key: string]: unknown;
}

export function unwrapCodeAssist(value: unknown): GenerateContentResponse | undefined {
  if (!value || typeof value !== "object") return undefined;
  const wrapped = value as Wrapped;
  const inner = wrapped.response ?? { candidates: [] };
  // The object was just parsed and is ours: tag it in place rather than copy it per chunk.
  if (wrapped.traceId && !inner.responseId) inner.responseId = wrapped.traceId;
  return inner;
}

function oauthOf(auth: UpstreamAuth): { accessToken: string; project?: string } {
  if (auth.kind !== "oauth") {
    throw new UpstreamError({ kind: "invalid_request", status: 0, message: "Code Assist needs an OAuth credential" });
  }
  return auth;
}

export function createCodeAssistClient(options: CodeAssistOptions) {
  const base = joinURL(options.baseUrl, CODE_ASSIST_VERSION);
  const streamUrl = withQuery(`${base}:streamGenerateContent`, { alt: "sse" });
  const headersFor = (token: string, accept?: string): Record<string, string> => {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      "user-agent": options.userAgent ?? "GeminiCLI/0.56.0 (linux; x64; gemini-cli-proxy)",
    };
    if (accept) headers.accept = accept;
    return headers;
  };

  /** Any `v1internal:method` call with a JSON body (loadCodeAssist, onboardUser, retrieveUserQuota...). */
  const failure = (status: number, bodyText: string, headers: Headers) =>
    classifyGoogleError({ status, bodyText, headers });

  function call<T>(accessToken: string, method: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return callJson<T>(options.http, `${base}:${method}`, {
      method: "POST",
      headers: headersFor(accessToken),
      body,
      signal,
      what: method,
      failure,
    });
  }

  function getOperation<T>(accessToken: string, name: string, signal?: AbortSignal): Promise<T> {
    return callJson<T>(options.http, joinURL(base, name), {
      method: "GET",
      headers: headersFor(accessToken),
      signal,
      what: "operation poll",
      failure,
    });
  }

  const wireModel = options.wireModel ?? ((model: string) => model);

  function wrap(auth: UpstreamAuth, c: GenerateCall): unknown {
    const { project } = oauthOf(auth);
    const sessionId = c.sessionId ?? randomUUID();
    // Not `{ ...c.request, session_id }`: V8 builds and serializes that form about twice as slowly.
    const request = Object.assign({}, c.request, { session_id: sessionId });
    return { model: wireModel(c.model), project, user_prompt_id: c.promptId ?? `${sessionId}########0`, request };
  }

  const transport: Transport = {
    async generate(auth, c) {
      const res = await postJson(options.http, `${base}:generateContent`, {
        headers: headersFor(oauthOf(auth).accessToken),
        body: wrap(auth, c),
        signal: c.signal,
        model: c.model,
      });
      return unwrapCodeAssist(await readJson<Wrapped>(res)) ?? { candidates: [] };
    },
    async stream(auth, c) {
      const res = await postJson(options.http, streamUrl, {
        headers: headersFor(oauthOf(auth).accessToken, "text/event-stream"),
        body: wrap(auth, c),
        signal: c.signal,
        model: c.model,
      });
      return sseChunks(res, unwrapCodeAssist);
    },
    async countTokens(auth, c) {
      const contents = c.request.contents ?? c.request.generateContentRequest?.contents ?? [];
      return call<CountTokensResponse>(
        oauthOf(auth).accessToken,
        "countTokens",
        { request: { model: `models/${wireModel(c.model)}`, contents } },
        c.signal && toAbortSignal(c.signal),
      ).then((r) => Object.assign(r, { totalTokens: r.totalTokens ?? 0 }));
    },
  };

  return { transport, call, getOperation };
}

export type CodeAssistClient = ReturnType<typeof createCodeAssistClient>;
