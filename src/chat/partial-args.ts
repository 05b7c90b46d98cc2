// Streamed function-call arguments (Vertex `streamFunctionCallArguments`, seen in recorded Gemini
// streams): a `functionCall {name, willContinue:true}` opens a call, `{partialArgs:[{jsonPath,
// stringValue|numberValue|boolValue|nullValue, willContinue?}], willContinue?}` parts fill it (strings
// are appended piecewise), and a functionCall part without `willContinue` closes it.

import type { GeminiPart } from "../gemini/types.ts";
import { isRecord } from "./values.ts";

type Json = Record<string, unknown> | unknown[];

/** "$.a.b[0]['c d']" → ["a", "b", 0, "c d"] */
export function parseJsonPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/g;
  for (const m of path.replace(/^\$/, "").matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push((m[3] ?? m[4] ?? "").replace(/\\(.)/g, "$1"));
  }
  return out;
}

function valueOf(p: Record<string, unknown>): { value: unknown; append: boolean } | undefined {
  if (typeof p.stringValue === "string") return { value: p.stringValue, append: true };
  if ("numberValue" in p) return { value: p.numberValue, append: false };
  if ("boolValue" in p) return { value: p.boolValue, append: false };
  if ("nullValue" in p) return { value: null, append: false };
  for (const [k, v] of Object.entries(p)) if (k.endsWith("Value")) return { value: v, append: false };
  return undefined;
}

export function applyPartialArgs(args: Record<string, unknown>, partials: unknown): void {
  if (!Array.isArray(partials)) return;
  for (const p of partials) {
    if (!isRecord(p) || typeof p.jsonPath !== "string") continue;
    const v = valueOf(p);
    const path = parseJsonPath(p.jsonPath);
    if (!v || path.length === 0) continue;
    let node: Json = args;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i] as string | number;
      const nextIsIndex = typeof path[i + 1] === "number";
      const container = node as Record<string | number, unknown>;
      if (typeof container[key] !== "object" || container[key] === null) container[key] = nextIsIndex ? [] : {};
      node = container[key] as Json;
    }
    const leaf = path[path.length - 1] as string | number;
    const target = node as Record<string | number, unknown>;
    const current = target[leaf];
    target[leaf] = v.append && typeof current === "string" ? current + (v.value as string) : v.value;
  }
}

/** A call whose arguments are still streaming in. */
export interface PendingCall {
  name: string;
  id?: string;
  signature?: string;
  args: Record<string, unknown>;
}

/** A functionCall part as streamed: `willContinue` and `partialArgs` beside the usual fields. */
export type StreamedCall = GeminiPart["functionCall"] & { willContinue?: boolean; partialArgs?: unknown };

/**
 * One functionCall part through the open / fill / close protocol above, for the chat and block
 * translators alike: complete calls (and the pending one, once closed) go to `emit` with their
 * signature; returns the call still open, if any.
 */
export function feedCall(
  pending: PendingCall | undefined,
  fc: StreamedCall,
  signature: string | undefined,
  emit: (call: PendingCall, signature: string | undefined) => void,
): PendingCall | undefined {
  if (typeof fc.name === "string" && fc.name.length > 0) {
    if (pending) emit(pending, pending.signature); // a new call closes the open one
    const call = { name: fc.name, id: fc.id, args: fc.args ?? {} };
    if (!fc.willContinue) {
      emit(call, signature);
      return undefined;
    }
    const open: PendingCall = { name: call.name, id: call.id, args: call.args, signature };
    applyPartialArgs(open.args, fc.partialArgs);
    return open;
  }
  if (!pending) return undefined;
  applyPartialArgs(pending.args, fc.partialArgs);
  if (fc.willContinue) return pending;
  emit(pending, pending.signature);
  return undefined;
}
