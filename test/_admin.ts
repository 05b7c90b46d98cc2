// Helpers for the admin tests: Basic headers, "local" requests for both matrix rows, raw node
// requests (to send any Host header), and a scanner for secrets in admin answers.
import http from "node:http";
import type { Harness } from "./_setup.ts";

export const ADMIN = { username: "admin", password: "s3cret-admin-pass" };

export const basic = (user: string, pass: string): string =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
export const adminHeaders = (extra: Record<string, string> = {}): Record<string, string> => ({
  authorization: basic(ADMIN.username, ADMIN.password),
  ...extra,
});

export const generateBody = (text: string): string =>
  JSON.stringify({ contents: [{ role: "user", parts: [{ text }] }] });

/**
 * A request from "this machine": through node it comes from 127.0.0.1 anyway; through
 * `proxy.fetch` the host vouches for the peer by setting `request.ip` (the srvx convention).
 */
export function localRequest(h: Harness, path: string, init: RequestInit = {}, ip = "127.0.0.1"): Promise<Response> {
  if (h.kind === "node") return h.request(path, init);
  const request = new Request(`http://localhost${path}`, init);
  Object.defineProperty(request, "ip", { value: ip });
  return h.proxy.fetch(request);
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** node:http request, so the Host header can be anything (fetch does not allow setting it). */
export function rawRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? "GET", headers: opts.headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

/** Records every admin answer's text, to scan for secrets at the end. */
export function createTranscript(): { keep: (res: Response) => Promise<string>; texts: string[] } {
  const texts: string[] = [];
  return {
    texts,
    async keep(res) {
      const text = await res.clone().text();
      texts.push(`${[...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n")}\n\n${text}`);
      return text;
    },
  };
}
