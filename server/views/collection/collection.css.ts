/**
 * Styles of the public collection pages, inlined after BASE_CSS (one request less on a slow
 * connection). Colours keep ≥ 4.5:1 contrast on white; layouts collapse to one column at 360 px.
 */
export const COLLECTION_CSS = `
html,body{background:#f5f3ee}
header.site{padding:10px 16px;flex-wrap:wrap}
header.site .brand{display:flex;align-items:center;gap:8px}
header.site .brand svg{flex:none}
.hsearch{display:flex;flex:1 1 16rem;max-width:32rem;margin:0 8px}
.hsearch input{flex:1;min-width:0;padding:6px 10px;border:1px solid #7a93ab;border-radius:4px 0 0 4px}
.hsearch button{padding:6px 12px;border:1px solid #c25400;background:#c25400;color:#fff;border-radius:0 4px 4px 0;cursor:pointer}
@media (max-width:40rem){.hsearch{order:3;flex-basis:100%;max-width:none;margin:0}}
h1{font-size:clamp(1.4rem,4.5vw,2rem)}
main{background:#fff;min-height:60vh;border-left:1px solid #e4e0d6;border-right:1px solid #e4e0d6}
h1{font-family:Georgia,"Times New Roman",serif;font-weight:600;line-height:1.25;margin:.3em 0 .5em;color:#0b2f4f}
h2{font-family:Georgia,"Times New Roman",serif;font-weight:600;color:#0b2f4f;font-size:1.25rem;border-bottom:2px solid #e4e0d6;padding-bottom:4px;margin-top:1.6em}
.hero{background:#0b3d66 linear-gradient(135deg,#0b3d66,#14598f);color:#fff;margin:-16px -16px 16px;padding:40px 16px 32px;text-align:center}
.hero h1{color:#fff;font-size:clamp(1.5rem,4vw,2.3rem);margin-top:0}
.hero p{max-width:40rem;margin:0 auto 16px;color:#e6eef6}
.bigsearch{display:flex;max-width:40rem;margin:0 auto;box-shadow:0 2px 8px rgba(0,0,0,.25);border-radius:6px}
.bigsearch input{flex:1;min-width:0;font-size:1.1rem;padding:12px 14px;border:0;border-radius:6px 0 0 6px}
.bigsearch button{font-size:1.1rem;padding:12px 20px;border:0;background:#c25400;color:#fff;border-radius:0 6px 6px 0;cursor:pointer;font-weight:600}
.hero .hint{font-size:.9rem;color:#d5e3f0;margin-top:12px}
.cards{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:16px}
.card a{display:block;text-decoration:none;color:inherit;border:1px solid #e4e0d6;border-radius:6px;padding:8px;height:100%;background:#fff}
.card a:hover,.card a:focus-visible{border-color:#0b4f8a;box-shadow:0 2px 6px rgba(11,61,102,.15)}
.card img{display:block;width:100%;aspect-ratio:3/4;object-fit:contain;object-position:top;background:#fff;border:1px solid #ddd}
.card .t{display:block;font-weight:600;color:#0b4f8a;margin-top:6px;line-height:1.3}
.card .s{display:block;font-size:.85rem;color:#555}
.browse{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:8px 24px}
.browse h3{font-size:1rem;margin:.8em 0 .3em}
.browse ul,.facet ul{list-style:none;padding:0;margin:0}
.browse li,.facet li{padding:2px 0}
.count{color:#555;font-size:.85rem}
.results-layout{display:grid;grid-template-columns:15rem 1fr;gap:24px}
@media (max-width:48rem){.results-layout{grid-template-columns:1fr}.filters{order:2}}
.filters{font-size:.95rem}
.facet{border-top:1px solid #e4e0d6;padding:8px 0}
.facet h3{font-size:.95rem;margin:0 0 4px}
.facet a[aria-current]{font-weight:700;color:#1a1a1a}
.facet .years{display:flex;gap:6px;align-items:end;flex-wrap:wrap}
.facet .years label{display:flex;flex-direction:column;font-size:.85rem}
.facet .years input{width:5.5rem;padding:4px}
.toolbar{display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap;gap:8px;border-bottom:1px solid #e4e0d6;padding-bottom:8px}
.toolbar select,.toolbar button,.facet button{padding:4px 8px}
.hits{list-style:none;padding:0;margin:0}
.hit{display:flex;gap:14px;padding:14px 0;border-bottom:1px solid #eee}
.hit img{flex:none;width:72px;height:96px;object-fit:cover;object-position:top;border:1px solid #ccc;background:#eee}
.hit h2{font-size:1.1rem;border:0;margin:0;padding:0}
.hit .by{color:#444;font-size:.92rem;margin:2px 0}
.hit .snip{margin:6px 0;font-size:.95rem}
.hit .found{font-size:.92rem;margin:4px 0 0}
.hit .found a{display:inline-block;padding:4px 0}
.badge{display:inline-block;font-size:.75rem;padding:1px 6px;border-radius:3px;background:#e7f1e8;color:#1d5a26;border:1px solid #b7d6bb;vertical-align:middle}
.badge.ro{background:#fdf1e3;color:#7a3d00;border-color:#ebc9a0}
nav.pager ul{display:flex;gap:4px;list-style:none;padding:0;flex-wrap:wrap}
nav.pager a,nav.pager span{display:inline-block;padding:4px 10px;border:1px solid #ccc;border-radius:4px;text-decoration:none}
nav.pager [aria-current]{background:#0b3d66;color:#fff;border-color:#0b3d66}
.crumbs ol{list-style:none;padding:0;margin:0 0 8px;display:flex;flex-wrap:wrap;gap:4px;font-size:.9rem}
.crumbs li+li::before{content:"›";margin-right:4px;color:#777}
.item-head{display:grid;grid-template-columns:minmax(0,1fr) 16rem;gap:24px}
@media (max-width:48rem){.item-head{grid-template-columns:1fr}.cover{max-width:10rem}}
.cover img{width:100%;border:1px solid #ccc;box-shadow:0 2px 6px rgba(0,0,0,.15)}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.meta dt{font-weight:600;color:#333}
dl.meta dd{margin:0}
@media (max-width:30rem){dl.meta{grid-template-columns:1fr}dl.meta dd{margin-bottom:6px}}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin:16px 0}
.btn{display:inline-block;padding:8px 16px;border-radius:4px;background:#0b3d66;color:#fff;text-decoration:none;font-weight:600;border:1px solid #0b3d66}
.btn.alt{background:#fff;color:#0b3d66}
.btn.dl{background:#c25400;border-color:#c25400}
.strip{list-style:none;padding:0;display:flex;gap:8px;overflow-x:auto;padding-bottom:8px}
.strip-nav{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.strip-nav form{display:flex;gap:4px;align-items:center}
.strip-nav input{width:5rem;padding:4px}
.strip li{flex:none;text-align:center;font-size:.8rem}
.strip a{display:block;text-decoration:none;border:2px solid transparent;border-radius:3px}
.strip a[aria-current]{border-color:#c25400}
.strip img{display:block;width:80px;height:110px;object-fit:cover;object-position:top;background:#eee}
form.inside{display:flex;gap:0;max-width:28rem}
form.inside input{flex:1;min-width:0;padding:6px 10px;border:1px solid #7a93ab;border-radius:4px 0 0 4px}
form.inside button{padding:6px 12px;border:1px solid #0b3d66;background:#0b3d66;color:#fff;border-radius:0 4px 4px 0}
.inside-hits{padding-left:1.2em}
.inside-hits li{margin:6px 0}
.cite{overflow-wrap:anywhere;background:#f7f5f0;border-left:4px solid #c25400;padding:8px 12px;font-family:Georgia,serif}
main:has(#reader){max-width:90rem}
.reader-title{font-size:clamp(1.2rem,3.5vw,1.6rem);margin:.1em 0 .3em}
.nohits{background:#fdf1e3;border-left:4px solid #c25400;padding:6px 10px;margin:4px 0}
.reader-bar{display:flex;justify-content:space-between;align-items:center;gap:6px 8px;flex-wrap:wrap;margin:4px 0 8px}
.reader-bar form{display:flex;gap:4px;align-items:center}
.reader-bar input{width:4.5rem;padding:4px}
.tools{display:none;flex-wrap:wrap;gap:4px;border:0;margin:0;padding:0}
.js .tools{display:flex}
.tools button{min-width:2.5rem;padding:4px 8px;border:1px solid #7a93ab;background:#fff;color:#0b3d66;border-radius:4px;cursor:pointer}
.tools button[aria-pressed=true]{background:#0b3d66;color:#fff;border-color:#0b3d66}
.tools [hidden]{display:none}
@media (max-width:61.99rem){.tools .two{display:none}}
.reader{display:grid;grid-template-columns:minmax(0,1fr);gap:16px;--avail:calc(100vh - 32px)}
@media (min-width:62rem){.reader{grid-template-columns:minmax(0,1fr) 20rem;align-items:start}.side{max-height:calc(var(--avail) + 20px);overflow:auto}.viewport{max-height:calc(var(--avail) + 20px)}}
.viewport{overflow:auto;background:#3a3a3a;padding:8px;border-radius:4px;touch-action:pan-x pan-y pinch-zoom}
.viewport.zoomed{cursor:grab;max-height:90vh}
@media (min-width:62rem){.viewport.zoomed{max-height:calc(var(--avail) + 20px)}}
.viewport:fullscreen{max-height:none;height:100vh;border-radius:0;--avail:calc(100vh - 16px)}
/* safe: a zoomed page wider than the viewport overflows to the right only, so all of it can be scrolled to. */
.spread{display:flex;justify-content:safe center;align-items:flex-start;gap:4px}
.facing{display:contents}
.pageimg{position:relative;margin:0;flex:none;width:100%;max-width:100%;background:#fff;line-height:0}
.viewport.two .pageimg{width:calc(50% - 2px)}
@media (min-width:62rem){.viewport:not(.fit-width) .pageimg{width:calc(var(--avail) * var(--ar))}.viewport.two:not(.fit-width):not(.zoomed) .pageimg{max-width:calc(50% - 2px)}}
.viewport.fit-page .pageimg{width:calc(var(--avail) * var(--ar))}
.viewport.zoomed .pageimg{max-width:none}
.pageimg img{display:block;width:100%;height:auto}
.pageimg .mark{position:absolute;background:rgba(255,200,0,.42);outline:2px solid #c25400;border-radius:2px;pointer-events:none}
.side .found{margin:8px 0}
.side .keys{display:none;font-size:.85rem}
@media (min-width:62rem){.js .side .keys{display:block}}
.strip li.has-hits a{border-color:#e0a100;background:#fff4cc}
.strip li.has-hits a[aria-current]{border-color:#c25400}
.strip li.has-hits::after{content:"";display:block;margin:2px auto 0;width:10px;height:10px;border-radius:50%;background:#c25400}
.pagetext{font-family:Georgia,serif;font-size:1.05rem;line-height:1.65;max-width:40rem}
.pagetext p{margin:0 0 .8em}
.textpage{border-bottom:1px solid #e4e0d6;padding-bottom:12px}
.textpage h2{font-size:1rem}
footer.site{max-width:72rem;margin:0 auto;padding:16px;font-size:.85rem;color:#444}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
