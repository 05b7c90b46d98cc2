// One outbound HTTP client per proxy: a keep-alive undici Agent (connection pooling to Google), the
// configured connect/read timeouts, and the outbound proxy (config `http_proxy` or HTTPS_PROXY).
import { ofetch, type $Fetch } from "ofetch";
import { Agent, EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from "undici";
import type { ClientSignal } from "./transport.ts";

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
  signal?: ClientSignal;
}

/** undici's own response: a Node readable body (async iterable of Buffers, `.text()`). */
export type UpstreamResponse = Dispatcher.ResponseData;

export interface HttpClient {
  /**
   * The hot path to Google: undici's `request()` skips the WHATWG Request/Response/stream layers
   * that `fetch` builds per call (several times cheaper in CPU and memory per request).
   */
  request: (url: string, init: UpstreamRequestInit) => Promise<UpstreamResponse>;
  /** ofetch over the same dispatcher, for the small JSON calls (json-call.ts). */
  json: $Fetch;
  close: () => Promise<void>;
}

// Only a configured environment pays for EnvHttpProxyAgent's per-request NO_PROXY match.
const envProxy = (env = process.env) => Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);

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

/** A URL's origin and path (with its query), for undici's dispatcher. */
interface Target {
  origin: string;
  path: string;
}

/**
 * Parsed once per URL: the proxy calls a handful (one per upstream method and model), and undici's
 * `request(url)` parsed the URL and copied its options (a spread, slow in V8) on every call.
 */
function createTargets(): (url: string) => Target {
  const known = new Map<string, Target>();
  return (url) => {
    let target = known.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      if (known.size >= 1024) known.clear(); // URLs with ids (operation polls) must not grow it forever
      known.set(url, target);
    }
    return target;
  };
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const dispatcher = createDispatcher(options);
  const targetOf = createTargets();
  return {
    // The dispatcher's own `request`: what undici's top-level `request(url, …)` calls after parsing.
    // undici only reads `aborted`, `reason` and adds/removes an "abort" listener: any ClientSignal does.
    request: (url, init) => {
      const { origin, path } = targetOf(url);
      return dispatcher.request({
        origin,
        path,
        method: init.method,
        headers: init.headers,
        body: init.body,
        signal: init.signal as AbortSignal | undefined,
      });
    },
    // ofetch hands `dispatcher` to Node's fetch: the small calls share the pooled connections,
    // timeouts and outbound proxy of the hot path.
    json: ofetch.create({ dispatcher, retry: 0 }),
    close: () => dispatcher.close(),
  };
}
