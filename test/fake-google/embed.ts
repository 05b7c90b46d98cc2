// Deterministic embeddings: a unit vector seeded by a hash of model + text.
import { createHash } from "node:crypto";

export const DEFAULT_EMBEDDING_DIMS = 768;

export function embed(model: string, text: string, dims = DEFAULT_EMBEDDING_DIMS): number[] {
  const seed = createHash("sha256").update(`${model}\n${text}`).digest();
  let state = seed.readUInt32LE(0) || 1;
  const next = (): number => {
    // xorshift32: cheap and stable across platforms
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0xffffffff;
  };
  const raw = Array.from({ length: dims }, () => next() * 2 - 1);
  const norm = Math.sqrt(raw.reduce((n, v) => n + v * v, 0)) || 1;
  return raw.map((v) => Math.round((v / norm) * 1e7) / 1e7);
}
