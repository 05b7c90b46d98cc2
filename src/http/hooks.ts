// Request lifecycle hooks for hosts (the predecessor's HookManager, typed): start hooks may refuse
// a request (custom policy), end hooks receive the finished ledger record. Each call has a timeout;
// a hook that throws or hangs is logged and skipped, never breaking the request.
import type { Logger } from "../types.ts";
import type { RequestRecord } from "../usage/record.ts";

/** Throw from `onRequestStart` (or return `{ status, message }`) to refuse a request. */
export class RequestDeniedError extends Error {
  readonly status: number;
  constructor(message: string, status = 403) {
    super(message);
    this.name = "RequestDeniedError";
    this.status = status;
  }
}

/** What a start hook receives. */
export interface RequestStartEvent {
  /** The record being built (id, method, path, surface, client key label). Read it; don't keep it. */
  record: Readonly<RequestRecord>;
  /** The incoming request (headers, URL). Don't read its body: the surface needs it. */
  request: Request;
}

/** A start hook's refusal: the HTTP status and message the client gets. */
export interface HookRejection {
  status: number;
  message: string;
}

/** Runs before a request is served; return a `HookRejection` (or throw `RequestDeniedError`) to refuse it. */
export type OnRequestStart = (event: RequestStartEvent) => void | HookRejection | Promise<void | HookRejection>;
/** Runs after a request finished, with its ledger record. */
export type OnRequestEnd = (record: Readonly<RequestRecord>) => void | Promise<void>;

/** Request lifecycle hooks (the `hooks` option). */
export interface HookOptions {
  onRequestStart?: OnRequestStart | readonly OnRequestStart[];
  onRequestEnd?: OnRequestEnd | readonly OnRequestEnd[];
  /** Per hook call, ms. Default 200 for start hooks, 400 for end hooks (as the predecessor). */
  timeoutMs?: number;
}

export interface HookRunner {
  /** Runs start hooks in order; the first refusal wins. */
  start(event: RequestStartEvent): Promise<HookRejection | undefined>;
  /** Runs end hooks in order; never throws. */
  end(record: RequestRecord): Promise<void>;
  readonly active: boolean;
}

const TIMED_OUT = Symbol("timeout");

function withTimeout<T>(work: () => T | Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
    timer.unref?.();
  });
  const run = Promise.resolve().then(work);
  return Promise.race([run, timeout]).finally(() => clearTimeout(timer));
}

const list = <T>(value: T | readonly T[] | undefined): readonly T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value as T];

function rejectionOf(value: unknown): HookRejection | undefined {
  if (!value || typeof value !== "object") return undefined;
  const { status, message } = value as Partial<HookRejection>;
  if (typeof status !== "number" || status < 400 || status > 599) return undefined;
  return { status, message: typeof message === "string" && message ? message : "Request refused" };
}

export function createHookRunner(options: HookOptions | undefined, logger: Logger): HookRunner {
  const starts = list(options?.onRequestStart).filter((f) => typeof f === "function");
  const ends = list(options?.onRequestEnd).filter((f) => typeof f === "function");
  const startMs = options?.timeoutMs ?? 200;
  const endMs = options?.timeoutMs ?? 400;
  return {
    active: starts.length > 0 || ends.length > 0,
    async start(event) {
      for (const hook of starts) {
        try {
          const result = await withTimeout(() => hook(event), startMs);
          if (result === TIMED_OUT) {
            logger.warn(`onRequestStart hook timed out after ${startMs} ms; request continues`);
            continue;
          }
          const refusal = rejectionOf(result);
          if (refusal) return refusal;
        } catch (error) {
          if (error instanceof RequestDeniedError) return { status: error.status, message: error.message };
          logger.warn("onRequestStart hook failed; request continues:", (error as Error)?.message ?? error);
        }
      }
      return undefined;
    },
    async end(record) {
      for (const hook of ends) {
        try {
          const result = await withTimeout(() => hook(record), endMs);
          if (result === TIMED_OUT) logger.warn(`onRequestEnd hook timed out after ${endMs} ms`);
        } catch (error) {
          logger.warn("onRequestEnd hook failed:", (error as Error)?.message ?? error);
        }
      }
    },
  };
}
