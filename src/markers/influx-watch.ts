// The last hop's observer: asks InfluxDB (InfluxQL, read-only user, epoch=u) which markers of this run it
// holds. The time a query answers is the marker's arrival; the poll interval is the resolution.
import { ident, queryRaw, type InfluxAuth } from '../probes/influx.ts';
import { classifyNetworkError, ProbeError } from '../probes/errors.ts';

export interface InfluxPoint {
  markerId: number;
  /** the point's time, µs since the epoch */
  timeUs: number;
}

export interface InfluxTarget {
  url: string;
  db: string;
  measurement: string;
  auth?: InfluxAuth;
  timeoutMs: number;
}

/** Points of this run. `sinceUs` bounds the scan (the marker measurement grows with every run). */
export async function markerPoints(t: InfluxTarget, runId: string, sinceUs?: number): Promise<InfluxPoint[]> {
  // run ids are [a-z0-9-] (made by the runner), so quoting them as a string literal is safe
  const where = [`"run_id" = '${runId}'`, ...(sinceUs !== undefined ? [`time >= ${Math.floor(sinceUs)}u`] : [])].join(' AND ');
  const q = `SELECT "marker_id", "private_efdStamp" FROM ${ident(t.measurement)} WHERE ${where}`;
  const host = new URL(t.url).host;
  let a;
  try {
    a = await queryRaw(t.url, t.timeoutMs, q, { db: t.db, auth: t.auth, epoch: 'u' });
  } catch (e) {
    throw classifyNetworkError(e, host);
  }
  if (a.status === 401 || a.status === 403) throw new ProbeError('auth', `InfluxDB at ${host} refused the read-only credentials (HTTP ${a.status})`, host);
  if (a.status !== 200) throw new ProbeError('http_status', `InfluxDB at ${host} answered HTTP ${a.status}${a.error ? `: ${a.error}` : ''}`, host);
  // a database that does not exist is an error; a measurement that does not exist yet is just no rows
  if (a.error) throw new ProbeError(/database not found/i.test(a.error) ? 'missing' : 'http_status', `InfluxDB at ${host}: ${a.error}`, host);
  const out: InfluxPoint[] = [];
  for (const s of a.series) {
    const ti = s.columns.indexOf('time');
    const mi = s.columns.indexOf('marker_id');
    for (const row of s.values) out.push({ markerId: Number(row[mi]), timeUs: Number(row[ti]) });
  }
  return out;
}
