// Express 5 host: a global `express.json()` (it drains JSON bodies before the proxy runs; the
// proxy picks up the parsed body), the app's own routes, and the proxy under /gemini.
import express from "express";
import { createGeminiProxy, type GeminiProxy, type GeminiProxyOptions } from "../../src/index.ts";

export interface ExpressHost {
  app: express.Express;
  proxy: GeminiProxy;
}

export function createExpressHost(options: GeminiProxyOptions): ExpressHost {
  // Express strips "/gemini" from req.url, so no basePath is needed (setting it works too).
  const proxy = createGeminiProxy(options);
  const app = express();
  app.use(express.json());
  app.get("/hello", (_req, res) => {
    res.send("hello from express");
  });
  app.post("/api/echo", (req, res) => {
    res.json({ echoed: req.body as unknown });
  });
  app.use("/gemini", proxy.node);
  return { app, proxy };
}
