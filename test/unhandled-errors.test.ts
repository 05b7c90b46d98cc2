// A failure nobody planned for (here: storage that breaks at start-up) is still answered in the
// surface's own shape, logged once, and carries the request id and CORS like every API answer, on
// the web handler and on node:http alike.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createStorage } from "unstorage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";

const broken = () => {
  const fail = async (): Promise<never> => {
    throw new Error("disk on fire");
  };
  return createStorage({
    driver: { name: "broken", hasItem: fail, getItem: fail, getKeys: fail, setItem: fail, removeItem: fail },
  });
};

describe("unhandled errors", () => {
  const errors: string[] = [];
  let proxy: GeminiProxy;
  let server: http.Server;
  let nodeUrl: string;
  beforeAll(async () => {
    proxy = createGeminiProxy({
      storage: broken(),
      authKeys: ["k"],
      logger: {
        error: (...a: unknown[]) => void errors.push(a.map(String).join(" ")),
        warn() {},
        info() {},
        debug() {},
      },
    });
    server = http.createServer(proxy.node).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    nodeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await proxy.close();
  });

  const viaFetch = (path: string, headers: Record<string, string>) =>
    proxy.fetch(new Request(`http://proxy.test${path}`, { headers }));
  const viaNode = (path: string, headers: Record<string, string>) => fetch(`${nodeUrl}${path}`, { headers });

  for (const [name, send] of [
    ["fetch", viaFetch],
    ["node", viaNode],
  ] as const) {
    it(`is a 500 in the surface's shape with x-request-id and CORS (${name})`, async () => {
      errors.length = 0;
      const headers = { authorization: "Bearer k", "x-request-id": "trace-500" };
      const openai = await send("/v1/models", headers);
      expect(openai.status).toBe(500);
      expect(openai.headers.get("x-request-id")).toBe("trace-500");
      expect(openai.headers.get("access-control-allow-origin")).toBe("*");
      expect(await openai.json()).toEqual({
        error: { message: "Internal error", type: "server_error", param: null, code: null },
      });
      const gemini = await send("/v1beta/models", headers);
      expect(gemini.status).toBe(500);
      expect(gemini.headers.get("x-request-id")).toBe("trace-500");
      expect(await gemini.json()).toEqual({ error: { code: 500, message: "Internal error", status: "INTERNAL" } });
      // Logged with the cause, never sent to the client.
      expect(errors).toHaveLength(2);
      expect(errors.every((line) => line.includes("disk on fire"))).toBe(true);
    });
  }
});
