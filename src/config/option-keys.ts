// Library options the proxy does not know (`authkeys` for `authKeys`), each with the nearest valid
// name, so a typo is warned about instead of silently ignored. Top-level names only, from a list the
// compiler keeps equal to GeminiProxyOptions; the config schema can replace the list later.
import type { GeminiProxyOptions } from "./options.ts";

export interface UnknownOptionKey {
  key: string;
  /** The closest valid option name, when one is close enough (edit distance ≤ 2). */
  suggestion?: string;
}

const KNOWN = {
  authKeys: true,
  storage: true,
  credentials: true,
  credentialsFile: true,
  credentialsFileSync: true,
  encryptionKey: true,
  projectIdMap: true,
  endpoints: true,
  geminiApiKeys: true,
  requestTimeouts: true,
  httpProxy: true,
  basePath: true,
  logger: true,
  models: true,
  oauthClient: true,
  publicUrl: true,
  reasoningOutput: true,
  includeThoughts: true,
  keepAliveMs: true,
  streamGraceMs: true,
  allowPrivateMediaUrls: true,
  media: true,
  signatureTtlSec: true,
  maxBodySize: true,
  maxAttempts: true,
  pool: true,
  onboardingPollMs: true,
  admin: true,
  usage: true,
  hooks: true,
  anthropic: true,
  responses: true,
  embeddings: true,
} as const satisfies Record<keyof GeminiProxyOptions, true>;

export const OPTION_NAMES: readonly string[] = Object.keys(KNOWN);

/** Levenshtein distance, case-insensitive (`authkeys` is one letter case away from `authKeys`: 0). */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++)
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[y.length]!;
}

/** The candidate nearest to `name` within `max` edits (ties: the first listed). */
export function nearestName(name: string, candidates: readonly string[], max = 2): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance <= max && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

export function unknownOptionKeys(options: object): UnknownOptionKey[] {
  return Object.keys(options)
    .filter((key) => !(key in KNOWN))
    .map((key) => {
      // snake_case config-file names passed as options: compare without separators too
      const suggestion = nearestName(key, OPTION_NAMES) ?? nearestName(key.replace(/[_-]/g, ""), OPTION_NAMES);
      return suggestion ? { key, suggestion } : { key };
    });
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
