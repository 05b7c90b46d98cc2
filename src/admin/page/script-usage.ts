// Admin page script, part 2: the usage chart (stacked SVG bars per hour, no library), the usage
// table (series named by email or key name), and recent errors with Google's message (masked).
export const SCRIPT_USAGE = String.raw`
var COLORS = ["#1a73e8", "#e8710a", "#1e8e3e", "#d93025", "#9334e6", "#12b5cb", "#f9ab00", "#e52592", "#7cb342", "#795548"];
var SVGNS = "http://www.w3.org/2000/svg";
function svg(tag, attrs, text) {
  var n = document.createElementNS(SVGNS, tag);
  for (var k in attrs) n.setAttribute(k, attrs[k]);
  if (text !== undefined) n.textContent = text;
  return n;
}
function niceMax(v) {
  if (v <= 0) return 1;
  var p = Math.pow(10, Math.floor(Math.log10(v))), f = v / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}
function shortNum(n) { return n >= 1e6 ? (n / 1e6).toFixed(1) + "M" : n >= 1e3 ? (n / 1e3).toFixed(n >= 1e4 ? 0 : 1) + "k" : String(n); }
function drawChart(data, metric) {
  var box = document.getElementById("chart"), legend = document.getElementById("legend");
  // Drawn at the box's own width so labels keep their size on phones.
  var W = Math.max(320, Math.round(box.clientWidth || 800)), H = 240, L = 44, B = 22, T = 8, R = 8;
  var n = data.times.length, series = data.series.slice(0, COLORS.length);
  var sums = data.times.map(function (_, i) { return series.reduce(function (a, s) { return a + s[metric][i]; }, 0); });
  var max = niceMax(Math.max.apply(null, sums.concat([0])));
  var plotW = W - L - R, plotH = H - T - B, bw = plotW / n;
  var root = svg("svg", { viewBox: "0 0 " + W + " " + H, "data-max": String(max), "data-total": String(sums.reduce(function (a, b) { return a + b; }, 0)) });
  [0, 0.5, 1].forEach(function (f) {
    var y = T + plotH * (1 - f);
    root.append(svg("line", { x1: L, x2: W - R, y1: y, y2: y, class: "axis" }), svg("text", { x: L - 4, y: y + 3, "text-anchor": "end" }, shortNum(max * f)));
  });
  var every = Math.max(1, Math.ceil(n / Math.max(3, Math.floor(plotW / 70))));
  data.times.forEach(function (t, i) {
    var y = T + plotH;
    series.forEach(function (s, k) {
      var v = s[metric][i];
      if (!v) return;
      var h = (v / max) * plotH;
      y -= h;
      var rect = svg("rect", { x: (L + i * bw + bw * 0.1).toFixed(2), y: y.toFixed(2), width: Math.max(1, bw * 0.8).toFixed(2), height: h.toFixed(2), fill: COLORS[k], class: "bar-rect" });
      rect.append(svg("title", {}, (s.label || s.name) + " · " + new Date(t).toLocaleString() + ": " + v.toLocaleString() + " " + metric));
      root.append(rect);
    });
    if (i % every === 0) {
      var d = new Date(t);
      var label = d.getHours() === 0 || i === 0 ? (d.getMonth() + 1) + "/" + d.getDate() + " " + d.getHours() + "h" : d.getHours() + "h";
      root.append(svg("text", { x: L + i * bw + bw / 2, y: H - 6, "text-anchor": "middle" }, label));
    }
  });
  box.replaceChildren(root);
  legend.replaceChildren.apply(legend, series.length ? series.map(function (s, k) {
    var i = el("i"); i.style.background = COLORS[k];
    return el("span", { title: s.name }, [i, s.label || s.name]);
  }) : [el("span", { cls: "muted", text: "No requests in this period." })]);
}
function renderUsageTable(data) {
  var body = document.querySelector("#usage-table tbody");
  var num = function (v) { return el("td", { cls: "num", text: fmtNum(v) }); };
  body.replaceChildren.apply(body, data.series.map(function (s) {
    var t = s.totals, avg = t.requests ? Math.round((t.durationMs || 0) / t.requests) + " ms" : "";
    return el("tr", null, [el("td", { text: s.label || s.name, title: s.name }), num(t.requests), num(t.successes), num(t.errors), num(t.streamed), num(t.prompt), num(t.candidates), num(t.thoughts), num(t.cached), num(t.total), el("td", { cls: "num", text: avg })]);
  }));
}
function renderErrors(data) {
  var classes = Object.keys(data.by_class);
  var box = document.getElementById("error-classes");
  box.replaceChildren.apply(box, classes.length ? classes.map(function (c) { return el("span", { cls: "badge s-error", text: c + ": " + data.by_class[c] }); })
    : [el("span", { cls: "muted", text: data.requests ? "No errors in " + fmtNum(data.requests) + " requests." : "No requests yet." })]);
  var body = document.querySelector("#errors-table tbody");
  body.replaceChildren.apply(body, data.recent.slice(0, 20).map(function (e) {
    return el("tr", null, [el("td", { text: new Date(e.time).toLocaleTimeString() }), el("td", { text: e.error_class }), el("td", { cls: "msg", text: e.message || "" }),
      el("td", { text: e.status === null ? "" : String(e.status) }), el("td", { text: e.model || "" }), el("td", { text: e.credential || "", title: e.credential_id || "" }), el("td", { text: e.path })]);
  }));
}
window.refreshUsage = function () {
  var hours = document.getElementById("hours").value, by = document.getElementById("by").value, metric = document.getElementById("metric").value;
  return Promise.all([
    api("/admin/usage/series?hours=" + hours + "&by=" + by).then(function (d) { drawChart(d, metric); renderUsageTable(d); }),
    api("/admin/usage/errors").then(renderErrors)
  ]);
};
document.addEventListener("DOMContentLoaded", function () {
  ["hours", "by", "metric"].forEach(function (id) { document.getElementById(id).addEventListener("change", function () { window.refreshUsage(); }); });
  document.getElementById("reset-usage").addEventListener("click", function () {
    if (!confirm("Delete all usage statistics?")) return;
    api("/admin/usage/reset", { method: "POST" }).then(function () { toast("Usage reset"); refresh(); }).catch(function (e) { toast(e.message); });
  });
});
`;
