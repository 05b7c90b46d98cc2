// Reply scripts: a test decides the "model's" next answer from what the client really sent (its
// declared tools, the function calls and responses so far). The answer is a StreamScript, so the
// fake's own builder still renders it (usageMetadata, finishReason, Gemini 3 thoughtSignatures).
import { field, isObject } from "./http-util.ts";
import type { FakeRequestRecord, ReplyRequest, ReplyScript, StreamScript } from "./types.ts";
import { partsOf } from "./validate.ts";

export function replyRequest(model: string, request: unknown, record: FakeRequestRecord): ReplyRequest {
  const req = isObject(request) ? request : {};
  const schemas = new Map<string, unknown>();
  const tools = field(req, "tools");
  for (const tool of Array.isArray(tools) ? tools : []) {
    const decls = field(tool, "functionDeclarations");
    for (const d of Array.isArray(decls) ? decls : []) {
      if (isObject(d) && typeof d.name === "string")
        schemas.set(d.name, field(d, "parametersJsonSchema") ?? field(d, "parameters"));
    }
  }
  const contents = (Array.isArray(req.contents) ? req.contents : []).filter(isObject);
  const functionCalls: ReplyRequest["functionCalls"] = [];
  const functionResponses: ReplyRequest["functionResponses"] = [];
  let lastUserText = "";
  const userTexts: string[] = partsOf(field(req, "systemInstruction"))
    .filter((p) => typeof p.text === "string")
    .map((p) => p.text as string);
  for (const c of contents) {
    const parts = partsOf(c);
    for (const p of parts) {
      const call = field(p, "functionCall");
      if (isObject(call) && typeof call.name === "string") functionCalls.push({ name: call.name, args: call.args });
      const resp = field(p, "functionResponse");
      if (isObject(resp) && typeof resp.name === "string")
        functionResponses.push({ name: resp.name, response: resp.response });
    }
    const texts = parts.filter((p) => typeof p.text === "string" && p.thought !== true).map((p) => p.text as string);
    if ((c.role ?? "user") === "user" && texts.length > 0) {
      lastUserText = texts.join("\n");
      userTexts.push(...texts);
    }
  }
  return {
    model,
    request: req,
    record,
    declared: [...schemas.keys()],
    schemas,
    functionCalls,
    functionResponses,
    lastUserText,
    userTexts,
  };
}

/** The first reply script that answers, or undefined (default answer). */
export function scriptedReply(replies: ReplyScript[], req: ReplyRequest): StreamScript | undefined {
  for (const reply of replies) {
    const script = reply(req);
    if (script) return script;
  }
  return undefined;
}

export interface ToolRoundTripOptions {
  /** The tool to call: a name, or a pick among the declared names (e.g. the first of several aliases). */
  tool: string | ((declared: string[], req: ReplyRequest) => string | undefined);
  /** Arguments of the call (a function gets the tool's declared parameter schema). */
  args: Record<string, unknown> | ((schema: unknown, req: ReplyRequest) => Record<string, unknown>);
  /** Text of the final answer once the tool's result is in the conversation. */
  answer?: (response: unknown, req: ReplyRequest) => string;
  /** Only requests this returns true for take part (e.g. the main agent loop, not a side call). */
  when?: (req: ReplyRequest) => boolean;
}

/** Default final answer: quotes the tool result the client sent back. */
export function quoteToolResult(response: unknown): string {
  return `The tool returned: ${typeof response === "string" ? response : JSON.stringify(response)}`;
}

/**
 * One tool round trip, the way a model does it: when the request declares the tool and the
 * conversation has no functionResponse for it yet, answer with a functionCall to it; once the
 * client sent the result back, answer with text that quotes it. Other requests get the default answer.
 */
export function toolRoundTrip(options: ToolRoundTripOptions): ReplyScript {
  return (req) => {
    if (options.when && !options.when(req)) return undefined;
    const name = typeof options.tool === "function" ? options.tool(req.declared, req) : options.tool;
    if (!name || !req.declared.includes(name)) return undefined;
    const result = [...req.functionResponses].reverse().find((r) => r.name === name);
    if (result) return { text: (options.answer ?? quoteToolResult)(result.response, req) };
    const args = typeof options.args === "function" ? options.args(req.schemas.get(name), req) : options.args;
    return { functionCalls: [{ name, args }] };
  };
}

/**
 * Answers `text` to every request whose user (or system) text contains `marker`, except requests
 * for JSON output (a client's side calls, e.g. a router's classifier), which keep the default answer.
 */
export function answerWhen(marker: string, text: string): ReplyScript {
  return (req) => {
    if (field(field(req.request, "generationConfig"), "responseMimeType") === "application/json") return undefined;
    return req.userTexts.some((t) => t.includes(marker)) ? { text } : undefined;
  };
}
