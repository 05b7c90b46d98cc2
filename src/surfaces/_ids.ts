// Ids of completions, messages, responses and tool calls: unique and not guessable (a response id
// finds a stored response). `randomUUID` draws from a cached entropy pool, where `randomBytes`
// asked the system for fresh bytes on every request.
import { randomUUID } from "node:crypto";

/** `<prefix>` followed by 32 hex characters (122 random bits). */
export const newId = (prefix: string): string => `${prefix}${randomUUID().replace(/-/g, "")}`;
