// The admin page's "Client keys" section: its markup, its script (create with the key shown once
// and a copy button, edit limits, disable / enable, revoke, usage today and this month) and its
// styles. Kept apart from the rest of the page so the page can be restyled around it.

/** The section's markup (no data: the script fills it from /admin/keys). */
export const KEYS_SECTION = `<section id="keys-section"><div class="section-head"><h2>Client keys</h2><span id="keys-summary" class="muted small"></span></div>
<details class="add-key" id="new-key-box"><summary>Create a client key</summary><form id="key-form" class="key-form">
<label>Name<input name="name" required maxlength="100" placeholder="alice, ci-bot…"></label>
<label>Models<input name="models" placeholder="all, or gemini-2.5-*, *-flash*"></label>
<label>RPM<input name="rpm" inputmode="numeric" placeholder="∞"></label><label>TPM<input name="tpm" inputmode="numeric" placeholder="∞"></label>
<label>Tokens / day<input name="daily_tokens" inputmode="numeric" placeholder="∞"></label><label>Tokens / month<input name="monthly_tokens" inputmode="numeric" placeholder="∞"></label>
<label>Expires<input name="expires_at" type="date"></label><button type="submit" class="primary">Create key</button></form></details>
<div id="created-key" class="created-key" hidden><p><strong>Copy this key now: it is shown once.</strong></p>
<div class="copy-row"><input id="created-key-value" readonly aria-label="New client key"><button type="button" id="copy-key">Copy</button><button type="button" id="dismiss-key" class="ghost">Done</button></div></div>
<div class="table-wrap"><table id="keys-table"><thead><tr><th>Name</th><th>Models</th><th class="num">RPM</th><th class="num">TPM</th><th class="num">Day budget</th><th class="num">Month budget</th><th class="num">Today</th><th class="num">This month</th><th>Last used</th><th>Status</th><th></th></tr></thead><tbody></tbody></table></div>
</section>`;

export const KEYS_CSS = `
.key-form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}.key-form label{display:flex;flex-direction:column;gap:.15rem;font-size:.85em;color:var(--muted)}
.key-form input{width:9em}.key-form input[name=name],.key-form input[name=models]{width:14em}
.created-key{border:1px solid var(--ok);border-radius:8px;padding:.5rem .75rem;margin:.75rem 0}.created-key p{margin:0 0 .4rem}
.copy-row{display:flex;gap:.5rem}.copy-row input{flex:1;min-width:0;font-family:ui-monospace,monospace}
#keys-table td.models{white-space:normal;max-width:16em;overflow-wrap:anywhere}#keys-table input{width:7em;padding:.15rem .35rem}
#keys-table input[name=models],#keys-table input[name=name]{width:12em}
`;

/** Plain ES2020 like the rest of the page's script; uses its el(), api(), toast(), fmtNum() and ago(). */
export const SCRIPT_KEYS = String.raw`
var K = { editing: null };
function keyLimit(v) { v = String(v || "").trim(); return v === "" || v === "∞" ? null : Number(v); }
function keyBody(form) {
  var f = form.elements, body = {};
  ["name", "models", "rpm", "tpm", "daily_tokens", "monthly_tokens", "expires_at"].forEach(function (name) {
    if (!f[name]) return;
    var v = f[name].value.trim();
    if (name === "name") body.name = v;
    else if (name === "models") body.models = v ? v.split(",").map(function (s) { return s.trim(); }).filter(Boolean) : [];
    else if (name === "expires_at") body.expires_at = v ? new Date(v + (v.length === 10 ? "T23:59:59Z" : "")).toISOString() : null;
    else body[name] = keyLimit(v);
  });
  return body;
}
function keyStatus(k) {
  if (k.disabled) return "disabled";
  return k.expires_at && Date.parse(k.expires_at) <= Date.now() ? "expired" : "active";
}
function limitText(n) { return n === null || n === undefined ? "∞" : fmtNum(n); }
function usageText(u) { return fmtNum(u.requests) + " req · " + fmtNum(u.tokens) + " tok"; }
function keyAction(k, method, body, label) {
  return api("/admin/keys/" + encodeURIComponent(k.id), { method: method, body: body })
    .then(function () { toast(label + ": " + k.name); K.editing = null; refreshKeys(); })
    .catch(function (e) { toast(label + " failed: " + e.message); });
}
function keyRow(k) {
  var status = keyStatus(k);
  var btn = function (label, cls, fn) { return el("button", { type: "button", cls: cls || "", "data-action": label.toLowerCase(), onclick: fn }, [label]); };
  if (K.editing === k.id) {
    var input = function (name, value) { return el("input", { name: name, value: value === null || value === undefined ? "" : String(value), placeholder: "∞", "aria-label": name }); };
    var row = el("tr", { "data-id": k.id, cls: "editing" });
    var cells = [input("name", k.name), input("models", k.models.join(", ")), input("rpm", k.rpm), input("tpm", k.tpm), input("daily_tokens", k.daily_tokens), input("monthly_tokens", k.monthly_tokens)];
    cells.forEach(function (c) { row.append(el("td", null, [c])); });
    var save = function () {
      var body = {};
      row.querySelectorAll("input").forEach(function (i) {
        if (i.name === "name") body.name = i.value.trim();
        else if (i.name === "models") body.models = i.value.trim() ? i.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean) : [];
        else body[i.name] = keyLimit(i.value);
      });
      keyAction(k, "PATCH", body, "Saved");
    };
    row.append(el("td", { colspan: "4", cls: "muted small", text: "today " + usageText(k.usage.today) }), el("td", { cls: "badge-cell" }, [el("span", { cls: "badge s-" + status, text: status })]),
      el("td", null, [el("div", { cls: "actions" }, [btn("Save", "primary", save), btn("Cancel", "ghost", function () { K.editing = null; refreshKeys(); })])]));
    return row;
  }
  return el("tr", { "data-id": k.id, "data-status": status }, [
    el("td", null, [el("strong", { text: k.name }), el("div", { cls: "muted small", text: k.id })]),
    el("td", { cls: "models", text: k.models.length ? k.models.join(", ") : "all" }),
    el("td", { cls: "num", text: limitText(k.rpm) }), el("td", { cls: "num", text: limitText(k.tpm) }),
    el("td", { cls: "num", text: limitText(k.daily_tokens) }), el("td", { cls: "num", text: limitText(k.monthly_tokens) }),
    el("td", { cls: "num", "data-role": "today", text: usageText(k.usage.today) }), el("td", { cls: "num", "data-role": "month", text: usageText(k.usage.month) }),
    el("td", { text: ago(k.last_used_at) }),
    el("td", null, [el("span", { cls: "badge s-" + status, "data-role": "status", text: status })]),
    el("td", null, [el("div", { cls: "actions" }, [
      btn("Edit", "", function () { K.editing = k.id; renderKeys(K.list); }),
      k.disabled ? btn("Enable", "", function () { keyAction(k, "PATCH", { disabled: false }, "Enabled"); })
                 : btn("Disable", "", function () { keyAction(k, "PATCH", { disabled: true }, "Disabled"); }),
      btn("Revoke", "danger", function () { if (confirm("Revoke " + k.name + "? Clients using it are refused at once.")) keyAction(k, "DELETE", undefined, "Revoked"); })
    ])])
  ]);
}
function renderKeys(list) {
  K.list = list;
  var body = document.querySelector("#keys-table tbody");
  body.replaceChildren.apply(body, list.length ? list.map(keyRow) : [el("tr", null, [el("td", { colspan: "11", cls: "muted", text: "No client keys yet: static auth_keys only." })])]);
  var today = list.reduce(function (a, k) { return a + k.usage.today.tokens; }, 0);
  document.getElementById("keys-summary").textContent = list.length + (list.length === 1 ? " key · " : " keys · ") + fmtNum(today) + " tokens today";
}
function refreshKeys() {
  // An open edit row is not redrawn under the admin's fingers.
  return api("/admin/keys").then(function (r) { if (!K.editing) renderKeys(r.keys); });
}
window.refreshKeys = refreshKeys;
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("key-form");
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    api("/admin/keys", { method: "POST", body: keyBody(form) }).then(function (created) {
      form.reset();
      document.getElementById("created-key-value").value = created.key;
      document.getElementById("created-key").hidden = false;
      toast("Created " + created.name);
      refreshKeys();
    }).catch(function (e) { toast("Create failed: " + e.message); });
  });
  document.getElementById("copy-key").addEventListener("click", function () {
    var input = document.getElementById("created-key-value");
    input.select();
    var done = function () { toast("Key copied"); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
    else { document.execCommand("copy"); done(); }
  });
  document.getElementById("dismiss-key").addEventListener("click", function () {
    document.getElementById("created-key-value").value = "";
    document.getElementById("created-key").hidden = true;
  });
});
`;
