// Judging keep-up facts (pure): a lag is fine when it stays under its bound and does not grow over the
// window (least-squares slope), the way Burrow's "lag never decreases" rule is meant, but in time.

export interface LagPoint {
  /** seconds since the start of the run */
  tS: number;
  lagS: number;
}

export interface LagBounds {
  maxS: number;
  /** growth above this (seconds of lag per second) counts as growing */
  slopeMax: number;
  /** ...but only once the lag is at least this large (a lag of 1–2 s wobbles) */
  slopeMinLagS: number;
}

export interface LagVerdict {
  ok: boolean;
  why: 'bounded' | 'exceeded' | 'growing' | 'no_samples';
  maxLagS: number;
  lastLagS: number;
  slope: number;
  samples: number;
  windowS: number;
}

/** Least-squares slope of y over x (0 with fewer than 2 points or no spread). */
export function slope(points: Array<{ x: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den > 0 ? num / den : 0;
}

/**
 * `all` are the samples of the measured window; the slope is taken over `trend` (defaults to all), so a
 * burst may raise the lag as long as it is coming down again by the end.
 */
export function judgeLag(all: LagPoint[], b: LagBounds, trend: LagPoint[] = all): LagVerdict {
  const pts = all.filter((p) => Number.isFinite(p.lagS));
  const tr = trend.filter((p) => Number.isFinite(p.lagS));
  if (!pts.length) return { ok: false, why: 'no_samples', maxLagS: NaN, lastLagS: NaN, slope: NaN, samples: 0, windowS: 0 };
  const maxLagS = Math.max(...pts.map((p) => p.lagS));
  const lastLagS = pts[pts.length - 1].lagS;
  const s = slope(tr.map((p) => ({ x: p.tS, y: p.lagS })));
  const windowS = tr.length ? tr[tr.length - 1].tS - tr[0].tS : 0;
  const lastTrend = tr.length ? tr[tr.length - 1].lagS : lastLagS;
  const base = { maxLagS, lastLagS, slope: s, samples: pts.length, windowS };
  if (maxLagS > b.maxS) return { ok: false, why: 'exceeded', ...base };
  if (s > b.slopeMax && lastTrend >= b.slopeMinLagS) return { ok: false, why: 'growing', ...base };
  return { ok: true, why: 'bounded', ...base };
}

/** "sink lag reached 29.8 s (bound 30 s) and grew 1.00 s/s over 24 s" */
export function describeLag(name: string, v: LagVerdict, b: LagBounds): string {
  if (v.why === 'no_samples') return `${name} could not be measured (no sample succeeded)`;
  const grew = `${v.slope >= 0 ? 'grew' : 'shrank'} ${Math.abs(v.slope).toFixed(2)} s/s over ${Math.round(v.windowS)} s`;
  if (v.why === 'exceeded') return `${name} reached ${v.maxLagS.toFixed(1)} s (bound ${b.maxS} s) and ${grew}`;
  if (v.why === 'growing') return `${name} grew ${v.slope.toFixed(2)} s/s to ${v.lastLagS.toFixed(1)} s over ${Math.round(v.windowS)} s (bound ${b.slopeMax} s/s)`;
  return `${name} stayed at most ${v.maxLagS.toFixed(1)} s (bound ${b.maxS} s), trend ${v.slope.toFixed(3)} s/s`;
}
