// Request bodies that a host already read: Express body parsers (`req.body`, sometimes `req.rawBody`)
// and h3 v1's `readBody`/`readRawBody` (symbols on `node.req`) drain the stream before the proxy runs.
// These helpers recover the bytes so the proxy sees the body the client sent, not an empty one.
import type { IncomingMessage } from "node:http";

const H3V1_RAW_BODY = Symbol.for("h3RawBody");
const H3V1_PARSED_BODY = Symbol.for("h3ParsedBody");

/** The parts of a node request a body parser may have left behind (all optional, host-specific). */
export type ParsedNodeRequest = IncomingMessage & {
  body?: unknown;
  rawBody?: unknown;
  [H3V1_RAW_BODY]?: unknown;
  [H3V1_PARSED_BODY]?: unknown;
};

/** Bytes for a value a parser produced: buffers and strings as they are, objects as JSON. */
export function serializeParsedBody(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  return Buffer.from(JSON.stringify(body));
}

/** True once the request stream has been read to its end (or can no longer be read). */
export function isBodyConsumed(req: IncomingMessage): boolean {
  return req.readableEnded || (req.complete && req.readableLength === 0 && req.readableFlowing !== null);
}

/**
 * The body bytes a parser already took from `req`, or `undefined` when the stream is still unread
 * (then the caller reads the stream itself). A raw buffer wins over a parsed value: it is exact.
 */
export function consumedBodyOf(req: ParsedNodeRequest): Buffer | undefined {
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
  if (!isBodyConsumed(req)) return undefined;
  return serializeParsedBody(req.body) ?? serializeParsedBody(req[H3V1_PARSED_BODY]);
}

/** h3 v1 keeps the promise of the raw body it read; awaiting it gives the exact bytes. */
export function pendingRawBodyOf(req: ParsedNodeRequest): Promise<Buffer | undefined> | undefined {
  const pending = req[H3V1_RAW_BODY];
  if (!pending || typeof (pending as Promise<unknown>).then !== "function") return undefined;
  return (pending as Promise<unknown>).then((value) => serializeParsedBody(value));
}
