// Ids of completions, messages, responses and tool calls: unique and not guessable (a response id
// finds a stored response). 16 random bytes from a pool filled 128 ids at a time, as `randomUUID`
// does for itself, written as hex in one step (randomUUID's text with its dashes removed by a
// regular expression cost three times as much per id).
import { randomFillSync } from "node:crypto";

const ID_BYTES = 16;
const pool = Buffer.allocUnsafe(ID_BYTES * 128);
let at = pool.length;

/** `<prefix>` followed by 32 hex characters (128 random bits). */
export function newId(prefix: string): string {
  if (at === pool.length) {
    randomFillSync(pool);
    at = 0;
  }
  const hex = pool.toString("hex", at, at + ID_BYTES);
  at += ID_BYTES;
  return prefix + hex;
}
