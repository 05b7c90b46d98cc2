// The CLI's two ways to get tokens: a loopback callback server on 127.0.0.1 (browser on this
// machine; a redirect URL pasted on stdin also works when the browser is elsewhere), and the
// authcode flow (print the URL, read the code Google shows). PKCE S256 in both.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { isUpstreamError } from "../gemini/errors.ts";
import {
  buildAuthorizeUrl,
  createPkcePair,
  exchangeCode,
  type OAuthContext,
  type TokenSet,
} from "../upstream/oauth.ts";
import { LoginError } from "./account.ts";
import { parsePasted, type CallbackInput } from "./flow.ts";
import { AUTHCODE_REDIRECT_URI } from "./modes.ts";

export interface CliLoginIO {
  print: (text: string) => void;
  /** The next line on stdin; undefined when stdin is closed. */
  readLine: () => Promise<string | undefined>;
}

async function exchange(oauth: OAuthContext, code: string, redirectUri: string, verifier: string): Promise<TokenSet> {
  try {
    return await exchangeCode(oauth, { code, redirectUri, codeVerifier: verifier });
  } catch (error) {
    if (isUpstreamError(error) && error.reason === "invalid_grant") {
      throw new LoginError(
        "invalid_grant",
        "Google rejected the authorization code (invalid_grant): it expired, was already used, or was mistyped.",
      );
    }
    throw new LoginError("exchange_failed", `The code exchange with Google failed: ${(error as Error).message}`);
  }
}

/** Checks a callback (or a pasted URL) against this login; returns the code. */
function codeFrom(input: CallbackInput, state: string, requireState: boolean): string {
  if ((input.state !== undefined || requireState) && input.state !== state) {
    throw new LoginError(
      "unknown_state",
      "State mismatch: this redirect belongs to another login (possible CSRF). Run the login again.",
    );
  }
  if (input.error) {
    const detail = input.errorDescription ? ` (${input.errorDescription.slice(0, 200)})` : "";
    throw new LoginError(
      input.error === "access_denied" ? "access_denied" : "exchange_failed",
      `Google returned ${input.error.slice(0, 100)}${detail}`,
    );
  }
  if (!input.code) throw new LoginError("missing_code", "No authorization code was given.");
  return input.code;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font:16px system-ui;max-width:40em;margin:3em auto"><h1>${title}</h1><p>${text}</p></body>`;

export async function loopbackLogin(
  oauth: OAuthContext,
  io: CliLoginIO & { port?: number; open?: (url: string) => Promise<boolean>; timeoutMs?: number },
): Promise<TokenSet> {
  const state = randomBytes(32).toString("hex");
  const pkce = createPkcePair();
  let settle!: { resolve: (t: TokenSet) => void; reject: (e: unknown) => void };
  const done = new Promise<TokenSet>((resolve, reject) => (settle = { resolve, reject }));
  let redirectUri = "";
  let finished = false;
  const finish = async (input: CallbackInput, requireState: boolean): Promise<TokenSet> => {
    if (finished) throw new LoginError("unknown_state", "This login was already completed.");
    try {
      const code = codeFrom(input, state, requireState);
      finished = true;
      const tokens = await exchange(oauth, code, redirectUri, pkce.verifier);
      settle.resolve(tokens);
      return tokens;
    } catch (error) {
      finished = true;
      settle.reject(error);
      throw error;
    }
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/oauth2callback") return void res.writeHead(404).end();
    const q = url.searchParams;
    const input = {
      state: q.get("state") ?? undefined,
      code: q.get("code") ?? undefined,
      error: q.get("error") ?? undefined,
      errorDescription: q.get("error_description") ?? undefined,
    };
    finish(input, true).then(
      () =>
        res
          .writeHead(200, { "content-type": "text/html; charset=utf-8" })
          .end(
            PAGE(
              "Authentication Successful!",
              "The account is being added; you can close this tab and return to the terminal.",
            ),
          ),
      (error: Error) =>
        res
          .writeHead(400, { "content-type": "text/html; charset=utf-8" })
          .end(PAGE("Authentication Failed", String(error.message).replace(/[<>&"]/g, ""))),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(io.port ?? 0, "127.0.0.1", resolve);
  });
  redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2callback`;
  const url = buildAuthorizeUrl(oauth, { redirectUri, state, codeChallenge: pkce.challenge, prompt: "consent" });
  io.print(`Open this URL in a browser to sign in with Google:\n\n  ${url}\n`);
  if (io.open && !(await io.open(url))) io.print("(the browser could not be opened; open the URL yourself)");
  io.print(
    `Waiting for Google to redirect to ${redirectUri} ... (if the browser is on another machine, paste the address of the page it lands on here)`,
  );
  // A redirect URL pasted on stdin finishes the login too (browser on another machine).
  void (async () => {
    for (let line = await io.readLine(); line !== undefined && !finished; line = await io.readLine()) {
      if (!line.trim()) continue;
      try {
        const pasted = parsePasted(line);
        codeFrom(pasted, state, true); // a typo is reported, and the login keeps waiting
        await finish(pasted, true).catch(() => {});
      } catch (error) {
        io.print(`${(error as Error).message} Paste the full address again, or wait for the browser.`);
      }
    }
  })();
  const timer = setTimeout(
    () => settle.reject(new LoginError("expired", "No answer from Google within the time limit; run the login again.")),
    io.timeoutMs ?? 5 * 60_000,
  );
  try {
    return await done;
  } finally {
    clearTimeout(timer);
    // Give the browser its answer page before closing.
    setTimeout(() => {
      server.closeAllConnections();
      server.close();
    }, 200).unref();
  }
}

export async function authcodeLogin(oauth: OAuthContext, io: CliLoginIO): Promise<TokenSet> {
  const state = randomBytes(32).toString("hex");
  const pkce = createPkcePair();
  const url = buildAuthorizeUrl(oauth, {
    redirectUri: AUTHCODE_REDIRECT_URI,
    state,
    codeChallenge: pkce.challenge,
    prompt: "consent",
  });
  io.print(`Open this URL in any browser, sign in, and copy the code Google shows:\n\n  ${url}\n`);
  io.print("Paste the authorization code: ");
  const line = await io.readLine();
  if (!line?.trim()) throw new LoginError("missing_code", "No authorization code was entered.");
  const code = codeFrom(parsePasted(line), state, false);
  return exchange(oauth, code, AUTHCODE_REDIRECT_URI, pkce.verifier);
}
