// Reading a JSON request body with a size cap. Bad input becomes a BodyError (a 4xx in the
// surface's own shape), never an unhandled exception.

export class BodyError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = "BodyError";
    this.status = status;
  }
}

/**
 * The body as text, refused with a 413 past `maxBytes` before it is all buffered. Not async (it runs
 * for every request), but it never throws: every failure is the promise's.
 */
export function readCapped(request: Request, maxBytes: number): Promise<string> {
  try {
    const declared = Number(request.headers.get("content-length") ?? NaN);
    if (declared > maxBytes)
      throw new BodyError(413, `Request body is too large (${declared} bytes; the limit is ${maxBytes})`);
    // A declared length within the cap: HTTP framing guarantees no more bytes follow, so read it in
    // one go (on node this skips building a web stream over the socket).
    if (Number.isFinite(declared)) return request.text();
    return readChunked(request, maxBytes);
  } catch (error) {
    return Promise.reject(error);
  }
}

/** A body without a declared length, counted as it arrives. */
async function readChunked(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Not cancel(): on node that destroys the request, which reads as a client abort (499) and
      // leaves no socket to answer on. The 413 carries `Connection: close` instead (app.ts).
      reader.releaseLock();
      throw new BodyError(413, `Request body is too large (over ${maxBytes} bytes)`);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** Deeper JSON than any real request nests: refused, so no translator or serializer recurses into it. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether a parsed JSON value nests deeper than `limit`. Recursive, but the recursion stops at
 * `limit` levels, so a hostile value cannot overflow the stack; no arrays are built on the way.
 */
export function jsonDepthExceeds(value: unknown, limit: number, depth = 1): boolean {
  if (!value || typeof value !== "object") return false;
  if (depth > limit) return true;
  if (Array.isArray(value)) {
    for (const child of value) if (jsonDepthExceeds(child, limit, depth + 1)) return true;
    return false;
  }
  for (const key in value) if (jsonDepthExceeds((value as Record<string, unknown>)[key], limit, depth + 1)) return true;
  return false;
}

/**
 * The parsed JSON body; `{}`-less bodies and non-objects are the caller's to judge, or `check`'s:
 * it runs in the same step (one promise less than a `.then` of the caller's own, on every request).
 */
export function readJsonBody<T = unknown>(
  request: Request,
  maxBytes: number,
  check?: (value: unknown) => T,
): Promise<T> {
  // Chained rather than async: this runs for every request.
  return readCapped(request, maxBytes).then(
    check ? (text) => check(parseJsonBody(text)) : (parseJsonBody as (text: string) => T),
    (error: unknown) => {
      throw error instanceof BodyError ? error : new BodyError(400, "Could not read the request body");
    },
  );
}

function parseJsonBody(text: string): unknown {
  if (!text.trim()) throw new BodyError(400, "The request body is empty: a JSON object is required");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BodyError(400, `Invalid JSON payload received. ${(error as Error).message}`);
  }
  if (jsonDepthExceeds(value, MAX_JSON_DEPTH))
    throw new BodyError(400, `Invalid JSON payload received. Nested deeper than ${MAX_JSON_DEPTH} levels.`);
  return value;
}
