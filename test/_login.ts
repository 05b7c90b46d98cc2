// Helpers for the login tests: reach the proxy the way a matrix row does (absolute URLs, manual
// redirects), carry the browser-binding cookie, and walk through the fake Google's consent.
import { createStorage } from "unstorage";
import { expect } from "vitest";
import type { GeminiProxyOptions, StorageLike } from "../src/index.ts";
import type { Harness } from "./_setup.ts";
import type { FakeGoogle } from "./fake-google/index.ts";

export const ADMIN = { username: "admin", password: "admin-pass-1234" };
export const basic = (user = ADMIN.username, password = ADMIN.password): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** Each matrix row's storage, by its fake, for tests that look at pending logins. */
export const loginStorages = new WeakMap<FakeGoogle, StorageLike>();

/** describeMatrix set-up of the web-login suites: the admin user and a fresh storage per row. */
export function webLoginSetup(fake: FakeGoogle): GeminiProxyOptions {
  const storage = createStorage() as unknown as StorageLike;
  loginStorages.set(fake, storage);
  return { storage, admin: ADMIN };
}

/** An origin on a loopback address that this row can reach. */
export const loopbackOrigin = (h: Harness): string => (h.kind === "node" ? h.url : "http://127.0.0.1:8889");

/** One request to the proxy at an absolute URL, never following redirects. */
export function call(h: Harness, url: string, init: RequestInit = {}): Promise<Response> {
  if (h.kind === "node") return fetch(url, { redirect: "manual", ...init });
  return h.proxy.fetch(new Request(url, init));
}

/** `gcp_oauth_browser=...` from a response, for the next request's Cookie header. */
export function browserCookie(res: Response): string | undefined {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith("gcp_oauth_browser="));
}

/** Follows the fake Google's authorize URL once: its redirect Location, or the authcode page's code. */
export async function consent(
  authorizeUrl: string,
): Promise<{ location?: string; code?: string; status: number; body: string }> {
  const res = await fetch(authorizeUrl, { redirect: "manual" });
  const body = await res.text();
  const code = /<code id="authcode">([^<]+)<\/code>/.exec(body)?.[1];
  return {
    location: res.headers.get("location") ?? undefined,
    code: code?.replace(/&#x2F;|&#47;/g, "/"),
    status: res.status,
    body,
  };
}

/** Starts a login (JSON answer) and returns it with the browser cookie. */
export async function startJson(h: Harness, origin: string, mode?: string, headers: Record<string, string> = {}) {
  const res = await call(h, `${origin}/oauth2/login${mode ? `?mode=${mode}` : ""}`, {
    method: "POST",
    headers: { authorization: basic(), accept: "application/json", ...headers },
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { mode: string; state: string; authorizeUrl: string; redirectUri: string };
  return { ...body, cookie: browserCookie(res) };
}

/** Pastes a code or URL into POST /oauth2/complete (as the page's script does). */
export async function complete(
  h: Harness,
  origin: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const res = await call(h, `${origin}/oauth2/complete`, {
    method: "POST",
    headers: { authorization: basic(), "content-type": "application/json", accept: "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      ok: boolean;
      result?: string;
      message?: string;
      error?: { code: string; message: string };
      credential?: { id: string; email?: string; state: { status: string; reason?: string; link?: string } };
    },
  };
}

/** The loopback flow up to Google's redirect: login → fake consent → the callback URL. */
export async function loopbackToCallback(
  h: Harness,
  origin: string,
  query = "?mode=loopback",
): Promise<{ callback: string; cookie?: string; login: Response }> {
  const login = await call(h, `${origin}/oauth2/login${query}`, {
    method: "POST",
    headers: { authorization: basic() },
  });
  expect(login.status).toBe(302);
  const google = await consent(login.headers.get("location")!);
  expect(google.status).toBe(302);
  return { callback: google.location!, cookie: browserCookie(login), login };
}
