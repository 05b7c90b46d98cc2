// The admin page's stylesheet: light and dark (system preference, or the toggle's choice stored in
// localStorage), and a one-column layout on phones.
export const ADMIN_CSS = `
:root{--bg:#f7f8fa;--fg:#1d2228;--muted:#5f6b7a;--card:#fff;--line:#dde2e8;--accent:#1a73e8;--ok:#137333;--warn:#b06000;--bad:#c5221f;--info:#5e35b1;--bar:#e8ebef}
@media (prefers-color-scheme:dark){:root:not([data-theme=light]){--bg:#111418;--fg:#e6e9ed;--muted:#9aa5b1;--card:#1b2026;--line:#2d343c;--accent:#8ab4f8;--ok:#81c995;--warn:#fdd663;--bad:#f28b82;--info:#c58af9;--bar:#2a3038}}
:root[data-theme=dark]{--bg:#111418;--fg:#e6e9ed;--muted:#9aa5b1;--card:#1b2026;--line:#2d343c;--accent:#8ab4f8;--ok:#81c995;--warn:#fdd663;--bad:#f28b82;--info:#c58af9;--bar:#2a3038}
*{box-sizing:border-box}[hidden]{display:none!important}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--accent)}
h1{font-size:1.15rem;margin:0}h2{font-size:1.05rem;margin:0}
.muted{color:var(--muted)}.small{font-size:.85em}.spacer{flex:1}
header.top{display:flex;gap:.75rem;align-items:center;padding:.75rem 1rem;background:var(--card);border-bottom:1px solid var(--line);position:sticky;top:0;z-index:2}
main{max-width:1200px;margin:0 auto;padding:1rem}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem;margin-bottom:1rem}
.section-head{display:flex;flex-wrap:wrap;gap:.5rem .75rem;align-items:center;margin-bottom:.75rem}
button,.button,select,input{font:inherit;color:var(--fg);background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.35rem .7rem;text-decoration:none;cursor:pointer;display:inline-block}
button:hover,.button:hover{border-color:var(--accent)}
.primary{background:var(--accent);border-color:var(--accent);color:#fff}
:root[data-theme=dark] .primary{color:#111}
@media (prefers-color-scheme:dark){:root:not([data-theme=light]) .primary{color:#111}}
.ghost{background:transparent}.link{background:none;border:0;color:var(--accent);padding:0;text-decoration:underline}
button.danger{color:var(--bad)}
button:disabled{opacity:.5;cursor:default}
.pill,.badge{display:inline-block;padding:.1rem .55rem;border-radius:99px;font-size:.8em;font-weight:600;border:1px solid currentColor;white-space:nowrap}
.s-active,.s-healthy{color:var(--ok)}.s-rate_limited,.s-suspected,.s-expired,.s-refreshing,.s-degraded{color:var(--warn)}
.s-disabled{color:var(--muted)}.s-permission_denied,.s-needs_verification,.s-ineligible,.s-error,.s-unhealthy{color:var(--bad)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:.75rem}
.cred{border:1px solid var(--line);border-radius:8px;padding:.75rem;display:flex;flex-direction:column;gap:.4rem}
.cred .row{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
.cred .id{font-family:ui-monospace,monospace;font-size:.85em;color:var(--muted)}
.cred .email{font-weight:600;overflow-wrap:anywhere}
.cred dl{display:grid;grid-template-columns:auto 1fr;gap:.1rem .75rem;margin:0;font-size:.85em}.cred dt{color:var(--muted)}.cred dd{margin:0}
.cooldown{font-size:.85em;color:var(--warn)}.reason{font-size:.85em;color:var(--bad);overflow-wrap:anywhere}
.quota-box summary{cursor:pointer;font-size:.85em;color:var(--muted)}
.quota{display:grid;grid-template-columns:minmax(7em,auto) 1fr 3em;gap:.2rem .5rem;align-items:center;font-size:.8em}
.bar{height:8px;background:var(--bar);border-radius:4px;overflow:hidden}.bar>span{display:block;height:100%;background:var(--ok)}
.bar.low>span{background:var(--warn)}.bar.empty>span{background:var(--bad)}
.actions{display:flex;gap:.4rem;flex-wrap:wrap}.actions button{padding:.2rem .55rem;font-size:.85em}
.cred-tools,.bulk{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-bottom:.6rem}.cred-tools input[type=search]{flex:1 1 14em;min-width:0}
#cred-table-box .table-wrap{max-height:70vh;overflow:auto}#cred-table thead th{position:sticky;top:0;background:var(--card);z-index:1}
#cred-table td.who{white-space:normal;min-width:12em}#cred-table .email{font-weight:600;overflow-wrap:anywhere}#cred-table .id{font-family:ui-monospace,monospace;font-size:.8em;color:var(--muted)}
#cred-table .acts button{padding:.15rem .45rem;font-size:.85em;margin-right:.25rem}.unverified{margin-left:.3rem}
.add-key{margin-top:.75rem}.add-key form{display:flex;gap:.5rem;margin-top:.5rem}.add-key input{flex:1;min-width:0}
.chart{width:100%;min-height:220px}.chart svg{width:100%;height:240px;display:block}
.chart .axis{stroke:var(--line)}.chart text{fill:var(--muted);font-size:10px}
.legend{display:flex;flex-wrap:wrap;gap:.4rem .9rem;font-size:.85em;margin:.4rem 0}.legend i{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.3em;vertical-align:-.05em}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9em}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);white-space:nowrap}
td.msg{white-space:normal;min-width:14em;max-width:32em;overflow-wrap:anywhere}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badges{display:flex;flex-wrap:wrap;gap:.4rem;margin-bottom:.5rem}
.alert{color:var(--bad);border:1px solid var(--bad);border-radius:6px;padding:.5rem .75rem}
.toast{position:fixed;bottom:1rem;left:50%;transform:translateX(-50%);background:var(--fg);color:var(--bg);padding:.5rem 1rem;border-radius:6px;z-index:3}
footer{text-align:center;padding:1rem}
body.login{display:grid;place-items:center;min-height:100vh}
.login-box{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1.5rem;width:min(360px,92vw)}
.login-box form{display:flex;flex-direction:column;gap:.75rem}.login-box label{display:flex;flex-direction:column;gap:.25rem}
@media (max-width:640px){main{padding:.5rem}section{padding:.75rem;border-radius:8px}.cards{grid-template-columns:1fr}header.top{flex-wrap:wrap}.chart svg{height:240px}}
`;
