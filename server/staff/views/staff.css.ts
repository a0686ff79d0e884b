/** Staff workspace styles, added to the base CSS: dense tables, forms, badges, charts, print. */
export const STAFF_CSS = `
html,body{background:#f4f6f8}
body{min-height:100vh}
.error{max-width:40rem;margin:6vh auto}
header.site{padding:0 16px;min-height:52px}
header.site{flex-wrap:wrap}
header.site nav{display:flex;flex-wrap:wrap;gap:0;flex:1;margin-left:12px}
header.site nav a{padding:15px 9px;white-space:nowrap;text-decoration:none;color:#dbe7f3;font-size:.95rem}
header.site nav a[aria-current=page]{color:#fff;box-shadow:inset 0 -3px 0 #f2a33a}
header.site nav a:hover{color:#fff}
.who{display:flex;gap:10px;white-space:nowrap;align-items:center;font-size:.85rem;color:#dbe7f3}
.who form{margin:0}
.who button{background:transparent;border:1px solid #7fa3c6;color:#fff;border-radius:4px;padding:2px 10px;cursor:pointer}
main{max-width:110rem}
h1{font-size:1.5rem;margin:8px 0 16px}
h2{font-size:1.15rem;margin:24px 0 8px}
.card>h2:first-child,.card>section>h2:first-child{margin-top:0}
.card{background:#fff;border:1px solid #d9dee4;border-radius:6px;padding:16px;margin-bottom:16px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:12px;margin-bottom:16px}
.stat{background:#fff;border:1px solid #d9dee4;border-radius:6px;padding:12px 16px}
.stat b{display:block;font-size:1.8rem;line-height:1.2}
.stat span{color:#555;font-size:.9rem}
a.stat{color:inherit;text-decoration:none}a.stat:hover{border-color:#1f5f8b}
table.grid{width:100%;background:#fff;border:1px solid #d9dee4;font-size:.875rem}
table.grid th{background:#eef2f6;font-weight:600;white-space:nowrap}
table.grid th{position:relative}
table.grid.sticky th{position:sticky;top:0}
table.grid td,table.grid th{padding:6px 8px;vertical-align:top}
table.grid tr:nth-child(even) td{background:#fafbfc}
table.grid th a{color:inherit;text-decoration:none}
table.grid td.wrap{min-width:16rem}
table.grid td.nowrap{white-space:nowrap}
table.grid td.num,table.grid th.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto;position:relative}
form.inline{display:inline-flex;flex-wrap:wrap;gap:4px;align-items:center;margin:2px 0}
.scroll:focus-visible{outline:2px solid #1d4ed8;outline-offset:2px}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.8rem;font-weight:600;white-space:nowrap}
.b-available{background:#dff3e4;color:#155724}.b-failed{background:#fbe0e0;color:#8a1c1c}
.b-processing,.b-received,.b-receiving{background:#e1ecf8;color:#0b3d66}.b-withdrawn{background:#e6e6e6;color:#333}
.b-over{background:#fff0d6;color:#7a4a00}.b-ok{background:#dff3e4;color:#155724}
form.filters{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:flex-end;margin-bottom:12px}
form.filters label,form.stack label{display:flex;flex-direction:column;font-size:.85rem;color:#333;gap:2px}
form.stack{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:12px 16px}
form.stack .wide{grid-column:1/-1}
input,select,textarea{max-width:100%;padding:6px 8px;border:1px solid #9aa5b1;border-radius:4px;background:#fff}
textarea{min-height:4rem}
button,.button{display:inline-block;padding:7px 14px;border-radius:4px;border:1px solid #0b4f8a;background:#0b4f8a;color:#fff;cursor:pointer;text-decoration:none;font-size:.95rem}
button.secondary,.button.secondary{background:#fff;color:#0b4f8a}
button.danger{background:#a12626;border-color:#a12626}
.actions{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.pager{display:flex;gap:12px;align-items:center;margin:12px 0}
.notice{padding:10px 14px;border-radius:4px;margin-bottom:12px;border:1px solid}
.notice.ok{background:#e9f7ee;border-color:#9fd3b0}.notice.err{background:#fdeeee;border-color:#e3a3a3}
.notice.warn{background:#fff6e5;border-color:#f0c36d}
.notice code{overflow-wrap:anywhere}
.login{max-width:24rem;margin:8vh auto}
.login form{display:flex;flex-direction:column;gap:12px}
.login label{display:flex;flex-direction:column;gap:4px}
progress{width:100%;height:1.2rem}
.bar{height:8px;background:#e3e8ee;border-radius:4px;overflow:hidden;min-width:6rem}
.bar i{display:block;height:100%;background:#2f7dc1}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(22rem,100%),1fr));gap:16px}
.wide-cols{grid-template-columns:repeat(auto-fit,minmax(min(32rem,100%),1fr))}
table.grid td.progress{width:30%;min-width:8rem}
svg.chart{width:100%;height:auto;max-width:44rem}
svg.chart text{font:12px system-ui,sans-serif;fill:#333}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.kv dt{color:#555}dl.kv dd{margin:0;min-width:0;overflow-wrap:anywhere}
.cols>*{min-width:0}
@media (max-width:480px){dl.kv{grid-template-columns:1fr;gap:0}dl.kv dd{margin-bottom:6px}}
.thumbs{display:flex;flex-wrap:wrap;gap:8px}
.thumbs{gap:12px}
.thumbs figure{margin:0;text-align:center;font-size:.8rem;width:128px}
.thumbs img{width:90px;border:1px solid #ccc;background:#fff}
.page-edit{display:flex;flex-wrap:wrap;gap:6px;align-items:center;justify-content:center;margin-top:4px}
.page-edit input[type=number]{width:4rem;padding:2px 4px}
@media print{header.site,.noprint{display:none}body{background:#fff}}
`;
