// Which web login mode fits, and the redirect URI each one uses. The Gemini CLI's public client
// accepts only loopback redirects and Google's own authcode page (docs/upstream.md#accepted-redirect-uris), so a
// public callback URL needs a client the user registered themselves.
import { joinURL } from "ufo";
import { GEMINI_CLI_OAUTH_CLIENT } from "../upstream/oauth.ts";

/**
 * - `loopback`: Google redirects the browser to this proxy on a loopback address.
 * - `authcode`: Google shows a code on codeassist.google.com; the user pastes it (remote servers).
 * - `paste`: Google redirects to a loopback address that is dead; the user pastes that URL.
 * - `own`: the user's own OAuth client, redirect to `publicUrl`.
 */
export type LoginMode = "loopback" | "authcode" | "paste" | "own";

export const LOGIN_MODES: readonly LoginMode[] = ["loopback", "authcode", "paste", "own"];
export const AUTHCODE_REDIRECT_URI = "https://codeassist.google.com/authcode";
/** Port named in `paste` redirects when the page's own port is unknown (the CLI's default). */
const PASTE_FALLBACK_PORT = "8889";

export interface ModeSetup {
  basePath: string;
  clientId: string;
  publicUrl?: string;
}

export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return name === "localhost" || name === "::1" || /^127(\.\d{1,3}){3}$/.test(name);
}

const usesGeminiCliClient = (setup: ModeSetup) => setup.clientId === GEMINI_CLI_OAUTH_CLIENT.clientId;

/** Why `mode` cannot work with this setup, in plain words; undefined when it can. */
export function modeProblem(mode: LoginMode, setup: ModeSetup, url: URL): string | undefined {
  if (mode === "loopback" && !isLoopbackHostname(url.hostname)) {
    return "Loopback login needs the admin page opened on localhost or 127.0.0.1 (Google redirects the browser back there). Use the code or paste mode instead.";
  }
  if (mode === "authcode" && !usesGeminiCliClient(setup)) {
    return "Google shows a code to paste only for the Gemini CLI's own OAuth client; with your own client, use public_url or a loopback mode.";
  }
  if (mode === "own") {
    if (!setup.publicUrl)
      return "Set public_url (and oauth_client) in the config to log in through a public callback URL.";
    if (usesGeminiCliClient(setup)) {
      return "The Gemini CLI's OAuth client rejects non-loopback redirects: configure oauth_client with a client you registered, whose redirect URIs include this proxy's /oauth2/callback.";
    }
  }
  return undefined;
}

/** The mode used when `?mode=` is absent. */
export function defaultMode(setup: ModeSetup, url: URL): LoginMode {
  if (!modeProblem("own", setup, url)) return "own";
  if (isLoopbackHostname(url.hostname)) return "loopback";
  return usesGeminiCliClient(setup) ? "authcode" : "paste";
}

export function availableModes(setup: ModeSetup, url: URL): LoginMode[] {
  return LOGIN_MODES.filter((mode) => !modeProblem(mode, setup, url));
}

export function redirectUriFor(mode: LoginMode, setup: ModeSetup, url: URL): string {
  const path = joinURL(setup.basePath || "/", "oauth2/callback");
  switch (mode) {
    case "loopback":
      return joinURL(url.origin, path);
    case "authcode":
      return AUTHCODE_REDIRECT_URI;
    case "paste": {
      const port = isLoopbackHostname(url.hostname) && url.port ? url.port : PASTE_FALLBACK_PORT;
      return joinURL(`http://127.0.0.1:${port}`, path);
    }
    case "own":
      return joinURL(setup.publicUrl ?? "", path);
  }
}

export function parseMode(value: unknown): LoginMode | undefined {
  return typeof value === "string" && (LOGIN_MODES as readonly string[]).includes(value)
    ? (value as LoginMode)
    : undefined;
}
