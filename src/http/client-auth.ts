// Client keys, the four ways the predecessor accepted them: Bearer, Basic (any user, key as
// password), ?key=, x-goog-api-key (plus x-api-key for Anthropic-style clients). Compared in
// constant time over hashes so neither content nor length leaks.
import { createHash, timingSafeEqual } from "node:crypto";
import type { AuthKeysOption } from "../types.ts";

export function extractClientKey(request: Request, url: URL): string | undefined {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const [scheme, value = ""] = authorization.split(/\s+/, 2);
    if (scheme?.toLowerCase() === "bearer" && value) return value;
    if (scheme?.toLowerCase() === "basic" && value) {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      const password = colon >= 0 ? decoded.slice(colon + 1) : decoded;
      if (password) return password;
    }
  }
  return (
    request.headers.get("x-goog-api-key") ||
    request.headers.get("x-api-key") ||
    url.searchParams.get("key") ||
    undefined
  );
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Synchronous for the built-in checks (no promise per request); a host's function may be async. */
export type KeyChecker = (key: string | undefined) => boolean | Promise<boolean>;

export function createKeyChecker(option: AuthKeysOption | undefined): KeyChecker {
  if (option === false) return () => true;
  if (typeof option === "function") {
    return async (key) => {
      if (!key) return false;
      try {
        return (await option(key)) === true;
      } catch {
        return false;
      }
    };
  }
  const hashes = (option ?? []).filter((k) => typeof k === "string" && k).map(digest);
  // Keys already accepted skip the hashing (a client sends the same key on every request). Only
  // accepted ones: a stream of wrong guesses cannot grow it, and it tells a guesser nothing the
  // answer does not.
  const accepted = new Set<string>();
  return (key) => {
    if (!key) return false;
    if (accepted.has(key)) return true;
    const candidate = digest(key);
    let ok = false;
    // Visit every key so timing does not tell which one matched.
    for (const hash of hashes) ok = timingSafeEqual(hash, candidate) || ok;
    if (ok) {
      if (accepted.size >= 1024) accepted.clear();
      accepted.add(key);
    }
    return ok;
  };
}

/** Constant-time equality of two strings (admin passwords). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
