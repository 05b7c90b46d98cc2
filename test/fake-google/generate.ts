// Deterministic "model": decides what a request is answered with (text, thoughts, calls, usage).
import { field, isObject } from "./http-util.ts";
import { signsOutput, thinkingActive, thinkingConfigOf, type ModelInfo } from "./models.ts";
import { sampleFromSchema } from "./schema-value.ts";
import type { StreamScript } from "./types.ts";
import { partsOf } from "./validate.ts";

export interface FunctionCallPlan {
  name: string;
  args?: Record<string, unknown>;
}

export interface Plan {
  model: ModelInfo;
  thoughts?: string;
  /** Thought tokens are reported whenever the model thinks, even when thoughts are not returned. */
  thoughtsTokens: number;
  text: string;
  calls: FunctionCallPlan[];
  images: { mimeType: string; data: string }[];
  finishReason: string | null;
  groundingMetadata?: unknown;
  promptFeedback?: unknown;
  candidates: number;
  signed: boolean;
  usage: { prompt: number; candidates: number; cached?: number };
}

export function tokensFor(chars: number): number {
  return Math.ceil(chars / 4);
}

function textOfParts(parts: Record<string, unknown>[]): string {
  return parts.map((p) => (typeof p.text === "string" ? p.text : JSON.stringify(p))).join("");
}

/** Prompt size in characters: every part of every content plus the system instruction. */
export function promptChars(request: unknown): number {
  const contents = field(request, "contents");
  let chars = Array.isArray(contents) ? contents.reduce((n: number, c) => n + textOfParts(partsOf(c)).length, 0) : 0;
  chars += textOfParts(partsOf(field(request, "systemInstruction"))).length;
  return chars;
}

function declarations(request: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const tools = field(request, "tools");
  for (const tool of Array.isArray(tools) ? tools : []) {
    const decls = field(tool, "functionDeclarations");
    for (const d of Array.isArray(decls) ? decls : []) {
      if (!isObject(d) || typeof d.name !== "string") continue;
      out.set(d.name, field(d, "parametersJsonSchema") ?? field(d, "parameters"));
    }
  }
  return out;
}

function hasSearchTool(request: unknown): boolean {
  const tools = field(request, "tools");
  return (
    Array.isArray(tools) &&
    tools.some((t) => field(t, "googleSearch") !== undefined || field(t, "googleSearchRetrieval") !== undefined)
  );
}

function callsFor(request: unknown, lastText: string): FunctionCallPlan[] {
  const decls = declarations(request);
  if (decls.size === 0) return [];
  const fcc = field(field(request, "toolConfig"), "functionCallingConfig");
  const mode = String(field(fcc, "mode") ?? "AUTO").toUpperCase();
  if (mode === "NONE") return [];
  const m = /call:([\w.-]+(?:,[\w.-]+)*)/.exec(lastText);
  let names = m?.[1]?.split(",").filter((n) => decls.has(n)) ?? [];
  if (names.length === 0 && mode === "ANY") {
    const allowed = field(fcc, "allowedFunctionNames");
    const first = Array.isArray(allowed) && typeof allowed[0] === "string" ? allowed[0] : [...decls.keys()][0];
    names = first ? [first] : [];
  }
  return names.map((name) => {
    const args = sampleFromSchema(decls.get(name), name, 0, false);
    return isObject(args) && Object.keys(args).length > 0 ? { name, args } : { name };
  });
}

function grounding(text: string, query: string): unknown {
  const end = Buffer.byteLength(text);
  return {
    searchEntryPoint: { renderedContent: `<div class="fake-search">${query}</div>` },
    groundingChunks: [1, 2].map((n) => ({ web: { uri: `https://example.com/${n}`, title: `example.com` } })),
    // Segment offsets are UTF-8 byte offsets; a zero startIndex is omitted as in proto3 JSON.
    groundingSupports: [
      { segment: { endIndex: end, text }, groundingChunkIndices: [0, 1], confidenceScores: [0.9, 0.8] },
    ],
    webSearchQueries: [query],
  };
}

export function makePlan(model: ModelInfo, request: unknown, script: StreamScript = {}): Plan {
  const contents = (field(request, "contents") as unknown[]).filter(isObject);
  const lastUser = [...contents].reverse().find((c) => (c.role ?? "user") === "user");
  const userParts = partsOf(lastUser);
  const texts = userParts.filter((p) => typeof p.text === "string").map((p) => p.text as string);
  const lastText = texts[texts.length - 1] ?? "";
  const responses = userParts.map((p) => field(p, "functionResponse")).filter(isObject);

  const calls = script.functionCalls ?? (responses.length > 0 ? [] : callsFor(request, lastText));
  const gc = field(request, "generationConfig");
  const mime = field(gc, "responseMimeType");
  const sys = textOfParts(partsOf(field(request, "systemInstruction")).filter((p) => typeof p.text === "string"));

  let text: string;
  if (script.text !== undefined) text = script.text;
  else if (calls.length > 0) text = "";
  else if (mime === "application/json") {
    const schema = field(gc, "responseJsonSchema") ?? field(gc, "responseSchema");
    text = JSON.stringify(
      schema !== undefined ? sampleFromSchema(schema, "value") : { answer: `Echo from ${model.id}: ${lastText}` },
    );
  } else {
    const body =
      responses.length > 0
        ? `Tool results: ${JSON.stringify(responses.map((r) => ({ name: r.name, response: r.response })))}`
        : `Echo from ${model.id}: ${lastText}`;
    text = `${sys ? `[system: ${sys.slice(0, 40)}] ` : ""}${body}`;
  }

  const tc = thinkingConfigOf(request);
  const active = thinkingActive(model, tc) || script.forceThoughts === true;
  const thoughtText =
    script.thoughts ??
    `**Considering the request**\nThe user wrote "${lastText.slice(0, 60)}". I will answer directly.`;
  const include = script.forceThoughts === true || (active && field(tc, "includeThoughts") === true);

  const candidateCount = script.candidates ?? Number(field(gc, "candidateCount") ?? 1);
  const u = script.usage ?? {};
  return {
    model,
    thoughts: include ? thoughtText : undefined,
    thoughtsTokens: u.thoughtsTokenCount ?? (active ? tokensFor(thoughtText.length) : 0),
    text,
    calls,
    images: script.images ?? [],
    finishReason: script.finishReason === undefined ? "STOP" : script.finishReason,
    groundingMetadata: script.groundingMetadata ?? (hasSearchTool(request) ? grounding(text, lastText) : undefined),
    promptFeedback: script.promptFeedback,
    candidates: Number.isInteger(candidateCount) && candidateCount > 1 ? candidateCount : 1,
    signed: signsOutput(model) || (script.signAll25 === true && model.family === "2.5"),
    usage: {
      prompt: u.promptTokenCount ?? Math.max(1, tokensFor(promptChars(request))),
      candidates: u.candidatesTokenCount ?? tokensFor(text.length + (calls.length ? JSON.stringify(calls).length : 0)),
      cached: u.cachedContentTokenCount,
    },
  };
}
