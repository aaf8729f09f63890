// InfluxDB 1.x facts over its HTTP API: ping/version, InfluxQL queries (read path of EFD users).
import { rest } from './rest.ts';
import { ProbeError } from './errors.ts';

export interface InfluxAuth {
  username: string;
  password: string;
}

export interface PingFacts {
  status: number;
  version: string | null;
  ms: number;
}

export async function ping(url: string, timeoutMs: number): Promise<PingFacts> {
  const a = await rest(`${url}/ping`, { timeoutMs });
  const v = a.headers['x-influxdb-version'];
  return { status: a.status, version: (Array.isArray(v) ? v[0] : v) ?? null, ms: a.ms };
}

export interface Series {
  name: string;
  columns: string[];
  values: unknown[][];
  tags?: Record<string, string>;
}

export interface QueryAnswer {
  status: number;
  series: Series[];
  error?: string;
  ms: number;
}

/** Runs one InfluxQL statement; `db` optional. Never throws on HTTP status: the caller judges. */
export async function queryRaw(url: string, timeoutMs: number, q: string, opts: { db?: string; auth?: InfluxAuth; epoch?: 'ns' | 'u' | 'ms' | 's' } = {}): Promise<QueryAnswer> {
  const params = new URLSearchParams({ q });
  if (opts.db) params.set('db', opts.db);
  if (opts.epoch) params.set('epoch', opts.epoch);
  const a = await rest<{ results?: Array<{ series?: Series[]; error?: string }>; error?: string }>(`${url}/query`, {
    timeoutMs,
    method: 'POST',
    body: params.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    basicAuth: opts.auth,
  });
  const body = typeof a.body === 'object' && a.body ? a.body : {};
  const r = body.results?.[0];
  return { status: a.status, series: r?.series ?? [], error: r?.error ?? body.error, ms: a.ms };
}

/** InfluxQL that must succeed: auth or query errors become ProbeErrors with their reason. */
export async function query(url: string, timeoutMs: number, q: string, opts: { db?: string; auth?: InfluxAuth; epoch?: 'ns' | 'u' | 'ms' | 's' } = {}): Promise<Series[]> {
  const a = await queryRaw(url, timeoutMs, q, opts);
  const host = new URL(url).host;
  if (a.status === 401 || a.status === 403) throw new ProbeError('auth', `InfluxDB at ${host} refused the credentials (HTTP ${a.status})`, host);
  if (a.status !== 200) throw new ProbeError('http_status', `InfluxDB at ${host} answered HTTP ${a.status}${a.error ? `: ${a.error}` : ''}`, host);
  if (a.error) throw new ProbeError('schema', `InfluxDB query failed: ${a.error}`, host);
  return a.series;
}

/** Quotes an identifier for InfluxQL (topic names contain dots). */
export function ident(name: string): string {
  return '"' + name.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}
