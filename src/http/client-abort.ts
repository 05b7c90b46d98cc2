// The client's abort, taken from where the host really sees it. srvx (Nitro v3, h3's `serve`)
// exposes the Node response as `request.runtime.node.res`; srvx 0.8 (nitro 3.0.0) fires
// `request.signal` as soon as a POST body has been read, which would make every chat look
// abandoned (see docs/hosts.md, "Early abort on srvx 0.8"). A response that closes before it
// ended is the one sure sign that the client left, so the signal is rebuilt from that.
import type { ServerResponse } from "node:http";

type NodeBacked = Request & { runtime?: { node?: { res?: ServerResponse } } };

const gone = () => new DOMException("The client went away", "AbortError");

/** `request` with `signal` tied to the Node response's 'close' (only when the host gives one). */
export function withResponseAbort(request: Request): Request {
  const res = (request as NodeBacked).runtime?.node?.res;
  if (!res || typeof res.once !== "function") return request;
  const controller = new AbortController();
  if (res.destroyed && !res.writableEnded) controller.abort(gone());
  else res.once("close", () => res.writableEnded || controller.abort(gone()));
  const signal = controller.signal;
  return new Proxy(request, {
    get(target, key) {
      if (key === "signal") return signal;
      const value: unknown = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
