// The neutral chat request every client dialect is read into (OpenAI chat, Anthropic Messages,
// OpenAI Responses) and that one mapping turns into a Gemini request (to-gemini.ts). Plain data:
// nothing here knows a wire format, and every client spelling is gone once a surface built it.

import type { ResolvedModel } from "../gemini/models.ts";
import type { ThinkingWish } from "../gemini/thinking.ts";
import type { GeminiGenerationConfig } from "../gemini/types.ts";

/** Where the bytes of an image, document or audio part are. */
export type MediaSource =
  | { kind: "inline"; mimeType: string; data: string }
  /** A Google-hosted URI Gemini reads itself (Files API, YouTube, gs://). */
  | { kind: "file"; uri: string; mimeType?: string }
  /** An http(s) URL the route fetches before the mapping (see media.ts). */
  | { kind: "url"; url: string };

export interface TextBlock {
  type: "text";
  text: string;
}
export interface MediaBlock {
  type: "media";
  source: MediaSource;
  /** The client's path to this part, for errors about it (`messages[0].content[1].image_url.url`). */
  param: string;
}
export interface ToolCallBlock {
  type: "tool_call";
  /** The client's id for the call (Gemini's own ids are echoed upstream, minted ones are not). */
  id?: string;
  name: string;
  args: Record<string, unknown>;
  /** Gemini's thought signature as the client gave it back (the store is consulted otherwise). */
  signature?: string;
}
export interface ToolResultBlock {
  type: "tool_result";
  /** The call it answers; absent for legacy `function` results (matched by name). */
  callId?: string;
  name?: string;
  /** The result as text (JSON text stays text: the mapping decides how Gemini gets it). */
  content: string;
  isError?: boolean;
}
export interface ThinkingBlock {
  type: "thinking";
  text: string;
  signature?: string;
}
export type ContentBlock = TextBlock | MediaBlock | ToolCallBlock | ToolResultBlock | ThinkingBlock;

/**
 * One turn. `system` turns before any other turn are the system instructions; later ones are
 * instructions given at that point of the conversation (see to-gemini.ts for where they go).
 */
export interface ChatTurn {
  role: "system" | "user" | "assistant";
  blocks: ContentBlock[];
  /** An assistant turn's own thought signature when it made no call (signs its last part). */
  signature?: string;
}

export interface ChatTool {
  name: string;
  description?: string;
  /** JSON Schema of the arguments; absent or empty means "no parameters". */
  schema?: Record<string, unknown>;
}

export type ToolChoice =
  | { mode: "auto" }
  | { mode: "none" }
  /** Some tool must be called: any of `names` when given, else any tool. */
  | { mode: "required"; names?: string[] }
  /** The model may call only `names` (or answer in text). */
  | { mode: "allowed"; names: string[] };

/** JSON output; `param` is the client's path to the format, for errors about it. */
export type ResponseFormat =
  { type: "json"; param: string } | { type: "json_schema"; schema?: Record<string, unknown>; param: string };

/** The Gemini generation settings a client may set directly (stop sequences: at most MAX_STOP_SEQUENCES). */
export type GenerationSettings = Pick<
  GeminiGenerationConfig,
  | "temperature"
  | "topP"
  | "topK"
  | "candidateCount"
  | "maxOutputTokens"
  | "stopSequences"
  | "presencePenalty"
  | "frequencyPenalty"
  | "seed"
> & {
  /** Token log probabilities, with this many alternatives per token. */
  logprobs?: { top?: number };
};

export interface ChatRequest {
  model: ResolvedModel;
  turns: ChatTurn[];
  tools: ChatTool[];
  /** Google Search grounding (a built-in tool). */
  search: boolean;
  toolChoice?: ToolChoice;
  responseFormat?: ResponseFormat;
  generation: GenerationSettings;
  /** What the client asked about thinking, before the per-model clamp. */
  reasoning: ThinkingWish;
  stream: boolean;
  /** Gemini pass-throughs some dialects allow (extra_body.google). */
  safetySettings?: { category: string; threshold: string }[];
  cachedContent?: string;
}

/** Why an answer ended, the same for every surface (each spells it its own way). */
export type FinishReason = "stop" | "length" | "tool_calls" | "filtered" | "stop_sequence";
