// The client's abort, taken from where the host really sees it. srvx (Nitro v3, h3's `serve`)
// exposes the Node response as `request.runtime.node.res`; srvx 0.8 (nitro 3.0.0) fires
// `request.signal` as soon as a POST body has been read, which would make every chat look
// abandoned (see docs/hosts.md, "Early abort on srvx 0.8"). A response that closes before it
// ended is the one sure sign that the client left: the request's signal is rebuilt from that
// (client-signal.ts holds the rule).
import { toAbortSignal } from "../upstream/transport.ts";
import { responseSignal, type NodeRuntime } from "./client-signal.ts";

type NodeBacked = Request & { runtime?: { node?: NodeRuntime } };

/** `request` with `signal` tied to the Node response's 'close' (only when the host gives one). */
export function withResponseAbort(request: Request): Request {
  const fromResponse = responseSignal((request as NodeBacked).runtime?.node);
  if (!fromResponse) return request;
  const signal = toAbortSignal(fromResponse);
  return new Proxy(request, {
    get(target, key) {
      if (key === "signal") return signal;
      const value: unknown = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
