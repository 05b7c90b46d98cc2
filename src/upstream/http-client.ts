// One outbound HTTP client per proxy: a keep-alive undici Agent (connection pooling to Google), the
// configured connect/read timeouts, and the outbound proxy (config `http_proxy` or HTTPS_PROXY).
import {
  Agent,
  EnvHttpProxyAgent,
  ProxyAgent,
  fetch as undiciFetch,
  request as undiciRequest,
  type Dispatcher,
} from "undici";
import { createFetch, type $Fetch } from "ofetch";

export interface RequestTimeouts {
  /** Seconds to establish the connection. */
  connect: number;
  /** Seconds to wait for the response headers and between two body chunks. */
  read: number;
}

export interface HttpClientOptions {
  timeouts: RequestTimeouts;
  /** Outbound proxy URL; `undefined` = honour HTTP(S)_PROXY / NO_PROXY from the environment. `null`/"" disables. */
  httpProxy?: string | null;
  /** Max sockets per upstream origin. */
  connections?: number;
}

export interface UpstreamRequestInit {
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** undici's own response: a Node readable body (async iterable of Buffers, `.text()`). */
export type UpstreamResponse = Dispatcher.ResponseData;

export interface HttpClient {
  /**
   * The hot path to Google: undici's `request()` skips the WHATWG Request/Response/stream layers
   * that `fetch` builds per call (several times cheaper in CPU and memory per request).
   */
  request: (url: string, init: UpstreamRequestInit) => Promise<UpstreamResponse>;
  /** Streaming-capable fetch (web `Response`), bound to the pooled dispatcher. */
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  /** ofetch instance for small JSON calls (OAuth, onboarding, admin pushes). */
  json: $Fetch;
  close: () => Promise<void>;
}

function envProxy(): boolean {
  const env = process.env;
  return Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
}

function createDispatcher(options: HttpClientOptions): Dispatcher {
  const common = {
    connect: { timeout: options.timeouts.connect * 1000 },
    headersTimeout: options.timeouts.read * 1000,
    bodyTimeout: options.timeouts.read * 1000,
    // HTTP/1.1: every open stream holds its own connection, so the cap must allow many concurrent streams.
    connections: options.connections ?? 1024,
    keepAliveTimeout: 30_000,
  };
  if (options.httpProxy) return new ProxyAgent({ uri: options.httpProxy, ...common });
  if (options.httpProxy === undefined && envProxy()) return new EnvHttpProxyAgent(common);
  return new Agent(common);
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const dispatcher = createDispatcher(options);
  const boundFetch = ((url: string, init?: RequestInit) =>
    undiciFetch(url, { ...(init as object), dispatcher } as never)) as unknown as (
    url: string,
    init?: RequestInit,
  ) => Promise<Response>;
  return {
    request: (url, init) => undiciRequest(url, { ...init, dispatcher }),
    fetch: boundFetch,
    json: createFetch({ fetch: boundFetch as typeof globalThis.fetch }),
    close: () => dispatcher.close(),
  };
}
