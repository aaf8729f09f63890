// Static SVG plots for report.html (no JavaScript): a histogram of a latency distribution and a timeline,
// each with labelled axes and units.
import type { Series } from './finding.ts';

const W = 640;
const H = 260;
const M = { left: 64, right: 16, top: 24, bottom: 48 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Round tick values covering [min, max] (about `count` of them). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0];
  if (max === min) max = min + 1;
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.floor(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  if (out[out.length - 1] < max) out.push(Number((out[out.length - 1] + step).toPrecision(12)));
  return out;
}

export function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}

function frame(title: string, xLabel: string, yLabel: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="plot" role="img" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<title>${esc(title)}</title>`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="14" text-anchor="middle" font-weight="bold">${esc(title)}</text>`,
    ...body,
    `<line x1="${M.left}" y1="${M.top + PH}" x2="${M.left + PW}" y2="${M.top + PH}" stroke="#333"/>`,
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + PH}" stroke="#333"/>`,
    `<text x="${M.left + PW / 2}" y="${H - 8}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text transform="translate(14 ${M.top + PH / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`,
    `</svg>`,
  ].join('\n');
}

function yAxis(ticks: number[], y: (v: number) => number): string[] {
  return ticks.flatMap((t) => [
    `<line x1="${M.left - 4}" y1="${y(t).toFixed(1)}" x2="${M.left + PW}" y2="${y(t).toFixed(1)}" stroke="#e4e4e4"/>`,
    `<text x="${M.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text>`,
  ]);
}

/** Bars of equal width, one per bucket, labelled with the bucket's upper bound (buckets may be log-spaced). */
export function histogramSvg(s: Series, title: string): string {
  const pts = s.points.filter(([b, c]) => Number.isFinite(b) && Number.isFinite(c));
  const maxCount = Math.max(1, ...pts.map(([, c]) => c));
  const ticks = niceTicks(0, maxCount);
  const top = ticks[ticks.length - 1];
  const y = (v: number) => M.top + PH - (v / top) * PH;
  const bw = PW / Math.max(1, pts.length);
  const every = Math.max(1, Math.ceil(pts.length / 10));
  const body = yAxis(ticks, y);
  pts.forEach(([bound, count], i) => {
    const x = M.left + i * bw;
    body.push(`<rect class="bar" x="${(x + 1).toFixed(1)}" y="${y(count).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${(M.top + PH - y(count)).toFixed(1)}" fill="#4a78c2"><title>≤ ${fmt(bound)} ${esc(s.unit)}: ${count}</title></rect>`);
    if (i % every === 0 || i === pts.length - 1) {
      body.push(`<text x="${(x + bw / 2).toFixed(1)}" y="${M.top + PH + 14}" text-anchor="middle">${fmt(bound)}</text>`);
    }
  });
  return frame(title, `${s.name}: bucket upper bound (${s.unit})`, 'count', body);
}

/** A line over time since the run started; x in seconds, y in the series' unit. */
export function timelineSvg(s: Series, title: string): string {
  const pts = s.points.filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v)).sort((a, b) => a[0] - b[0]);
  const xs = pts.map(([t]) => t / 1000);
  const ys = pts.map(([, v]) => v);
  const xt = niceTicks(Math.min(0, ...xs), Math.max(1, ...xs));
  const yt = niceTicks(Math.min(0, ...ys), Math.max(1, ...ys));
  const [x0, x1, y0, y1] = [xt[0], xt[xt.length - 1], yt[0], yt[yt.length - 1]];
  const x = (v: number) => M.left + ((v - x0) / (x1 - x0)) * PW;
  const y = (v: number) => M.top + PH - ((v - y0) / (y1 - y0)) * PH;
  const body = yAxis(yt, y);
  for (const t of xt) body.push(`<text x="${x(t).toFixed(1)}" y="${M.top + PH + 14}" text-anchor="middle">${fmt(t)}</text>`);
  const line = pts.map(([t, v]) => `${x(t / 1000).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  if (pts.length > 1) body.push(`<polyline class="line" points="${line}" fill="none" stroke="#c2524a" stroke-width="1.5"/>`);
  if (pts.length <= 200) {
    for (const [t, v] of pts) body.push(`<circle cx="${x(t / 1000).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2" fill="#c2524a"><title>${fmt(t / 1000)} s: ${fmt(v)} ${esc(s.unit)}</title></circle>`);
  }
  return frame(title, 'time since run start (s)', `${s.name} (${s.unit})`, body);
}

export function seriesSvg(s: Series, title: string): string {
  return s.kind === 'histogram' ? histogramSvg(s, title) : timelineSvg(s, title);
}

/** A small line of one figure over the last runs (oldest left, this run right, a gap where a run did not
 * measure it), its y range labelled in the figure's unit. */
export function sparklineSvg(values: Array<number | undefined>, label: string, unit: string): string {
  const [w, h, l, r, t, b] = [240, 72, 44, 10, 8, 18];
  const known = values.filter((v): v is number => v !== undefined);
  const ticks = niceTicks(Math.min(0, ...known), Math.max(1, ...known), 2);
  const [y0, y1] = [ticks[0], ticks[ticks.length - 1]];
  const x = (i: number) => l + (values.length > 1 ? (i / (values.length - 1)) * (w - l - r) : (w - l - r) / 2);
  const y = (v: number) => t + (h - t - b) - ((v - y0) / (y1 - y0)) * (h - t - b);
  const body: string[] = [
    `<line x1="${l}" y1="${h - b}" x2="${w - r}" y2="${h - b}" stroke="#333"/>`,
    `<line x1="${l}" y1="${t}" x2="${l}" y2="${h - b}" stroke="#333"/>`,
    `<text x="${l - 4}" y="${t + 4}" text-anchor="end">${fmt(y1)}</text>`,
    `<text x="${l - 4}" y="${h - b}" text-anchor="end">${fmt(y0)}</text>`,
    `<text transform="translate(9 ${(h - b + t) / 2}) rotate(-90)" text-anchor="middle">${esc(unit)}</text>`,
    `<text x="${(l + w - r) / 2}" y="${h - 4}" text-anchor="middle">last ${values.length} run${values.length === 1 ? '' : 's'} →</text>`,
  ];
  let seg: string[] = [];
  const flush = () => {
    if (seg.length > 1) body.push(`<polyline points="${seg.join(' ')}" fill="none" stroke="#4a78c2" stroke-width="1.5"/>`);
    seg = [];
  };
  values.forEach((v, i) => {
    if (v === undefined) return flush();
    seg.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    const last = i === values.length - 1;
    body.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="${last ? 3 : 2}" fill="${last ? '#c2524a' : '#4a78c2'}"><title>${esc(label)}: ${fmt(v)} ${esc(unit)}</title></circle>`);
  });
  flush();
  return `<svg xmlns="http://www.w3.org/2000/svg" class="spark" role="img" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="10"><title>${esc(label)} (${esc(unit)}) over the last runs</title>${body.join('')}</svg>`;
}
