// Admin page script, part 1: API calls, theme, credentials cards and their actions, polling.
// Plain ES2020 in a string (no build step); DOM built with textContent only, never innerHTML.
export const SCRIPT_CORE = String.raw`
"use strict";
var G = {
  base: document.querySelector('meta[name="gcp-base"]').content,
  csrf: document.querySelector('meta[name="gcp-csrf"]').content,
  creds: [], timer: 0
};
function el(tag, attrs, kids) {
  var n = document.createElement(tag);
  if (attrs) for (var k in attrs) {
    if (k === "text") n.textContent = attrs[k];
    else if (k === "cls") n.className = attrs[k];
    else if (k.slice(0, 2) === "on") n.addEventListener(k.slice(2), attrs[k]);
    else if (attrs[k] !== undefined && attrs[k] !== null) n.setAttribute(k, attrs[k]);
  }
  (kids || []).forEach(function (c) { if (c !== null && c !== undefined) n.append(c); });
  return n;
}
function api(path, opts) {
  opts = opts || {};
  var headers = { accept: "application/json" };
  if (G.csrf) headers["x-csrf-token"] = G.csrf;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  return fetch(G.base + path, { method: opts.method || "GET", headers: headers, credentials: "same-origin",
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body) }).then(function (r) {
    if (r.status === 401) { location.href = G.base + "/login?next=" + encodeURIComponent(location.pathname); throw new Error("signed out"); }
    return r.json().catch(function () { return {}; }).then(function (data) {
      if (!r.ok) throw new Error(data.detail || data.error || ("HTTP " + r.status));
      return data;
    });
  });
}
function toast(text) {
  var t = el("div", { cls: "toast", role: "status", text: text });
  document.body.append(t); setTimeout(function () { t.remove(); }, 3000);
}
function fmtNum(n) { return (n || 0).toLocaleString(); }
function fmtDur(sec) {
  if (sec <= 0) return "now";
  var h = Math.floor(sec / 3600), m = Math.floor((sec % 3600) / 60), s = Math.floor(sec % 60);
  return (h ? h + "h " : "") + (h || m ? m + "m " : "") + s + "s";
}
function ago(iso) {
  if (!iso) return "never";
  var s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  return s < 0 ? "in " + fmtDur(-s) : fmtDur(s) + " ago";
}
function safeLink(url) { return /^https?:\/\//i.test(url || "") ? url : null; }

// Theme: system preference unless the toggle chose one.
(function () {
  var saved = localStorage.getItem("gcp-theme");
  if (saved) document.documentElement.dataset.theme = saved;
})();
function toggleTheme() {
  var root = document.documentElement;
  var dark = root.dataset.theme ? root.dataset.theme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  root.dataset.theme = dark ? "light" : "dark";
  localStorage.setItem("gcp-theme", root.dataset.theme);
}

function act(cred, action, label) {
  var method = action === "remove" ? "DELETE" : "POST";
  var path = "/admin/credentials/" + encodeURIComponent(cred.id) + (action === "remove" ? "" : "/" + action);
  if (action === "remove" && !confirm("Remove " + (cred.email || cred.id) + "?")) return;
  api(path, { method: method }).then(function (res) {
    toast(label + ": " + (res.check_details ? (res.check_details.is_healthy ? "healthy" : "unhealthy " + (res.check_details.reason || "")) : "done"));
    refresh();
  }).catch(function (e) { toast(label + " failed: " + e.message); });
}
function quotaRows(quota) {
  var names = Object.keys(quota || {});
  if (!names.length) return null;
  var lowest = Math.min.apply(null, names.map(function (m) { return quota[m].remaining_fraction; }));
  var grid = el("div", { cls: "quota" }, names.flatMap(function (m) {
    var f = Math.max(0, Math.min(1, quota[m].remaining_fraction));
    // CSSOM, not a style attribute: the page's CSP forbids inline styles.
    var fill = el("span"); fill.style.width = (f * 100).toFixed(1) + "%";
    var bar = el("div", { cls: "bar" + (f === 0 ? " empty" : f < 0.2 ? " low" : ""), title: quota[m].reset_time ? "resets " + quota[m].reset_time : "" }, [fill]);
    return [el("span", { text: m }), bar, el("span", { text: Math.round(f * 100) + "%" })];
  }));
  // Folded unless some model runs low: eleven full bars say less than one line.
  var box = el("details", { cls: "quota-box" }, [el("summary", { text: "Quota: " + names.length + " models, lowest " + Math.round(lowest * 100) + "%" }), grid]);
  if (lowest < 0.2) box.open = true;
  return box;
}
function credCard(c) {
  var disabled = c.status === "disabled";
  var cooldowns = Object.keys(c.cooldowns || {}).map(function (m) {
    return el("div", { cls: "cooldown", "data-until": c.cooldowns[m].until, "data-model": m, title: c.cooldowns[m].reason }, [m + " cooling: " + fmtDur(c.cooldowns[m].remaining_sec) + " (" + c.cooldowns[m].reason + ")"]);
  });
  var link = safeLink(c.verification_link);
  var btn = function (action, label, cls) { return el("button", { type: "button", cls: cls || "", "data-action": action, onclick: function () { act(c, action, label); } }, [label]); };
  return el("article", { cls: "cred", "data-id": c.id, "data-status": c.status }, [
    el("div", { cls: "row" }, [el("span", { cls: "email", text: c.email || [c.label, c.key_label].filter(Boolean).join(" ") || c.id }), el("span", { cls: "badge s-" + c.status, "data-role": "status", text: c.status.replace(/_/g, " ") })]),
    el("div", { cls: "id", text: c.id + " · " + c.kind + (c.project_id ? " · " + c.project_id : "") + (c.tier ? " · " + c.tier : "") }),
    c.failure_reason ? el("div", { cls: "reason", text: c.failure_reason }) : null,
    link ? el("a", { href: link, target: "_blank", rel: "noopener noreferrer", text: "Open the verification page" }) : null,
    el("div", null, cooldowns),
    quotaRows(c.quota),
    el("dl", null, [el("dt", { text: "Requests" }), el("dd", { text: fmtNum(c.usage_count) }), el("dt", { text: "Last used" }), el("dd", { text: ago(c.times.last_used_at) }),
      el("dt", { text: "Token expiry" }), el("dd", { text: c.times.expires_at ? ago(c.times.expires_at) : "n/a" }), el("dt", { text: "Added" }), el("dd", { text: ago(c.times.created_at) })]),
    el("div", { cls: "actions" }, [btn("check", "Check"), disabled ? btn("enable", "Enable") : btn("disable", "Disable"),
      cooldowns.length ? btn("clear-cooldown", "Clear cooldown") : null, btn("remove", "Remove", "danger")])
  ]);
}
function renderCreds(list) {
  G.creds = list;
  var box = document.getElementById("credentials");
  box.replaceChildren.apply(box, list.length ? list.map(credCard) : [el("p", { cls: "muted", text: "No credentials yet: add a Google account or an API key." })]);
  var counts = {};
  list.forEach(function (c) { counts[c.status] = (counts[c.status] || 0) + 1; });
  document.getElementById("cred-summary").textContent = list.length + " total" + Object.keys(counts).map(function (s) { return " · " + counts[s] + " " + s.replace(/_/g, " "); }).join("");
}
function tickCountdowns() {
  document.querySelectorAll(".cooldown[data-until]").forEach(function (n) {
    var left = Math.round((Date.parse(n.dataset.until) - Date.now()) / 1000);
    n.firstChild.textContent = n.dataset.model + " cooling: " + fmtDur(left) + " (" + n.title + ")";
  });
}
function refresh() {
  var jobs = [
    window.refreshOverview ? window.refreshOverview() : null,
    api("/admin/credentials").then(renderCreds),
    window.refreshUsage ? window.refreshUsage() : null,
    window.refreshKeys ? window.refreshKeys() : null
  ];
  return Promise.all(jobs).then(function () {
    document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
    document.body.dataset.loaded = "1";
  }).catch(function (e) { toast(e.message); });
}
document.addEventListener("DOMContentLoaded", function () {
  document.getElementById("theme").addEventListener("click", toggleTheme);
  var out = document.getElementById("logout");
  if (out) out.addEventListener("click", function () { api("/logout", { method: "POST" }).finally(function () { location.href = G.base + "/login"; }); });
  document.getElementById("add-key-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var input = ev.target.elements.apiKey;
    api("/admin/credentials/add", { method: "POST", body: { credential: { apiKey: input.value.trim() } } })
      .then(function (r) { input.value = ""; toast("API key " + r.message.replace("credential_", "")); refresh(); })
      .catch(function (e) { toast("Add failed: " + e.message); });
  });
  refresh();
  setInterval(refresh, 5000);
  setInterval(tickCountdowns, 1000);
});
`;
