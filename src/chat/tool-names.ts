// Function names: OpenAI clients (MCP especially) use names Gemini rejects. Gemini accepts
// `[A-Za-z_][A-Za-z0-9_.:-]{0,127}` (FunctionDeclaration.name). We sanitize deterministically, keep
// names unique, and remember sanitized → original to restore names in responses.

const GEMINI_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$/;

export function isValidGeminiName(name: string): boolean {
  return GEMINI_NAME.test(name);
}

export function sanitizeToolName(name: string): string {
  let s = name.replace(/[^A-Za-z0-9_.:-]/g, "_");
  if (!/^[A-Za-z_]/.test(s)) s = `_${s}`;
  return s.slice(0, 128);
}

export interface ToolNameMap {
  /** OpenAI name → Gemini name (stable for the whole request). */
  toGemini(original: string): string;
  /** sanitized Gemini name → original OpenAI name, only for names that changed. */
  readonly renamed: ReadonlyMap<string, string>;
}

/** Most requests rename nothing: one shared empty map, not one per request (a stream holds it). */
const NO_RENAMES: ReadonlyMap<string, string> = new Map();

/** Its maps are made at the first name: a request without tools allocates none. */
export function createToolNameMap(): ToolNameMap {
  let forward: Map<string, string> | undefined;
  let used: Set<string> | undefined;
  let renamed: Map<string, string> | undefined;
  // A plain property, swapped at the first rename (a getter in the literal made V8 build the object
  // on a slow path, about 2 µs).
  const names = {
    renamed: NO_RENAMES,
    toGemini(original: string): string {
      const known = forward?.get(original);
      if (known !== undefined) return known;
      forward ??= new Map();
      used ??= new Set();
      let name = isValidGeminiName(original) ? original : sanitizeToolName(original);
      if (used.has(name)) {
        const stem = name.slice(0, 124);
        for (let i = 2; used.has(name); i++) name = `${stem}_${i}`;
      }
      forward.set(original, name);
      used.add(name);
      if (name !== original) {
        if (!renamed) names.renamed = renamed = new Map();
        renamed.set(name, original);
      }
      return name;
    },
  };
  return names;
}

/** Restore the client's name for a function name Gemini returned. */
export function restoreToolName(names: ReadonlyMap<string, string>, geminiName: string): string {
  return names.get(geminiName) ?? geminiName;
}
