// Turns a Plan into GenerateContentResponse objects: stream chunks or one aggregated response,
// shaped like the recorded fixtures (responseId/modelVersion everywhere, finishReason last only).
import type { Plan } from "./generate.ts";
import { tokensFor } from "./generate.ts";

type Part = Record<string, unknown>;

export interface ResponseMeta {
  responseId: string;
  /** Vertex-style surfaces (Code Assist) also carry createTime. */
  createTime?: string;
}

export interface ChunkOptions {
  deltaChars: number;
  usageOnLastChunkOnly: boolean;
  issueSignature: () => string;
}

function usage(plan: Plan, candidates: number): Record<string, unknown> {
  const prompt = plan.usage.prompt;
  const u: Record<string, unknown> = { promptTokenCount: prompt };
  if (candidates > 0) u.candidatesTokenCount = candidates; // proto3 JSON omits zero counts
  u.totalTokenCount = prompt + candidates + plan.thoughtsTokens;
  u.promptTokensDetails = [{ modality: "TEXT", tokenCount: prompt }];
  if (plan.thoughtsTokens > 0) u.thoughtsTokenCount = plan.thoughtsTokens;
  if (plan.usage.cached) u.cachedContentTokenCount = plan.usage.cached;
  return u;
}

function envelope(
  plan: Plan,
  meta: ResponseMeta,
  candidates: unknown[] | undefined,
  usageMeta: unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (candidates) out.candidates = candidates;
  if (plan.promptFeedback !== undefined) out.promptFeedback = plan.promptFeedback;
  if (usageMeta !== undefined) out.usageMetadata = usageMeta;
  out.modelVersion = plan.model.id;
  if (meta.createTime) out.createTime = meta.createTime;
  out.responseId = meta.responseId;
  return out;
}

function callParts(plan: Plan, sign: () => string): Part[] {
  return plan.calls.map((c, i) => {
    const part: Part = { functionCall: c.args ? { name: c.name, args: c.args } : { name: c.name } };
    if (i === 0 && plan.signed) part.thoughtSignature = sign(); // parallel calls: only the first is signed
    return part;
  });
}

/** Splits by code points so a delta never cuts a surrogate pair. */
export function splitText(text: string, size: number): string[] {
  const cps = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < cps.length; i += size) out.push(cps.slice(i, i + size).join(""));
  return out;
}

export function buildChunks(plan: Plan, meta: ResponseMeta, opts: ChunkOptions): Record<string, unknown>[] {
  if (plan.promptFeedback !== undefined && plan.calls.length === 0 && plan.text === "") {
    return [envelope(plan, meta, undefined, usage(plan, 0))];
  }
  const events: { parts: Part[]; chars: number }[] = [];
  if (plan.thoughts) events.push({ parts: [{ text: plan.thoughts, thought: true }], chars: 0 });
  for (const delta of splitText(plan.text, Math.max(1, opts.deltaChars)))
    events.push({ parts: [{ text: delta }], chars: delta.length });
  if (plan.images.length > 0) events.push({ parts: plan.images.map((inlineData) => ({ inlineData })), chars: 0 });
  if (plan.calls.length > 0)
    events.push({ parts: callParts(plan, opts.issueSignature), chars: JSON.stringify(plan.calls).length });
  if (plan.signed) {
    // Gemini 3 closes with an empty text part: signed when no call was made (fixtures).
    events.push({
      parts: [plan.calls.length > 0 ? { text: "" } : { text: "", thoughtSignature: opts.issueSignature() }],
      chars: 0,
    });
  }
  if (events.length === 0) events.push({ parts: [{ text: "" }], chars: 0 });

  let emitted = 0;
  return events.map((ev, i) => {
    const last = i === events.length - 1;
    emitted += ev.chars;
    const candidate: Record<string, unknown> = { content: { parts: ev.parts, role: "model" } };
    if (last && plan.finishReason) candidate.finishReason = plan.finishReason;
    candidate.index = 0;
    if (last && plan.groundingMetadata !== undefined) candidate.groundingMetadata = plan.groundingMetadata;
    const cands = last ? plan.usage.candidates : Math.min(plan.usage.candidates, tokensFor(emitted));
    const u = opts.usageOnLastChunkOnly && !last ? undefined : usage(plan, cands);
    const chunkPlan = last ? plan : { ...plan, promptFeedback: undefined };
    return envelope(chunkPlan, meta, [candidate], u);
  });
}

export function buildAggregate(plan: Plan, meta: ResponseMeta, issueSignature: () => string): Record<string, unknown> {
  if (plan.promptFeedback !== undefined && plan.calls.length === 0 && plan.text === "") {
    return envelope(plan, meta, undefined, usage(plan, 0));
  }
  const candidates = Array.from({ length: plan.candidates }, (_, i) => {
    const text = i === 0 ? plan.text : `${plan.text} [candidate ${i}]`;
    const parts: Part[] = [];
    if (plan.thoughts) parts.push({ text: plan.thoughts, thought: true });
    if (text !== "" || plan.calls.length === 0) parts.push({ text });
    parts.push(...plan.images.map((inlineData) => ({ inlineData })));
    parts.push(...callParts(plan, issueSignature));
    const lastPart = parts[parts.length - 1];
    // Without a call, Gemini 3 signs the (last) text part of a non-streamed answer (fixtures).
    if (plan.signed && plan.calls.length === 0 && lastPart) lastPart.thoughtSignature = issueSignature();
    const c: Record<string, unknown> = { content: { parts, role: "model" } };
    if (plan.finishReason) c.finishReason = plan.finishReason;
    c.index = i;
    if (plan.calls.length > 0 && plan.model.family === "3") c.finishMessage = "Model generated function call(s).";
    if (plan.groundingMetadata !== undefined) c.groundingMetadata = plan.groundingMetadata;
    return c;
  });
  const cands = plan.usage.candidates * plan.candidates;
  return envelope(plan, meta, candidates, usage(plan, cands));
}
