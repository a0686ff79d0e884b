/** Small server-rendered SVG charts: no script, no library, readable when printed. */
import { formatNumber } from '../../../core/format.ts';
import type { Lang } from '../../../core/messages.ts';

export interface BarSeries {
  label: string;
  color: string;
  values: number[];
}

const W = 480;
const H = 220;
const PAD = { l: 44, r: 8, t: 12, b: 40 };

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const m = Math.ceil(v / p) * p;
  // An even top value gives a whole-number middle tick.
  return (m / p) % 2 === 1 ? m + p : m;
}

/** Grouped vertical bars, one group per category (e.g. month). */
export function BarChart({
  categories,
  series,
  title,
  lang,
}: {
  categories: string[];
  series: BarSeries[];
  title: string;
  /** The page's language: the numbers read as its other numbers do. */
  lang: Lang;
}) {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const gw = iw / Math.max(1, categories.length);
  const bw = Math.min(36, Math.max(2, (gw * 0.8) / Math.max(1, series.length)));
  const gx = (i: number) => PAD.l + i * gw + (gw - bw * series.length) / 2;
  const y = (v: number) => PAD.t + ih - (v / max) * ih;
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
      <title>{title}</title>
      {[0, 0.5, 1].map((f) => (
        <g>
          <line x1={PAD.l} x2={W - PAD.r} y1={y(max * f)} y2={y(max * f)} stroke="#dde2e8" />
          <text x={PAD.l - 6} y={y(max * f) + 4} text-anchor="end">
            {formatNumber(lang, Math.round(max * f))}
          </text>
        </g>
      ))}
      {categories.map((c, i) => (
        <g>
          {series.map((s, j) => {
            const v = s.values[i] ?? 0;
            return (
              <rect
                x={gx(i) + j * bw}
                y={y(v)}
                width={bw - 1}
                height={Math.max(0, PAD.t + ih - y(v))}
                fill={s.color}
              >
                <title>{`${c} · ${s.label}: ${formatNumber(lang, v)}`}</title>
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
          <rect x={PAD.l + j * 110} y={H - 14} width={10} height={10} fill={s.color} />
          <text x={PAD.l + j * 110 + 14} y={H - 5}>
            {s.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
