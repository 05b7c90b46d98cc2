// Neutral turns → Gemini systemInstruction + contents (docs/openai-mapping.md#conversation-to-contents):
// leading system turns → systemInstruction, later ones → a marked user text at their position;
// assistant → a model turn (text, then one functionCall per call, thought signatures restored);
// tool results answering one assistant turn → ONE user turn in call order, missing ones synthesized,
// orphans turned into text; adjacent same-role turns merged; history starts with a user turn and does
// not end on a model text turn.

import type { GeminiContent, GeminiPart } from "../gemini/types.ts";
import { invalidParam } from "./errors.ts";
import { mediaPart, type MediaMap } from "./media.ts";
import { ensureCurrentTurnSignatures } from "./signatures.ts";
import type { ToolNameMap } from "./tool-names.ts";
import type { ChatTurn, ToolCallBlock, ToolResultBlock } from "./types.ts";
import { isRecord } from "./values.ts";

export interface ContentsContext {
  names: ToolNameMap;
  media?: MediaMap;
  /** Thought signatures the route loaded from storage, by call id. */
  signatures?: ReadonlyMap<string, string>;
}

export interface ConvertedContents {
  systemInstruction?: GeminiContent;
  contents: GeminiContent[];
}

/** Ids Gemini itself produced are echoed upstream; ids we minted (`call_…`, Anthropic-style `toolu_…`) are not. */
export function isUpstreamCallId(id: string | undefined): id is string {
  return typeof id === "string" && id.length > 0 && !id.startsWith("call_") && !id.startsWith("toolu_");
}

/** `fields` with Gemini's own call id first when there is one (not `{ ...(id ? { id } : {}), … }`: slow in V8). */
function withUpstreamId<T extends object>(id: string | undefined, fields: T): T & { id?: string } {
  return Object.assign(isUpstreamCallId(id) ? { id } : {}, fields);
}

/**
 * A system message in the middle of the conversation (Claude Code's environment notes, LangChain's
 * later SystemMessages): kept at its position as user text, marked so the model reads it as an
 * instruction rather than as the user's words (see docs/openai-mapping.md#conversation-to-contents).
 */
export function laterSystemText(text: string): string {
  return `<system-instruction>\n${text}\n</system-instruction>`;
}

function toolResponse(result: ToolResultBlock): Record<string, unknown> {
  // Gemini reads {error} in a function response as a failed call.
  if (result.isError) return { error: result.content || "The tool failed." };
  try {
    const v: unknown = JSON.parse(result.content);
    if (isRecord(v)) return v;
  } catch {
    // plain text
  }
  return { output: result.content };
}

interface OpenCall {
  id?: string;
  name: string; // Gemini-side name
  result?: GeminiPart;
}

const textOf = (turn: ChatTurn): string => turn.blocks.map((b) => (b.type === "text" ? b.text : "")).join("");

export function toContents(turns: readonly ChatTurn[], ctx: ContentsContext): ConvertedContents {
  const system: string[] = [];
  const out: GeminiContent[] = [];
  let group: OpenCall[] | undefined;
  let orphans: GeminiPart[] = [];
  let seenConversation = false;
  let knownIds: Set<string> | undefined; // ids of the request's tool calls (none in most requests)
  for (const t of turns)
    if (t.role === "assistant")
      for (const b of t.blocks) if (b.type === "tool_call" && b.id) (knownIds ??= new Set()).add(b.id);

  const flush = (): void => {
    const parts: GeminiPart[] = (group ?? []).map(
      (c) =>
        c.result ?? {
          functionResponse: withUpstreamId(c.id, { name: c.name, response: { error: "no result" } }),
        },
    );
    parts.push(...orphans);
    if (parts.length) out.push({ role: "user", parts });
    group = undefined;
    orphans = [];
  };

  const answer = (result: ToolResultBlock): void => {
    let call: OpenCall | undefined;
    if (result.callId !== undefined) {
      const id = result.callId;
      const open = (group ?? []).filter((c) => !c.result);
      call = group?.find((c) => c.id === id && !c.result);
      // Positional fallback for clients that rewrite ids (an id no assistant turn in the request
      // carries): prefer an open call with the result's `name`, else the first open call.
      if (!call && !knownIds?.has(id))
        call = open.find((c) => result.name !== undefined && c.name === ctx.names.toGemini(result.name)) ?? open[0];
    } else if (result.name !== undefined) {
      const name = ctx.names.toGemini(result.name);
      call = group?.find((c) => c.name === name && !c.result);
    }
    if (call) {
      call.result = {
        functionResponse: withUpstreamId(call.id, { name: call.name, response: toolResponse(result) }),
      };
      return;
    }
    const label = result.name ?? result.callId ?? "tool";
    orphans.push({ text: `[${label} result] ${result.content}` });
    if (!group) flush();
  };

  const callPart = (b: ToolCallBlock, thinkingSignature: string | undefined): GeminiPart => {
    const name = ctx.names.toGemini(b.name);
    const part: GeminiPart = { functionCall: withUpstreamId(b.id, { name, args: b.args }) };
    const sig = b.signature ?? thinkingSignature ?? (b.id !== undefined ? ctx.signatures?.get(b.id) : undefined);
    if (sig) part.thoughtSignature = sig;
    return part;
  };

  for (const turn of turns) {
    if (turn.role === "user") {
      let others = 0;
      for (const b of turn.blocks)
        if (b.type === "tool_result") answer(b);
        else others++;
      seenConversation = true;
      if (others === 0 && turn.blocks.length > 0) continue; // only results: the group stays open
      if (group || orphans.length) flush();
      // One pass, no intermediate arrays: every request has at least one user turn.
      const parts: GeminiPart[] = [];
      let hasText = false;
      for (const b of turn.blocks) {
        if (b.type === "text" && b.text) {
          parts.push({ text: b.text });
          hasText = true;
        } else if (b.type === "media") parts.push(mediaPart(b.source, b.param, ctx.media));
      }
      if (parts.length && !hasText) parts.push({ text: "" }); // media alone: Gemini wants a text part too
      if (parts.length) out.push({ role: "user", parts });
      continue;
    }
    if (group || orphans.length) flush();
    if (turn.role === "system") {
      const text = textOf(turn);
      if (!seenConversation) system.push(text);
      else if (text) out.push({ role: "user", parts: [{ text: laterSystemText(text) }] });
      continue;
    }
    seenConversation = true;
    const text = textOf(turn);
    const parts: GeminiPart[] = text ? [{ text }] : [];
    const calls: OpenCall[] = [];
    let thinking: string | undefined;
    for (const b of turn.blocks) {
      if (b.type === "thinking") {
        if (b.signature) thinking = b.signature;
      } else if (b.type === "tool_call") {
        parts.push(callPart(b, thinking));
        thinking = undefined; // a thinking block signs the one call after it
        calls.push({ id: b.id, name: ctx.names.toGemini(b.name) });
      }
    }
    const own = turn.signature ?? thinking;
    if (calls.length === 0 && parts.length > 0 && own) (parts[parts.length - 1] as GeminiPart).thoughtSignature = own;
    if (parts.length) out.push({ role: "model", parts });
    if (calls.length) group = calls;
  }
  flush();

  // Merge adjacent turns with the same role (Gemini wants user/model alternation).
  const contents: GeminiContent[] = [];
  for (const c of out) {
    const last = contents[contents.length - 1];
    if (last && last.role === c.role) last.parts.push(...c.parts);
    else contents.push({ role: c.role, parts: [...c.parts] });
  }
  const systemText = system.filter((s) => s.length > 0).join("\n\n");
  let systemInstruction: GeminiContent | undefined = systemText ? { parts: [{ text: systemText }] } : undefined;
  if (contents.length === 0) {
    if (!systemInstruction)
      throw invalidParam("messages", "'messages' must contain at least one message with content.");
    contents.push({ role: "user", parts: systemInstruction.parts });
    systemInstruction = undefined;
  }
  if (contents[0]?.role === "model") contents.unshift({ role: "user", parts: [{ text: " " }] });
  const last = contents[contents.length - 1];
  if (last?.role === "model" && !last.parts.some((x) => x.functionCall))
    contents.push({ role: "user", parts: [{ text: "Continue." }] });
  ensureCurrentTurnSignatures(contents);
  return systemInstruction ? { systemInstruction, contents } : { contents };
}
