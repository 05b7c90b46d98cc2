// Random identifiers for tokens, codes, operations and trace ids.
import { randomBytes } from "node:crypto";

export function randomId(bytes = 12): string {
  return randomBytes(bytes).toString("base64url");
}

export function hexId(bytes = 8): string {
  return randomBytes(bytes).toString("hex");
}
