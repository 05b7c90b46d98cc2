// Shared bits of the OpenAI surface tests: SSE parsing, a tiny PNG, a loopback media server.
import type { IncomingMessage, ServerResponse } from "node:http";
import { listen } from "./_setup.ts";

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
export const PNG_DATA_URI = `data:image/png;base64,${PNG.toString("base64")}`;

/** The `data:` payloads of an SSE body, in order (comments and blank lines skipped). */
export function sseData(text: string): string[] {
  return text
    .split(/\n\n/)
    .map((block) =>
      block
        .split("\n")
        .filter((l) => l.startsWith("data: "))
        .map((l) => l.slice(6))
        .join("\n"),
    )
    .filter((d) => d.length > 0);
}

/** Parsed JSON events of an SSE body, without the final [DONE]. */
export function sseEvents(text: string): any[] {
  return sseData(text)
    .filter((d) => d !== "[DONE]")
    .map((d) => JSON.parse(d));
}

export type MediaRoute = (req: IncomingMessage, res: ServerResponse, base: string) => void;

/** A loopback server for image URLs: `/img.png` by default, plus the routes given. */
export async function startMediaServer(routes: Record<string, MediaRoute> = {}) {
  let base = "";
  const all: Record<string, MediaRoute> = {
    "/img.png": (_req, res) => {
      res.writeHead(200, { "content-type": "image/png", "content-length": PNG.length });
      res.end(PNG);
    },
    ...routes,
  };
  const server = await listen((req, res) => {
    const route = all[new URL(req.url ?? "/", "http://x").pathname];
    if (route) return route(req, res, base);
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  base = server.url;
  return { url: server.url, close: server.close };
}
