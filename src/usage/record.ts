// One record per finished request: created by the HTTP middleware, filled by dispatch (attempts,
// credential) and by the surface (model, stream, usage, outcome), finished exactly once when the
// response is over, then handed to the usage ledger, the hooks and the request log.
import { randomBytes } from "node:crypto";
import type { UpstreamErrorKind } from "../gemini/errors.ts";

/** The API surface a request came in on. */
export type RequestSurface = "openai" | "gemini" | "anthropic" | "responses" | "embeddings" | "admin" | "other";

/** The API surfaces: the requests the ledger, the metrics and the admin overview count. */
export const COUNTED_SURFACES: ReadonlySet<string> = new Set([
  "openai",
  "gemini",
  "anthropic",
  "responses",
  "embeddings",
]);

/** One upstream attempt within a request. */
export interface AttemptRecord {
  credentialId: string;
  /** HTTP status from Google, when it answered. */
  status?: number;
  errorKind?: UpstreamErrorKind;
  at: number;
}

/** Token counts of a request (prompt, candidates, thoughts, cached). */
export interface TokenUsage {
  prompt: number;
  candidates: number;
  thoughts: number;
  cached: number;
  total: number;
}

/** The ledger record of one request: route, model, credential, attempts, status, timing and tokens. */
export interface RequestRecord {
  id: string;
  startedAt: number;
  method: string;
  path: string;
  surface: RequestSurface;
  /** A label for the client key (never the key itself). */
  clientKey?: string;
  /** The model id as the client asked for it. */
  model?: string;
  stream: boolean;
  /** The credential that served the request (last attempt). */
  credentialId?: string;
  attempts: AttemptRecord[];
  firstByteAt?: number;
  endedAt?: number;
  usage?: TokenUsage;
  outcome?: "success" | "error" | "cancelled";
  /** HTTP status sent to the client. */
  status?: number;
  /** Error class (upstream error kind, or a surface's own: invalid_request, no_credentials...). */
  errorClass?: string;
  /** What went wrong, in words: Google's message for an upstream failure (raw: mask before showing it). */
  errorMessage?: string;
  /** The surface finishes the record itself (streams end after the handler returned). */
  deferred?: boolean;
  finished?: boolean;
}

// Request ids only need to be unique (they are echoed, not trusted): a random prefix per process and
// a counter, instead of drawing random bytes for every request.
const ID_PREFIX = `req-${randomBytes(6).toString("hex")}-`;
let sequence = 0;

/** A new request id, unique across processes and instances. */
export const newRequestId = (): string => `${ID_PREFIX}${(++sequence).toString(36)}`;

export function createRequestRecord(init: {
  /** The request id (the client's sane `x-request-id`, or one made by the HTTP layer). */
  id?: string;
  method: string;
  path: string;
  surface: RequestSurface;
  clientKey?: string;
}): RequestRecord {
  return {
    id: init.id ?? newRequestId(),
    startedAt: Date.now(),
    method: init.method,
    path: init.path,
    surface: init.surface,
    clientKey: init.clientKey,
    stream: false,
    attempts: [],
  };
}

/** Gemini usageMetadata → token counts. */
export function tokenUsageOf(meta: Record<string, unknown> | undefined): TokenUsage | undefined {
  if (!meta) return undefined;
  const n = (k: string) => (typeof meta[k] === "number" ? (meta[k] as number) : 0);
  return {
    prompt: n("promptTokenCount"),
    candidates: n("candidatesTokenCount"),
    thoughts: n("thoughtsTokenCount"),
    cached: n("cachedContentTokenCount"),
    total: n("totalTokenCount"),
  };
}
