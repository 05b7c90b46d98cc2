// Plain HTML for the login pages: the "add account" chooser, the paste step, the result and the
// error page. Every dynamic value goes through `esc`; no token ever reaches a page.
import { randomBytes } from "node:crypto";
import { credentialName } from "../admin/format.ts";
import { esc } from "../admin/page/html.ts";
import type { CredentialView } from "../pool/pool.ts";
import type { LoginError, LoginOutcome } from "./account.ts";
import type { LoginMode } from "./modes.ts";

/** Only web links from Google reach an href (never `javascript:` and the like). */
const safeLink = (link: string | undefined): string | undefined =>
  link && /^https?:\/\//i.test(link) ? link : undefined;

const STYLE =
  "body{font:15px/1.5 system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;color:#222}" +
  "a.button,button{display:inline-block;padding:.5em 1em;border:1px solid #1a73e8;border-radius:4px;background:#1a73e8;color:#fff;text-decoration:none;font:inherit;cursor:pointer}" +
  "input[type=text]{width:100%;padding:.5em;font:inherit;box-sizing:border-box}section{border-top:1px solid #ddd;margin-top:1.5em}" +
  ".muted{color:#666}.bad{color:#b00020}.ok{color:#137333}.warn{color:#8a4b00}code{background:#f3f3f3;padding:0 .2em}table{border-collapse:collapse}td,th{padding:.2em .6em;text-align:left}";

/** Every page gets a strict CSP; its own inline style and script run by nonce. */
export function page(
  title: string,
  body: string,
  status = 200,
  extraHead = "",
  script = "",
  formTargets = "",
): Response {
  const nonce = randomBytes(16).toString("base64");
  const text =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<meta name="referrer" content="no-referrer"><title>${esc(title)}</title><style nonce="${nonce}">${STYLE}</style>${extraHead}</head>` +
    `<body>${body}${script ? `<script nonce="${nonce}">${script}</script>` : ""}</body></html>`;
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; form-action 'self'${formTargets ? ` ${formTargets}` : ""}; frame-ancestors 'none'; base-uri 'none'`;
  return new Response(text, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": csp,
      "x-content-type-options": "nosniff",
    },
  });
}

const MODE_TEXT: Record<LoginMode, { title: string; when: string }> = {
  loopback: {
    title: "Sign in with Google (this machine)",
    when: "The admin page is open on localhost: Google sends the browser straight back here.",
  },
  authcode: {
    title: "Sign in and paste the code",
    when: "For a proxy on a remote server: Google shows a code on its own page, you paste it here. No port to expose.",
  },
  paste: {
    title: "Paste the redirect URL",
    when: "Google redirects to a 127.0.0.1 address that does not answer; copy that address from the browser's bar and paste it here.",
  },
  own: {
    title: "Sign in with your own OAuth client",
    when: "Uses oauth_client and public_url from the config: Google redirects to this proxy's public address.",
  },
};

function accountRows(accounts: CredentialView[]): string {
  if (accounts.length === 0) return `<p class="muted">No accounts yet.</p>`;
  const rows = accounts.map((a) => {
    // Keys by name and masked label (AIza…Xy12), as on the admin page: ids tell keys apart for nobody.
    const name = credentialName(a, a.id);
    const reason = a.state.reason ? ` — ${esc(a.state.reason)}` : "";
    const href = safeLink(a.state.link);
    const link = href ? ` <a href="${esc(href)}" rel="noreferrer" target="_blank">fix</a>` : "";
    return `<tr data-id="${esc(a.id)}"><td class="account">${esc(name)}</td><td>${esc(a.state.status)}${reason}${link}</td></tr>`;
  });
  return `<table id="accounts"><tr><th>Account</th><th>Status</th></tr>${rows.join("")}</table>`;
}

export function addAccountPage(input: {
  base: string;
  available: LoginMode[];
  preferred: LoginMode;
  problems: Partial<Record<LoginMode, string>>;
  accounts: CredentialView[];
  csrf?: string;
}): Response {
  const modes = (["loopback", "authcode", "paste", "own"] as LoginMode[]).map((mode) => {
    const text = MODE_TEXT[mode];
    const problem = input.problems[mode];
    const action = problem
      ? `<p class="muted">Not available: ${esc(problem)}</p>`
      : `<p><a class="button" id="login-${mode}" href="${esc(`${input.base}/oauth2/login?mode=${mode}`)}">${esc(text.title)}</a>${mode === input.preferred ? ` <span class="muted">(recommended here)</span>` : ""}</p>`;
    return `<section><h2>${esc(text.title)}</h2><p>${esc(text.when)}</p>${action}</section>`;
  });
  const body =
    `<h1>Add an account</h1><p><a href="${esc(`${input.base}/`)}">← Back to the admin page</a></p>` +
    `<p>Log in with a Google account that can use Gemini Code Assist. The proxy then looks up its email and project and onboards it.</p>` +
    `${modes.join("")}${importSection(input.base)}<section><h2>Accounts</h2>${accountRows(input.accounts)}</section>`;
  const head = input.csrf ? `<meta name="csrf-token" content="${esc(input.csrf)}">` : "";
  return page("Add an account", body, 200, head, IMPORT_SCRIPT);
}

/** Upload of account files: oauth_creds.json, the predecessor's credentials.json, or API keys. */
function importSection(base: string): string {
  return (
    `<section><h2>Import a file</h2><p>Your Gemini CLI login (<code>~/.gemini/oauth_creds.json</code>), the Python proxy's ` +
    `<code>credentials.json</code> (with its encryption key if it is encrypted), or Gemini API keys, one per line.</p>` +
    `<form id="import" action="${esc(`${base}/admin/credentials/import`)}"><p><input type="file" name="file" required></p>` +
    `<p><input type="password" name="passphrase" placeholder="Encryption key (only for an encrypted file)" autocomplete="off"></p>` +
    `<p><button type="submit">Import</button></p></form><ul id="import-result" role="status"></ul></section>`
  );
}

// Reads the file in the browser and posts its text as JSON with the session's CSRF header; renders text only.
const IMPORT_SCRIPT = `document.getElementById("import").addEventListener("submit",async(e)=>{e.preventDefault();const f=e.target,out=document.getElementById("import-result"),file=f.file.files[0];if(!file)return;
const t=document.querySelector('meta[name="csrf-token"]'),h={"content-type":"application/json",accept:"application/json"};if(t)h["x-csrf-token"]=t.content;out.replaceChildren();
const say=(text,cls)=>{const li=document.createElement("li");li.textContent=text;if(cls)li.className=cls;out.append(li);};
try{const r=await fetch(f.action,{method:"POST",headers:h,credentials:"same-origin",body:JSON.stringify({text:await file.text(),name:file.name,passphrase:f.passphrase.value})});const j=await r.json();
if(!r.ok){say(j.reason||j.detail||("HTTP "+r.status),"bad");return;}for(const x of j.results)say((x.at?x.at+" ":"")+(x.email||x.key||x.kind||"entry")+": "+x.result+(x.status?" ("+x.status+")":"")+(x.reason?" — "+x.reason:""),x.result==="added"||x.result==="updated"?"ok":"bad");}
catch(x){say(String(x),"bad");}});`;

/** Step page for `authcode` and `paste`: open Google in a new tab, then paste what it gives back. */
/**
 * What GET /oauth2/login shows: one button that POSTs. Its CSP lets the form's answer redirect to
 * Google's sign-in page (`authorizeOrigin`); form-action covers redirects too.
 */
export function confirmLoginPage(input: {
  base: string;
  mode: LoginMode;
  csrf?: string;
  authorizeOrigin: string;
}): Response {
  const text = MODE_TEXT[input.mode];
  const query = `mode=${encodeURIComponent(input.mode)}${input.csrf ? `&_csrf=${encodeURIComponent(input.csrf)}` : ""}`;
  const body =
    `<h1>Add a Google account</h1><p>${esc(text.when)}</p>` +
    `<form id="start" method="post" action="${esc(`${input.base}/oauth2/login?${query}`)}">` +
    `<p><button type="submit" id="continue">${esc(text.title)}</button></p></form>` +
    `<p class="muted"><a href="${esc(`${input.base}/oauth2/add`)}">Other ways</a> · <a href="${esc(`${input.base}/`)}">Back to the admin page</a></p>`;
  return page("Add a Google account", body, 200, "", "", input.authorizeOrigin);
}

export function pastePage(input: {
  base: string;
  mode: LoginMode;
  state: string;
  authorizeUrl: string;
  csrf?: string;
}): Response {
  const what =
    input.mode === "authcode"
      ? "the code Google shows"
      : "the whole address of the page Google sent you to (it starts with http://127.0.0.1)";
  const head = input.csrf ? `<meta name="csrf-token" content="${esc(input.csrf)}">` : "";
  const body =
    `<h1>${esc(MODE_TEXT[input.mode].title)}</h1>` +
    `<p>1. <a class="button" id="google" href="${esc(input.authorizeUrl)}" target="_blank" rel="noopener noreferrer">Open Google sign-in</a></p>` +
    `<form id="paste" method="post" action="${esc(`${input.base}/oauth2/complete`)}" data-add="${esc(`${input.base}/oauth2/add`)}"><p>2. Paste ${esc(what)}:</p>` +
    `<input type="hidden" name="state" value="${esc(input.state)}"><p><input type="text" name="input" autocomplete="off" required></p>` +
    `<p><button type="submit">Add the account</button></p></form><div id="result" role="status"></div>` +
    `<p class="muted">This login expires in 10 minutes. <a href="${esc(`${input.base}/oauth2/add`)}">Start again</a></p>`;
  return page(MODE_TEXT[input.mode].title, body, 200, head, PASTE_SCRIPT);
}

// Posts with fetch so the admin session's CSRF header can be sent; renders text only (no HTML).
const PASTE_SCRIPT = `document.getElementById("paste").addEventListener("submit",async(e)=>{e.preventDefault();const f=e.target,out=document.getElementById("result");
const t=document.querySelector('meta[name="csrf-token"]'),h={"content-type":"application/json",accept:"application/json"};if(t)h["x-csrf-token"]=t.content;
out.textContent="Working…";try{const r=await fetch(f.action,{method:"POST",headers:h,credentials:"same-origin",body:JSON.stringify({state:f.state.value,input:f.input.value})});
const j=await r.json();out.className=j.ok&&j.result!=="dropped"?"ok":"bad";out.textContent=j.ok?j.message:(j.error&&j.error.message)||("HTTP "+r.status);
if(j.ok){f.hidden=true;const a=document.createElement("a");a.href=f.dataset.add;a.textContent=" Add another or see all accounts";out.append(a);}}catch(x){out.className="bad";out.textContent=String(x);}});`;

export function outcomeMessage(outcome: LoginOutcome): string {
  const c = outcome.credential;
  const who = c.email ?? "The account";
  if (outcome.result === "dropped") {
    return `${who} was not added: Google says it is not eligible for Gemini Code Assist (${c.state.reason ?? "no reason given"}).`;
  }
  const verb = outcome.result === "added" ? "was added" : "was already in the pool and has been updated";
  const status =
    c.state.status === "active"
      ? "It is active."
      : `Its status is ${c.state.status}${c.state.reason ? `: ${c.state.reason}` : ""}.`;
  return `${who} ${verb}. ${status}`;
}

export function resultPage(base: string, outcome: LoginOutcome): Response {
  const c = outcome.credential;
  // The heading says whether the account was kept (never red for a success); a state that needs
  // attention is the message's colour, not the heading's.
  const kept = outcome.result !== "dropped";
  const tone = !kept ? "bad" : c.state.status === "active" ? "ok" : "warn";
  const href = safeLink(c.state.link);
  const link = href ? `<p><a href="${esc(href)}" target="_blank" rel="noreferrer">${esc(href)}</a></p>` : "";
  const body =
    `<h1 class="${kept ? "ok" : "bad"}">${kept ? "Authentication Successful!" : "Account not added"}</h1>` +
    `<p id="outcome" class="${tone}" data-result="${esc(outcome.result)}" data-status="${esc(c.state.status)}">${esc(outcomeMessage(outcome))}</p>${link}` +
    `<p><a href="${esc(`${base}/`)}">Back to the admin page</a> · <a href="${esc(`${base}/oauth2/add`)}">Add another account</a></p>`;
  return page("Login result", body, outcome.result === "dropped" ? 422 : 200);
}

export function errorPage(
  base: string,
  error: LoginError | { code: string; message: string; status: number },
): Response {
  const body =
    `<h1 class="bad">Authentication Failed</h1><p id="error" data-code="${esc(error.code)}">Reason: ${esc(error.message)}</p>` +
    `<p><a href="${esc(`${base}/oauth2/add`)}">Start a new login</a> · <a href="${esc(`${base}/`)}">Back to the admin page</a></p>`;
  return page("Authentication Failed", body, error.status);
}
