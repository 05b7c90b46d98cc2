// The client's abort for the calls a request makes upstream. On node it is read off the response
// itself: a response that closes before it ended is the sure sign that the client left (client-abort.ts
// builds `proxy.fetch`'s request signal from the same rule). That costs one 'close' listener per upstream call, where
// `request.signal` builds an AbortController (and its EventTarget) for every request.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { H3Event } from "h3";
import type { ClientSignal } from "../upstream/transport.ts";

type Listener = () => void;

class ResponseCloseSignal implements ClientSignal {
  #reason: unknown;
  #listeners: [Listener, Listener][] = [];
  constructor(
    private readonly req: IncomingMessage | undefined,
    private readonly res: ServerResponse,
  ) {}

  get aborted(): boolean {
    if (this.#reason === undefined && this.res.destroyed && !this.res.writableEnded) this.#abort();
    return this.#reason !== undefined;
  }

  get reason(): unknown {
    return this.aborted ? this.#reason : undefined;
  }

  #abort(): void {
    this.#reason ??= this.req?.errored ?? new DOMException("The client went away", "AbortError");
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.#reason;
  }

  addEventListener(_type: "abort", listener: Listener): void {
    if (this.aborted) return; // as with AbortSignal: a listener added after the abort is not called
    const onClose = () => {
      this.#drop(listener);
      if (this.res.writableEnded) return;
      this.#abort();
      listener();
    };
    this.#listeners.push([listener, onClose]);
    this.res.once("close", onClose);
  }

  removeEventListener(_type: "abort", listener: Listener): void {
    const onClose = this.#drop(listener);
    if (onClose) this.res.removeListener("close", onClose);
  }

  #drop(listener: Listener): Listener | undefined {
    const at = this.#listeners.findIndex(([l]) => l === listener);
    return at < 0 ? undefined : this.#listeners.splice(at, 1)[0]![1];
  }
}

export type NodeRuntime = { req?: IncomingMessage; res?: ServerResponse } | undefined;

/** The abort read off a Node response, when `node` (a host's `runtime.node`) has one. */
export function responseSignal(node: NodeRuntime): ClientSignal | undefined {
  const res = node?.res;
  return res && typeof res.once === "function" ? new ResponseCloseSignal(node.req, res) : undefined;
}

/** The client's abort signal for `event`: tied to the Node response when the host gives one. */
export function clientSignalOf(event: H3Event): ClientSignal {
  return responseSignal(event.runtime?.node as NodeRuntime) ?? event.req.signal;
}
