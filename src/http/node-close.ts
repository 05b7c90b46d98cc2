// Closing a node connection whose request body was refused (413) while the client may still be
// sending it. Destroying the socket at once would make the kernel answer the unread bytes with a
// reset, which can wipe out the 413 before the client reads it; keeping the connection alive would
// leave the rest of the body in the way of the next request. So: send the answer, half-close, read
// and drop what still arrives for a short while ("lingering close"), then destroy.
import type { IncomingMessage } from "node:http";

/** How long the rest of a refused body is read and dropped before the socket is destroyed. */
export const LINGER_MS = 10_000;

/** Arms the lingering close for `req`'s socket; node calls `destroySoon` once a `Connection: close` answer is sent. */
export function lingerOnClose(req: IncomingMessage): void {
  const socket = req.socket;
  if (!socket || socket.destroyed || req.complete) return; // nothing left unread: node's own close is clean
  socket.destroySoon = function lingeringClose(this: typeof socket) {
    this.end();
    // Drop the body instead of buffering it: no reader is left for it.
    req.removeAllListeners("data");
    req.resume();
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    timer.unref();
    const done = () => {
      clearTimeout(timer);
      this.destroy();
    };
    req.once("end", done);
    this.once("close", () => clearTimeout(timer));
  };
}
