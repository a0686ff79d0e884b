/**
 * Base styles for every page: system fonts (no web font download), readable line length,
 * contrast ≥ 4.5:1, visible focus, usable from 360 px wide. Kept small: it is inlined.
 */
export const BASE_CSS = `
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff}
body{margin:0}
a{color:#0b4f8a}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #c25400;outline-offset:2px}
.skip{position:absolute;left:-999px}
.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:10}
header.site{display:flex;justify-content:space-between;align-items:center;gap:8px;padding:8px 16px;background:#0b3d66;color:#fff}
header.site a{color:#fff}
.brand{font-weight:700;text-decoration:none;font-size:1.1rem}
main{max-width:72rem;margin:0 auto;padding:16px}
img{max-width:100%;height:auto}
table{border-collapse:collapse}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #ccc}
button,input,select{font:inherit}
mark{background:#ffe066;color:inherit}
.muted{color:#555}
`;
