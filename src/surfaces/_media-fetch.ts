// Fetching the http(s) image/file URLs of OpenAI requests so they can be inlined for Gemini, with a
// size cap, a deadline, a content-type check and an SSRF guard. The guard runs AFTER DNS resolution:
// every address a name resolves to must be public, and the connection is pinned to the checked address
// (our own `lookup` for the socket), so a DNS answer that changes between check and connect (rebinding)
// cannot reach a private host. Redirects are followed by hand, each hop checked the same way.
import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { Agent, request } from "undici";

export interface MediaFetcherOptions {
  /** Allow private, loopback, link-local… addresses (only for trusted networks and tests). */
  allowPrivate?: boolean;
  /** Largest accepted body, in bytes. Default 20 MiB (Gemini's inline-data request limit). */
  maxBytes?: number;
  /** Deadline for the whole fetch (DNS, redirects, body), in ms. Default 15000. */
  timeoutMs?: number;
  /** Redirect hops followed. Default 5. */
  maxRedirects?: number;
  /** Overrides the address policy (tests). Default: public addresses, or any with allowPrivate. */
  allowAddress?: (address: string) => boolean;
  /** DNS resolution (tests). Default: dns.lookup with all:true. */
  resolve?: (hostname: string) => Promise<{ address: string; family: number }[]>;
}

export interface FetchedMedia {
  mimeType: string;
  data: string; // base64
}

export interface MediaFetcher {
  fetch(url: string, signal?: AbortSignal): Promise<FetchedMedia>;
}

/** A URL that could not be used; `message` is safe to show to the client. */
export class MediaFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MediaFetchError";
  }
}

export const DEFAULT_MEDIA_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MEDIA_TIMEOUT_MS = 15_000;

const V4 = new BlockList();
const V6 = new BlockList();
// Not globally routable: this network, private, CGNAT, loopback, link-local, IETF protocol
// assignments, TEST-NETs, benchmarking, multicast, reserved and broadcast.
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  V4.addSubnet(net, prefix, "ipv4");
}
// Unspecified, loopback, IPv4-mapped and -compatible, NAT64 local use, discard, documentation, 6to4
// (embeds an IPv4 address), ULA, link-local, site-local, multicast.
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["::ffff:0:0", 96],
  ["::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const) {
  V6.addSubnet(net, prefix, "ipv6");
}

/** True for any address that is not a public unicast address (unparseable input included). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return V4.check(address, "ipv4");
  if (family !== 6) return true;
  // NAT64 well-known prefix 64:ff9b::/96 (any spelling, hex or dotted): judge the embedded IPv4 address.
  const groups = ipv6Groups(address);
  if (groups && groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) {
    const v4 = [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join(".");
    return V4.check(v4, "ipv4");
  }
  return V6.check(address, "ipv6");
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail included), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.split("%")[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(":").map((g) => Number.parseInt(g, 16)) : []);
  const left = part(head);
  const right = part(tail);
  const groups =
    tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

const ALLOWED_TYPES = [/^image\//, /^audio\//, /^video\//, /^application\/pdf$/, /^text\/plain$/];

/** Magic numbers for servers that send no (or a generic) content type. */
function sniff(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 12);
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "image/jpeg";
  if (head.subarray(0, 4).toString("latin1") === "GIF8") return "image/gif";
  if (head.subarray(0, 4).toString("latin1") === "RIFF" && head.subarray(8, 12).toString("latin1") === "WEBP")
    return "image/webp";
  if (head.subarray(0, 4).toString("latin1") === "%PDF") return "application/pdf";
  return undefined;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

const defaultResolve = (hostname: string) => dnsLookup(hostname, { all: true, verbatim: true });

/** Races a promise against the deadline (DNS lookups cannot be aborted). */
function withSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

export function createMediaFetcher(options: MediaFetcherOptions = {}): MediaFetcher {
  const maxBytes = options.maxBytes ?? DEFAULT_MEDIA_MAX_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_MEDIA_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? 5;
  const allowed =
    options.allowAddress ?? ((address: string) => options.allowPrivate === true || !isPrivateAddress(address));
  const resolve = options.resolve ?? defaultResolve;

  /** The one address this hop may connect to, after checking every address the name has. */
  async function checkedAddress(url: URL, signal: AbortSignal): Promise<{ address: string; family: number }> {
    const host = hostOf(url);
    const literal = isIP(host);
    const addresses = literal
      ? [{ address: host, family: literal }]
      : await withSignal(resolve(host), signal).catch((error: unknown) => {
          if (signal.aborted) throw error;
          throw new MediaFetchError(`the host ${host} could not be resolved`);
        });
    if (addresses.length === 0) throw new MediaFetchError(`the host ${host} could not be resolved`);
    if (addresses.some((a) => !allowed(a.address)))
      throw new MediaFetchError(
        `the host ${host} resolves to a private or reserved address; fetching it is not allowed`,
      );
    return addresses[0]!;
  }

  async function fetchOnce(url: URL, signal: AbortSignal): Promise<{ redirect?: URL; media?: FetchedMedia }> {
    const pinned = await checkedAddress(url, signal);
    // The socket resolves the name through this lookup only: it gets exactly the checked address.
    const lookup = (_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) =>
      opts?.all ? cb(null, [pinned]) : cb(null, pinned.address, pinned.family);
    const agent = new Agent({
      connect: { lookup, timeout: timeoutMs } as never,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connections: 1,
    });
    try {
      const res = await request(url, {
        method: "GET",
        dispatcher: agent,
        signal,
        headers: {
          accept: "image/*, application/pdf, audio/*, video/*;q=0.9, */*;q=0.5",
          "user-agent": "gemini-cli-proxy media fetch",
        },
      });
      const header = (name: string) => {
        const v = res.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      if (res.statusCode >= 300 && res.statusCode < 400) {
        await res.body.dump();
        const location = header("location");
        if (!location) throw new MediaFetchError(`the server answered HTTP ${res.statusCode} without a location`);
        return { redirect: new URL(location, url) };
      }
      if (res.statusCode < 200 || res.statusCode >= 300) {
        await res.body.dump();
        throw new MediaFetchError(`the server answered HTTP ${res.statusCode}`);
      }
      const declared = Number(header("content-length"));
      if (declared > maxBytes) {
        await res.body.dump();
        throw new MediaFetchError(`the content is too large (${declared} bytes; the limit is ${maxBytes})`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) {
          res.body.destroy();
          throw new MediaFetchError(`the content is too large (over ${maxBytes} bytes)`);
        }
        chunks.push(chunk as Buffer);
      }
      const bytes = Buffer.concat(chunks);
      if (bytes.length === 0) throw new MediaFetchError("the content is empty");
      let mimeType = (header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (!mimeType || mimeType === "application/octet-stream" || mimeType === "binary/octet-stream")
        mimeType = sniff(bytes) ?? mimeType;
      if (!ALLOWED_TYPES.some((re) => re.test(mimeType))) {
        throw new MediaFetchError(
          `the content type ${mimeType ? JSON.stringify(mimeType) : "(none)"} is not an image, audio, video, PDF or plain text`,
        );
      }
      return { media: { mimeType, data: bytes.toString("base64") } };
    } finally {
      agent.destroy().catch(() => {});
    }
  }

  return {
    async fetch(raw, callerSignal) {
      const deadline = AbortSignal.timeout(timeoutMs);
      const signal = callerSignal ? AbortSignal.any([callerSignal, deadline]) : deadline;
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new MediaFetchError("not a valid URL");
      }
      try {
        for (let hop = 0; ; hop++) {
          if (url.protocol !== "http:" && url.protocol !== "https:")
            throw new MediaFetchError(`the scheme ${url.protocol} is not allowed (http or https only)`);
          const result = await fetchOnce(url, signal);
          if (result.media) return result.media;
          if (hop >= maxRedirects) throw new MediaFetchError(`too many redirects (more than ${maxRedirects})`);
          url = result.redirect!;
        }
      } catch (error) {
        if (error instanceof MediaFetchError) throw error;
        if (callerSignal?.aborted) throw error;
        if (deadline.aborted) throw new MediaFetchError(`no complete answer within ${timeoutMs} ms`);
        throw new MediaFetchError(
          `the request failed (${(error as { code?: string }).code ?? (error as Error).message})`,
        );
      }
    },
  };
}
