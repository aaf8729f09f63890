// Latency statistics (HDR histogram, µs resolution) and the series writers plot.
import * as hdr from 'hdr-histogram-js';
import type { Series } from '../report/finding.ts';

export interface LatencySummary {
  count: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
  min_ms: number;
  mean_ms: number;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** p50/p95/p99/max of latencies given in ms; recorded at 1 µs with 3 significant digits. Over no value
 * every figure is NaN: no observation is not a latency of 0, and no writer keeps a NaN (src/report/sink.ts). */
export function summarize(valuesMs: number[]): LatencySummary {
  if (!valuesMs.length) return { count: 0, p50_ms: NaN, p95_ms: NaN, p99_ms: NaN, max_ms: NaN, min_ms: NaN, mean_ms: NaN };
  const h = hdr.build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3, autoResize: true });
  for (const v of valuesMs) h.recordValue(Math.max(0, Math.round(v * 1000)));
  const at = (p: number) => round3(h.getValueAtPercentile(p) / 1000);
  const s = {
    count: valuesMs.length,
    p50_ms: at(50),
    p95_ms: at(95),
    p99_ms: at(99),
    max_ms: round3(Math.max(...valuesMs)),
    min_ms: round3(Math.min(...valuesMs)),
    mean_ms: round3(valuesMs.reduce((a, b) => a + b, 0) / valuesMs.length),
  };
  h.destroy();
  return s;
}

/** Bucket upper bounds (ms): 5 ms doubling (as KMinion), with the SLA itself as an edge so "late" is a bucket. */
export function bucketEdges(maxMs: number, slaMs?: number): number[] {
  const edges: number[] = [];
  const top = Math.max(maxMs, slaMs ?? 0, 5);
  for (let e = 5; ; e *= 2) {
    edges.push(e);
    if (e >= top) break;
  }
  if (slaMs && !edges.includes(slaMs)) edges.push(slaMs);
  return edges.sort((a, b) => a - b);
}

export function histogramSeries(name: string, valuesMs: number[], slaMs?: number): Series {
  const edges = bucketEdges(valuesMs.length ? Math.max(...valuesMs) : 0, slaMs);
  const counts = edges.map(() => 0);
  for (const v of valuesMs) counts[edges.findIndex((e) => v <= e)]++;
  return { name, kind: 'histogram', unit: 'ms', points: edges.map((e, i) => [e, counts[i]]) };
}

/** [ms since the first marker was sent, latency ms] per marker. */
export function timelineSeries(name: string, points: Array<[number, number]>): Series {
  return {
    name,
    kind: 'timeline',
    unit: 'ms',
    points: [...points].sort((a, b) => a[0] - b[0]).map(([t, v]) => [round3(t), round3(v)]),
  };
}

/** The measurements a finding carries for one latency distribution, units in the names. */
export function latencyMeasurements(prefix: string, s: LatencySummary): Record<string, number> {
  return {
    [`${prefix}latency_ms_p50`]: s.p50_ms,
    [`${prefix}latency_ms_p95`]: s.p95_ms,
    [`${prefix}latency_ms_p99`]: s.p99_ms,
    [`${prefix}latency_ms_max`]: s.max_ms,
  };
}
