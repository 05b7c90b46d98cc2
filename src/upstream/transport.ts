// The interface both upstreams (Code Assist for OAuth accounts, Gemini API for keys) implement, so
// dispatch never cares which kind of credential it leased.
import type {
  CountTokensRequest,
  CountTokensResponse,
  GenerateContentRequest,
  GenerateContentResponse,
} from "../gemini/types.ts";

export type UpstreamAuth =
  { kind: "oauth"; accessToken: string; project?: string } | { kind: "api_key"; apiKey: string };

export interface GenerateCall {
  /** Bare model id as Google knows it ("gemini-2.5-pro"). */
  model: string;
  request: GenerateContentRequest;
  signal?: ClientSignal;
  /** Sent as Code Assist `user_prompt_id` / `session_id` (ignored by the Gemini API). */
  promptId?: string;
  sessionId?: string;
}

export interface CountTokensCall {
  model: string;
  request: CountTokensRequest;
  signal?: ClientSignal;
}

export interface Transport {
  generate(auth: UpstreamAuth, call: GenerateCall): Promise<GenerateContentResponse>;
  /**
   * Resolves once Google answered 2xx (so a failure before the first byte can still fail over);
   * the iterable then yields parsed chunks. Breaking out of it releases the upstream connection.
   */
  stream(auth: UpstreamAuth, call: GenerateCall): Promise<AsyncIterable<GenerateContentResponse>>;
  countTokens(auth: UpstreamAuth, call: CountTokensCall): Promise<CountTokensResponse>;
}

/**
 * The client's abort signal as upstream calls use it. A real AbortSignal fits; so does the lighter
 * one tied to a Node response (http/client-signal.ts), which spares every request an AbortController
 * (undici and node's timers only read these members).
 */
export interface ClientSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** A real AbortSignal for APIs that insist on one (fetch, `AbortSignal.any`): built only when asked. */
export function toAbortSignal(signal: ClientSignal): AbortSignal {
  if (signal instanceof AbortSignal) return signal;
  const controller = new AbortController();
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  return controller.signal;
}
