// Option names the schema does not know (`authkeys`, `pool.maxAttempt`, `auth_keys`), each with the
// nearest valid option, so the caller can warn about a typo that would otherwise be silently ignored.
import { editDistance } from "./edit-distance.ts";
import { metaOf } from "./schema/meta.ts";
import { optionsSchema } from "./schema/options.ts";

export interface UnknownOptionKey {
  /** Dotted path of the unknown key, e.g. "pool.maxAttempt". */
  key: string;
  /** The closest valid option path, when one is close enough. */
  suggestion?: string;
}

type Node = { type: string; wrapped?: Node; entries?: Record<string, Node> };

/** Groups whose keys are options (not records such as `projectIdMap`, nor values such as `storage`). */
function groupEntries(schema: Node): Record<string, Node> | undefined {
  const inner = schema.type === "optional" ? schema.wrapped! : schema;
  return inner.type === "object" && !metaOf(inner as never) ? inner.entries : undefined;
}

const OPTION_PATHS: string[] = [];
(function collect(entries: Record<string, Node>, prefix: string) {
  for (const [name, entry] of Object.entries(entries)) {
    const path = prefix + name;
    OPTION_PATHS.push(path);
    const nested = groupEntries(entry);
    if (nested) collect(nested, `${path}.`);
  }
})((optionsSchema as unknown as Node).entries!, "");

const normal = (s: string) => s.toLowerCase().replace(/[_-]/g, "");

function nearest(path: string): string | undefined {
  const parent = path.slice(0, path.lastIndexOf(".") + 1);
  const last = normal(path.slice(parent.length));
  let best: { path: string; score: number } | undefined;
  for (const candidate of OPTION_PATHS) {
    const candidateParent = candidate.slice(0, candidate.lastIndexOf(".") + 1);
    // Same name under another group (`budgetMs` for `pool.budgetMs`) costs one edit.
    const score = Math.min(
      editDistance(normal(path), normal(candidate)),
      editDistance(last, normal(candidate.slice(candidateParent.length))) + (candidateParent === parent ? 0 : 1),
    );
    if (!best || score < best.score) best = { path: candidate, score };
  }
  return best && best.score <= Math.max(2, Math.floor(last.length / 3)) ? best.path : undefined;
}

/** Keys of `options` (nested groups included) that are no option, each with the nearest valid name. */
export function unknownOptionKeys(options: object): UnknownOptionKey[] {
  const out: UnknownOptionKey[] = [];
  const visit = (value: object, entries: Record<string, Node>, prefix: string) => {
    for (const [key, child] of Object.entries(value)) {
      const entry = entries[key];
      if (!entry) {
        out.push({ key: prefix + key, suggestion: nearest(prefix + key) });
        continue;
      }
      const nested = groupEntries(entry);
      if (nested && child && typeof child === "object" && !Array.isArray(child))
        visit(child, nested, `${prefix}${key}.`);
    }
  };
  visit(options, (optionsSchema as unknown as Node).entries!, "");
  return out;
}
