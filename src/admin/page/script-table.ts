// Admin page script, part 3: the compact credentials table for large pools (4 accounts and 150 API
// keys are one screen, not 11,000 px of cards): state filter, search (email, name, key suffix, id),
// sorting, row selection and bulk actions, API keys named by their masked label and an optional name.
// It takes over renderCreds from part 1; the cards stay available through the view switch.
export const SCRIPT_TABLE = String.raw`
var T = { sel: new Set(), view: localStorage.getItem("gcp-cred-view") || "" };
var renderCards = renderCreds;
function credName(c) { return c.email || c.label || c.key_label || c.id; }
function credSub(c) {
  if (c.kind === "api_key") return (c.label ? c.key_label + " · " : "") + c.id;
  return c.id + (c.project_id ? " · " + c.project_id : "");
}
function cooldownEnd(c) {
  var ends = Object.keys(c.cooldowns || {}).map(function (m) { return Date.parse(c.cooldowns[m].until); });
  return ends.length ? Math.max.apply(null, ends) : 0;
}
function matches(c, q, state) {
  if (state === "unverified") { if (c.verified !== false) return false; }
  else if (state && c.status !== state) return false;
  if (!q) return true;
  var hay = [c.email, c.label, c.key_label, c.id, c.kind, c.project_id].join(" ").toLowerCase();
  return q.split(/\s+/).every(function (w) { return hay.indexOf(w) >= 0; });
}
var SORTS = {
  name: function (a, b) { return credName(a).localeCompare(credName(b)); },
  last_used: function (a, b) { return (Date.parse(b.times.last_used_at || 0) || 0) - (Date.parse(a.times.last_used_at || 0) || 0); },
  errors: function (a, b) { return (b.failures || 0) - (a.failures || 0) || (Date.parse(b.times.failed_at || 0) || 0) - (Date.parse(a.times.failed_at || 0) || 0); },
  cooldown: function (a, b) { return cooldownEnd(b) - cooldownEnd(a); },
  requests: function (a, b) { return (b.usage_count || 0) - (a.usage_count || 0); }
};
function visibleCreds() {
  var q = document.getElementById("cred-search").value.trim().toLowerCase();
  var state = document.getElementById("cred-state").value;
  var sort = SORTS[document.getElementById("cred-sort").value] || SORTS.name;
  return G.creds.filter(function (c) { return matches(c, q, state); }).sort(function (a, b) { return sort(a, b) || a.id.localeCompare(b.id); });
}
function rename(c) {
  var name = prompt("Name for " + (c.key_label || c.id) + " (empty clears it)", c.label || "");
  if (name === null) return;
  api("/admin/credentials/" + encodeURIComponent(c.id), { method: "PATCH", body: { name: name } })
    .then(function () { toast("Renamed"); refresh(); }).catch(function (e) { toast("Rename failed: " + e.message); });
}
function credRow(c) {
  var box = el("input", { type: "checkbox", "aria-label": "Select " + credName(c), "data-id": c.id });
  box.checked = T.sel.has(c.id);
  box.addEventListener("change", function () { if (box.checked) T.sel.add(c.id); else T.sel.delete(c.id); updateBulk(); });
  var end = cooldownEnd(c);
  var btn = function (action, label, cls) { return el("button", { type: "button", cls: cls || "", "data-action": action, onclick: function () { act(c, action, label); } }, [label]); };
  return el("tr", { "data-id": c.id, "data-status": c.status }, [
    el("td", null, [box]),
    el("td", { cls: "who" }, [el("div", { cls: "email", text: credName(c) }), el("div", { cls: "id", text: credSub(c) })]),
    el("td", null, [el("span", { cls: "badge s-" + c.status, "data-role": "status", text: c.status.replace(/_/g, " "), title: c.failure_reason || "" }),
      c.verified === false ? el("span", { cls: "badge s-suspected unverified", text: "unverified", title: "Google has not accepted this credential yet" }) : null]),
    el("td", { text: ago(c.times.last_used_at) }),
    el("td", { cls: "num", text: fmtNum(c.usage_count) }),
    el("td", { cls: "num", text: String(c.failures || 0), title: c.failure_reason || "" }),
    el("td", { text: end > Date.now() ? "in " + fmtDur(Math.round((end - Date.now()) / 1000)) : "—" }),
    el("td", { cls: "acts" }, [btn("check", "Check"), c.status === "disabled" ? btn("enable", "Enable") : btn("disable", "Disable"),
      el("button", { type: "button", "data-action": "rename", onclick: function () { rename(c); } }, ["Name"]), btn("remove", "Remove", "danger")])
  ]);
}
function updateBulk() {
  var ids = new Set(G.creds.map(function (c) { return c.id; }));
  T.sel.forEach(function (id) { if (!ids.has(id)) T.sel.delete(id); });
  document.getElementById("bulk-count").textContent = T.sel.size + " selected";
  document.querySelectorAll("#bulk-bar button").forEach(function (b) { b.disabled = T.sel.size === 0; });
}
function renderTable() {
  var rows = visibleCreds();
  var body = document.querySelector("#cred-table tbody");
  body.replaceChildren.apply(body, rows.length ? rows.map(credRow) : [el("tr", null, [el("td", { colspan: "8", cls: "muted", text: G.creds.length ? "No credential matches." : "No credentials yet: add a Google account or an API key." })])]);
  var all = document.getElementById("cred-all");
  all.checked = rows.length > 0 && rows.every(function (c) { return T.sel.has(c.id); });
  document.getElementById("cred-shown").textContent = rows.length === G.creds.length ? "" : rows.length + " of " + G.creds.length + " shown";
  updateBulk();
}
function useTable() { return T.view ? T.view === "table" : G.creds.length > 12; }
renderCreds = function (list) {
  renderCards(list);
  var table = useTable();
  document.getElementById("credentials").hidden = table;
  document.getElementById("cred-table-box").hidden = !table;
  document.getElementById("cred-view").textContent = table ? "Cards" : "Table";
  if (table) renderTable();
};
function bulk(action) {
  var ids = Array.from(T.sel);
  if (!ids.length) return;
  if (action === "remove" && !confirm("Remove " + ids.length + " credential(s)?")) return;
  api("/admin/credentials/bulk", { method: "POST", body: { action: action, ids: ids } }).then(function (r) {
    toast(action + ": " + r.done + " of " + ids.length + " done");
    if (action === "remove") T.sel.clear();
    refresh();
  }).catch(function (e) { toast(action + " failed: " + e.message); });
}
document.addEventListener("DOMContentLoaded", function () {
  ["cred-search", "cred-state", "cred-sort"].forEach(function (id) {
    document.getElementById(id).addEventListener(id === "cred-search" ? "input" : "change", function () { if (G.creds.length) renderTable(); });
  });
  document.getElementById("cred-all").addEventListener("change", function (ev) {
    visibleCreds().forEach(function (c) { if (ev.target.checked) T.sel.add(c.id); else T.sel.delete(c.id); });
    renderTable();
  });
  document.querySelectorAll("#bulk-bar button[data-bulk]").forEach(function (b) {
    b.addEventListener("click", function () { bulk(b.dataset.bulk); });
  });
  document.getElementById("cred-view").addEventListener("click", function () {
    T.view = useTable() ? "cards" : "table";
    localStorage.setItem("gcp-cred-view", T.view);
    renderCreds(G.creds);
  });
});
`;
