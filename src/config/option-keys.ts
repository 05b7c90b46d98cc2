// The warnings createGeminiProxy() gives once about its options (a typo such as `authkeys`, found
// by the schema's unknownOptionKeys; no client keys at all), and the nearest-name helper the CLI
// uses for mistyped flags.
import type { GeminiProxyOptions } from "./options.ts";
import { editDistance } from "./edit-distance.ts";
import { unknownOptionKeys } from "./unknown-keys.ts";

export { unknownOptionKeys };

/** The candidate nearest to `name` within `max` edits (ties: the first listed). */
export function nearestName(name: string, candidates: readonly string[], max = 2): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance <= max && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** What createGeminiProxy() warns about once, in the library's own words (option names, not config keys). */
export function optionWarnings(options: GeminiProxyOptions): string[] {
  const warnings = unknownOptionKeys(options).map(
    ({ key, suggestion }) =>
      `unknown option "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}: it is ignored`,
  );
  const keys = options.authKeys;
  if (keys === undefined || (Array.isArray(keys) && keys.length === 0))
    warnings.push(
      'no client keys: authKeys is not set, so every API request is refused with 401. Pass authKeys: ["…"], a function (key) => boolean, or authKeys: false to serve without client keys.',
    );
  return warnings;
}
