// Loose structural types for the public Gemini API JSON (camelCase, as generativelanguage speaks it).
// They document the fields we read or write; unknown fields always pass through untouched.

/** A part of Gemini content: text, thought, inline data, function call or response. */
export interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType?: string; fileUri: string };
  functionCall?: { id?: string; name: string; args?: Record<string, unknown> };
  functionResponse?: { id?: string; name: string; response: Record<string, unknown> };
  executableCode?: { language?: string; code: string };
  codeExecutionResult?: { outcome?: string; output?: string };
  [key: string]: unknown;
}

/** A turn of a Gemini conversation. */
export interface GeminiContent {
  role?: "user" | "model" | (string & {});
  parts: GeminiPart[];
}

/** A function the model may call. */
export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
  parametersJsonSchema?: unknown;
  [key: string]: unknown;
}

/** A Gemini tool: function declarations or a built-in tool (Google Search, URL context, code execution). */
export interface GeminiTool {
  functionDeclarations?: GeminiFunctionDeclaration[];
  googleSearch?: Record<string, unknown>;
  urlContext?: Record<string, unknown>;
  codeExecution?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Thinking settings of a Gemini request. */
export interface GeminiThinkingConfig {
  includeThoughts?: boolean;
  thinkingBudget?: number;
  thinkingLevel?: string;
}

/** Generation settings of a Gemini request. */
export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  topK?: number;
  candidateCount?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  presencePenalty?: number;
  frequencyPenalty?: number;
  seed?: number;
  responseMimeType?: string;
  responseSchema?: unknown;
  responseJsonSchema?: unknown;
  responseLogprobs?: boolean;
  logprobs?: number;
  thinkingConfig?: GeminiThinkingConfig;
  [key: string]: unknown;
}

/** The body of `models/{model}:generateContent` on the Gemini API (and `request` inside Code Assist). */
export interface GenerateContentRequest {
  contents: GeminiContent[];
  systemInstruction?: GeminiContent;
  tools?: GeminiTool[];
  toolConfig?: {
    functionCallingConfig?: { mode?: string; allowedFunctionNames?: string[] };
    [key: string]: unknown;
  };
  safetySettings?: { category: string; threshold: string }[];
  generationConfig?: GeminiGenerationConfig;
  cachedContent?: string;
  labels?: Record<string, string>;
  [key: string]: unknown;
}

/** Token counts Google reports for a response. */
export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
  [key: string]: unknown;
}

/** One candidate answer of a Gemini response. */
export interface GeminiCandidate {
  content?: GeminiContent;
  finishReason?: string;
  finishMessage?: string;
  index?: number;
  safetyRatings?: unknown[];
  citationMetadata?: unknown;
  groundingMetadata?: {
    webSearchQueries?: string[];
    groundingChunks?: { web?: { uri?: string; title?: string } }[];
    groundingSupports?: {
      segment?: { startIndex?: number; endIndex?: number; text?: string };
      groundingChunkIndices?: number[];
    }[];
    [key: string]: unknown;
  };
  logprobsResult?: unknown;
  avgLogprobs?: number;
  [key: string]: unknown;
}

/** One response (non-streaming) or one chunk (streaming) of the Gemini API. */
export interface GenerateContentResponse {
  candidates?: GeminiCandidate[];
  promptFeedback?: { blockReason?: string; safetyRatings?: unknown[] };
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
  [key: string]: unknown;
}

/** Body of a native `countTokens` call. */
export interface CountTokensRequest {
  contents?: GeminiContent[];
  generateContentRequest?: GenerateContentRequest & { model?: string };
  [key: string]: unknown;
}

/** Answer of a native `countTokens` call. */
export interface CountTokensResponse {
  totalTokens: number;
  [key: string]: unknown;
}
