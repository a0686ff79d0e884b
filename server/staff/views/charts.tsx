/** Small server-rendered SVG charts: no script, no library, readable when printed. */

export interface BarSeries {
  label: string;
  color: string;
  values: number[];
}

const W = 640;
const H = 220;
const PAD = { l: 48, r: 8, t: 12, b: 36 };

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return Math.ceil(v / p) * p;
}

/** Grouped vertical bars, one group per category (e.g. month). */
export function BarChart({
  categories,
  series,
  title,
}: {
  categories: string[];
  series: BarSeries[];
  title: string;
}) {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const gw = iw / Math.max(1, categories.length);
  const bw = Math.max(2, (gw * 0.8) / Math.max(1, series.length));
  const y = (v: number) => PAD.t + ih - (v / max) * ih;
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
      <title>{title}</title>
      {[0, 0.5, 1].map((f) => (
        <g>
          <line x1={PAD.l} x2={W - PAD.r} y1={y(max * f)} y2={y(max * f)} stroke="#dde2e8" />
          <text x={PAD.l - 6} y={y(max * f) + 4} text-anchor="end">
            {Math.round(max * f).toLocaleString('id-ID')}
          </text>
        </g>
      ))}
      {categories.map((c, i) => (
        <g>
          {series.map((s, j) => {
            const v = s.values[i] ?? 0;
            return (
              <rect
                x={PAD.l + i * gw + gw * 0.1 + j * bw}
                y={y(v)}
                width={bw - 1}
                height={Math.max(0, PAD.t + ih - y(v))}
                fill={s.color}
              >
                <title>{`${c} · ${s.label}: ${v.toLocaleString('id-ID')}`}</title>
              </rect>
            );
          })}
          <text x={PAD.l + i * gw + gw / 2} y={H - PAD.b + 14} text-anchor="middle">
            {c}
          </text>
        </g>
      ))}
      {series.map((s, j) => (
        <g>
          <rect x={PAD.l + j * 120} y={H - 14} width={10} height={10} fill={s.color} />
          <text x={PAD.l + j * 120 + 14} y={H - 5}>
            {s.label}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** Horizontal bars with a marker line per row (e.g. measured time vs the SOP standard). */
export function HBarChart({
  rows,
  title,
  format,
}: {
  rows: { label: string; value: number; marker?: number }[];
  title: string;
  format: (v: number) => string;
}) {
  const rh = 26;
  const h = rows.length * rh + 16;
  const lw = 160;
  const iw = W - lw - 90;
  const max = Math.max(1, ...rows.map((r) => Math.max(r.value, r.marker ?? 0)));
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${h}`} role="img" aria-label={title}>
      <title>{title}</title>
      {rows.map((r, i) => {
        const over = r.marker !== undefined && r.value > r.marker;
        return (
          <g>
            <text x={lw - 8} y={i * rh + 20} text-anchor="end">
              {r.label}
            </text>
            <rect
              x={lw}
              y={i * rh + 8}
              width={Math.max(1, (r.value / max) * iw)}
              height={16}
              fill={over ? '#d9822b' : '#2f7dc1'}
            />
            {r.marker !== undefined ? (
              <line
                x1={lw + (r.marker / max) * iw}
                x2={lw + (r.marker / max) * iw}
                y1={i * rh + 4}
                y2={i * rh + 28}
                stroke="#a12626"
                stroke-width={2}
              />
            ) : null}
            <text x={lw + Math.max(1, (r.value / max) * iw) + 6} y={i * rh + 20}>
              {format(r.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
