// The admin page's HTML shell. Data arrives from the JSON API (admin-script), so the document holds
// only the layout, the base path and, for a login session, the CSRF token.
import { documentHead, esc, htmlResponse } from "./html.ts";
import { KEYS_SECTION } from "./keys-section.ts";
import { OVERVIEW_SECTION } from "./overview.ts";

/** The state filter's choices (the pool's statuses). */
const STATES = [
  "active",
  "rate_limited",
  "suspected",
  "expired",
  "refreshing",
  "permission_denied",
  "needs_verification",
  "ineligible",
  "disabled",
  "error",
];

export function adminPage(input: { base: string; csrf?: string; user: string; via: string }): Response {
  const { base } = input;
  const head = documentHead(
    "gemini-cli-proxy admin",
    base,
    `<meta name="gcp-base" content="${esc(base)}"><meta name="gcp-csrf" content="${esc(input.csrf ?? "")}">` +
      `<script src="${esc(`${base}/admin/ui/app.js`)}" defer></script>`,
  );
  const logout = input.via === "session" ? `<button type="button" id="logout" class="ghost">Sign out</button>` : "";
  const body = `<body>
<header class="top"><h1>gemini-cli-proxy</h1><span id="health" class="pill">…</span><span class="spacer"></span>
<span class="muted small" id="who">${esc(input.user)}</span>${logout}<button type="button" id="theme" class="ghost" aria-label="Toggle dark mode">◐</button></header>
<main>
${OVERVIEW_SECTION}
<section id="credentials-section"><div class="section-head"><h2>Credentials</h2><span id="cred-summary" class="muted small"></span><span class="spacer"></span>
<a class="button primary" id="add-account" href="${esc(`${base}/oauth2/login`)}">Add Google account</a>
<a class="button" id="add-options" href="${esc(`${base}/oauth2/add`)}">Paste a code / other ways</a></div>
<div class="cred-tools"><input id="cred-search" type="search" placeholder="Search email, name, key …Xy12, id" aria-label="Search credentials">
<select id="cred-state" aria-label="Filter by state"><option value="">all states</option>${STATES.map((s) => `<option value="${s}">${s.replace(/_/g, " ")}</option>`).join("")}<option value="unverified">unverified</option></select>
<select id="cred-sort" aria-label="Sort by"><option value="name">sort: name</option><option value="last_used">last used</option><option value="errors">errors</option><option value="cooldown">cooldown end</option><option value="requests">requests</option></select>
<span id="cred-shown" class="muted small"></span><span class="spacer"></span><button type="button" id="cred-view" class="ghost">Table</button></div>
<div id="credentials" class="cards" aria-live="polite"><p class="muted">Loading…</p></div>
<div id="cred-table-box" hidden><div id="bulk-bar" class="bulk"><span id="bulk-count" class="muted small">0 selected</span>
<button type="button" data-bulk="check">Check</button><button type="button" data-bulk="disable">Disable</button><button type="button" data-bulk="enable">Enable</button><button type="button" data-bulk="remove" class="danger">Remove</button></div>
<div class="table-wrap"><table id="cred-table"><thead><tr><th><input type="checkbox" id="cred-all" aria-label="Select all shown"></th><th>Credential</th><th>State</th><th>Last used</th><th class="num">Requests</th><th class="num">Errors</th><th>Cooldown</th><th>Actions</th></tr></thead><tbody></tbody></table></div></div>
<details class="add-key"><summary>Add a Gemini API key</summary><form id="add-key-form"><input name="apiKey" type="password" autocomplete="off" placeholder="AIza…" required><button type="submit">Add key</button></form></details>
</section>
${KEYS_SECTION}
<section id="usage-section"><div class="section-head"><h2>Usage</h2><span class="spacer"></span>
<label>Show <select id="metric"><option value="requests">requests</option><option value="tokens">tokens</option></select></label>
<label>by <select id="by"><option value="model">model</option><option value="key">client key</option><option value="credential">credential</option></select></label>
<label>over <select id="hours"><option value="24">24 h</option><option value="48" selected>48 h</option><option value="168">7 days</option></select></label></div>
<div id="chart" class="chart" role="img" aria-label="Usage per hour"></div><div id="legend" class="legend"></div>
<div class="table-wrap"><table id="usage-table"><thead><tr><th>Name</th><th>Requests</th><th>OK</th><th>Errors</th><th>Streamed</th><th>Prompt</th><th>Output</th><th>Thoughts</th><th>Cached</th><th>Total tokens</th><th>Avg latency</th></tr></thead><tbody></tbody></table></div>
<p class="small"><a id="export-csv" href="${esc(`${base}/admin/usage/export?format=csv`)}">Export CSV</a> · <a id="export-json" href="${esc(`${base}/admin/usage/export?format=json`)}">Export JSON</a> · <button type="button" id="reset-usage" class="link">Reset usage</button></p>
</section>
<section id="errors-section"><div class="section-head"><h2>Errors, last 24 h</h2></div><div id="error-classes" class="badges"></div>
<div class="table-wrap"><table id="errors-table"><thead><tr><th>Time</th><th>Class</th><th>Message</th><th>Status</th><th>Model</th><th>Credential</th><th>Path</th></tr></thead><tbody></tbody></table></div></section>
</main><footer class="muted small">Refreshes every 5 s · <span id="updated"></span></footer></body></html>`;
  return htmlResponse(head + body);
}
