// InfluxDB facts for the load run: points per load measurement in a time window, the load measurements
// that exist, and their removal afterwards (admin credentials). InfluxQL over the probes' HTTP helper.
import { ident, query, type InfluxAuth } from '../probes/influx.ts';

export interface InfluxTarget {
  url: string;
  database: string;
  timeoutMs: number;
  auth?: InfluxAuth;
}

/** /^lsst\.sal\.EFDHealthLoad\./ — every measurement under the load prefix, and nothing else. */
export function prefixRegex(prefix: string): string {
  return `/^${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\./`;
}

const ns = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`;

/** Points per measurement (count of private_seqNum, a field every SAL topic has) with time in [fromMs, toMs). */
export async function countPoints(t: InfluxTarget, prefix: string, fromMs: number, toMs: number): Promise<Map<string, number>> {
  const q = `SELECT count("private_seqNum") FROM ${prefixRegex(prefix)} WHERE time >= ${ns(fromMs)} AND time < ${ns(toMs)}`;
  const series = await query(t.url, t.timeoutMs, q, { db: t.database, auth: t.auth, epoch: 'ms' });
  const out = new Map<string, number>();
  for (const s of series) out.set(s.name, Number(s.values?.[0]?.[1] ?? 0));
  return out;
}

export async function loadMeasurements(t: InfluxTarget, prefix: string): Promise<string[]> {
  const series = await query(t.url, t.timeoutMs, `SHOW MEASUREMENTS WITH MEASUREMENT =~ ${prefixRegex(prefix)}`, { db: t.database, auth: t.auth });
  return series.flatMap((s) => s.values.map((v) => String(v[0]))).filter((m) => m.startsWith(prefix + '.'));
}

export async function dropMeasurement(t: InfluxTarget, measurement: string): Promise<void> {
  await query(t.url, t.timeoutMs, `DROP MEASUREMENT ${ident(measurement)}`, { db: t.database, auth: t.auth });
}

/** First-seen check for probe records: the probe ids present in a measurement since `fromMs`. */
export async function probeIdsSince(t: InfluxTarget, measurement: string, fromMs: number): Promise<string[]> {
  const q = `SELECT "probe_id" FROM ${ident(measurement)} WHERE time >= ${ns(fromMs)}`;
  const series = await query(t.url, t.timeoutMs, q, { db: t.database, auth: t.auth, epoch: 'ms' });
  return series.flatMap((s) => s.values.map((v) => String(v[1])));
}
