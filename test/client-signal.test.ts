// The client's abort read off the Node response (src/http/client-signal.ts), on a real node:http
// server: a response that closes before it ended is an abort, a finished one never is, and the
// listeners it adds to the response are gone afterwards.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { H3Event } from "h3";
import { clientSignalOf } from "../src/http/client-signal.ts";

type Seen = { req: IncomingMessage; res: ServerResponse };
let server: http.Server | undefined;

afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server that hands each request to `onRequest` (the answer is up to it); resolves with its URL. */
function serve(onRequest: (seen: Seen) => void): Promise<string> {
  server = http.createServer((req, res) => onRequest({ req, res }));
  return new Promise((resolve) =>
    server!.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`)),
  );
}

const eventOf = ({ req, res }: Seen) => ({ runtime: { node: { req, res } } }) as unknown as H3Event;

describe("clientSignalOf on node", () => {
  it("aborts when the client leaves before the answer ended (reason: the request's error, as srvx gives it)", async () => {
    let fired: (() => void) | undefined;
    const firedOnce = new Promise<void>((resolve) => (fired = resolve));
    let signal: ReturnType<typeof clientSignalOf> | undefined;
    const url = await serve((seen) => {
      signal = clientSignalOf(eventOf(seen));
      expect(signal.aborted).toBe(false);
      signal.addEventListener("abort", () => fired!());
      seen.res.write("partial"); // the answer has begun, not ended
    });
    // The client reads the first bytes, then drops the connection.
    const client = http.get(url, (res) => res.once("data", () => client.destroy()));
    client.on("error", () => {});
    await firedOnce;
    expect(signal!.aborted).toBe(true);
    expect(signal!.reason).toBeInstanceOf(Error);
    expect(() => signal!.throwIfAborted()).toThrow();
  });

  it("never aborts a finished answer, and leaves no listener on the response", async () => {
    let check: Promise<void> | undefined;
    const url = await serve((seen) => {
      const before = seen.res.listenerCount("close");
      const signal = clientSignalOf(eventOf(seen));
      const never = () => {
        throw new Error("aborted after a finished answer");
      };
      const removed = () => {};
      signal.addEventListener("abort", never);
      signal.addEventListener("abort", removed);
      signal.removeEventListener("abort", removed);
      expect(seen.res.listenerCount("close")).toBe(before + 1);
      check = new Promise((resolve) =>
        seen.res.once("close", () =>
          setImmediate(() => {
            expect(signal.aborted).toBe(false);
            expect(seen.res.listenerCount("close")).toBe(before);
            resolve();
          }),
        ),
      );
      seen.res.end("done");
    });
    expect(await (await fetch(url)).text()).toBe("done");
    await check;
  });

  it("is the request's own signal where the host gives no Node response", () => {
    const signal = new AbortController().signal;
    expect(clientSignalOf({ runtime: {}, req: { signal } } as unknown as H3Event)).toBe(signal);
  });
});
