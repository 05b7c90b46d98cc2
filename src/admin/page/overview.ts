// The top of the admin page: the status badge with what "degraded" or "unhealthy" means (which
// credentials need attention and why, the storage when it is down) and this process's last hour
// and day: requests, errors, error rate, median latency and tokens (GET /admin/summary).

const tile = (key: string, label: string) =>
  `<div class="stat" data-stat="${key}"><span class="muted small">${label}</span><b data-window="hour">–</b><span class="muted small">24 h: <span data-window="day">–</span></span></div>`;

export const OVERVIEW_SECTION = `<section id="overview" aria-label="Overview"><div class="section-head"><h2>Last hour</h2><span id="overview-since" class="muted small"></span></div>
<div id="health-detail" class="health-detail" hidden><p id="health-why"></p><ul id="attention"></ul></div>
<div class="stats">${tile("requests", "Requests")}${tile("errors", "Errors")}${tile("error_rate", "Error rate")}${tile("p50_ms", "p50 latency")}${tile("tokens", "Tokens")}</div></section>`;

export const OVERVIEW_CSS = `
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(7.5em,1fr));gap:.5rem}
.stat{border:1px solid var(--line);border-radius:8px;padding:.5rem .65rem;display:flex;flex-direction:column;min-width:0}
.stat b{font-size:1.35rem;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.health-detail{border:1px solid var(--warn);border-radius:8px;padding:.5rem .75rem;margin-bottom:.75rem}
.health-detail.s-unhealthy{border-color:var(--bad)}.health-detail p{margin:0 0 .25rem;font-weight:600}
.health-detail ul{margin:0;padding-left:1.1rem;font-size:.9em}.health-detail li{overflow-wrap:anywhere}
`;

export const SCRIPT_OVERVIEW = String.raw`
function fmtStat(key, v) {
  if (v === null || v === undefined) return "–";
  if (key === "error_rate") return (v * 100).toFixed(v > 0 && v < 0.1 ? 1 : 0) + "%";
  if (key === "p50_ms") return v >= 1000 ? (v / 1000).toFixed(1) + " s" : Math.round(v) + " ms";
  return fmtNum(v);
}
function whyText(s) {
  if (s.status === "healthy") return "";
  var parts = [];
  if (s.attention_total) parts.push(s.attention_total + (s.attention_total === 1 ? " credential needs" : " credentials need") + " attention");
  if (s.storage && s.storage.degraded) parts.push("the " + s.storage.backend + " storage is unreachable" + (s.storage.since ? " since " + new Date(s.storage.since).toLocaleTimeString() : "") +
    ": serving from memory, " + s.storage.queued_writes + " writes queued");
  var head = s.status === "unhealthy" ? "Unhealthy: no credential can serve a request" : "Degraded: still serving";
  return head + (parts.length ? " — " + parts.join("; ") + "." : ".");
}
function renderOverview(s) {
  var p = document.getElementById("health");
  p.textContent = s.status; p.className = "pill s-" + s.status;
  var box = document.getElementById("health-detail");
  box.hidden = s.status === "healthy";
  box.className = "health-detail s-" + s.status;
  document.getElementById("health-why").textContent = whyText(s);
  p.title = whyText(s);
  var list = document.getElementById("attention");
  var items = s.attention.map(function (a) {
    var link = safeLink(a.link);
    return el("li", { "data-id": a.id }, [el("b", { text: a.name }), ": " + a.status.replace(/_/g, " ") + (a.reason ? " — " + a.reason : ""),
      link ? el("a", { href: link, target: "_blank", rel: "noopener noreferrer", text: " fix" }) : null]);
  });
  if (s.attention_total > s.attention.length) items.push(el("li", { text: "and " + (s.attention_total - s.attention.length) + " more (filter the credentials by state)" }));
  list.replaceChildren.apply(list, items);
  ["requests", "errors", "error_rate", "p50_ms", "tokens"].forEach(function (key) {
    var t = document.querySelector('.stat[data-stat="' + key + '"]');
    t.querySelector('[data-window="hour"]').textContent = fmtStat(key, s.last_hour[key]);
    t.querySelector('[data-window="day"]').textContent = fmtStat(key, s.last_day[key]);
  });
  var since = Date.parse(s.since);
  document.getElementById("overview-since").textContent = Date.now() - since < 86400000 ? "this instance, counting since " + new Date(since).toLocaleString() : "this instance";
}
window.refreshOverview = function () { return api("/admin/summary").then(renderOverview); };
`;
