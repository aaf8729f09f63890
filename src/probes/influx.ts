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

type QueryOptions = { db?: string; auth?: InfluxAuth; epoch?: 'ns' | 'u' | 'ms' | 's' };
type RawResult = { statement_id?: number; series?: Array<Series & { partial?: boolean }>; error?: string; partial?: boolean };

/** POSTs InfluxQL (one or more `;`-separated statements) to /query; the answer as InfluxDB gave it. */
async function postQuery(url: string, timeoutMs: number, q: string, opts: QueryOptions) {
  const params = new URLSearchParams({ q });
  if (opts.db) params.set('db', opts.db);
  if (opts.epoch) params.set('epoch', opts.epoch);
  const a = await rest<{ results?: RawResult[]; error?: string }>(`${url}/query`, {
    timeoutMs,
    method: 'POST',
    body: params.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    basicAuth: opts.auth,
  });
  const body = typeof a.body === 'object' && a.body ? a.body : {};
  return { status: a.status, ms: a.ms, results: body.results ?? [], error: body.error };
}

/** Refused credentials or a non-200 answer as the ProbeError that names the host. */
function assertAnswered(url: string, status: number, error?: string): void {
  const host = new URL(url).host;
  if (status === 401 || status === 403) throw new ProbeError('auth', `InfluxDB at ${host} refused the credentials (HTTP ${status})`, host);
  if (status !== 200) throw new ProbeError('http_status', `InfluxDB at ${host} answered HTTP ${status}${error ? `: ${error}` : ''}`, host);
}

/** Runs one InfluxQL statement; `db` optional. Never throws on HTTP status: the caller judges. */
export async function queryRaw(url: string, timeoutMs: number, q: string, opts: QueryOptions = {}): Promise<QueryAnswer> {
  const a = await postQuery(url, timeoutMs, q, opts);
  const r = a.results[0];
  return { status: a.status, series: r?.series ?? [], error: r?.error ?? a.error, ms: a.ms };
}

/** InfluxQL that must succeed: auth or query errors become ProbeErrors with their reason. */
export async function query(url: string, timeoutMs: number, q: string, opts: QueryOptions = {}): Promise<Series[]> {
  const a = await queryRaw(url, timeoutMs, q, opts);
  assertAnswered(url, a.status, a.error);
  if (a.error) throw new ProbeError('schema', `InfluxDB query failed: ${a.error}`, new URL(url).host);
  return a.series;
}

/** Quotes an identifier for InfluxQL (topic names contain dots). */
export function ident(name: string): string {
  return '"' + name.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

export interface StatementResult {
  series: Series[];
  error?: string;
  /** true when InfluxDB cut the answer short (max-row-limit, chunking) */
  partial: boolean;
}

/**
 * Runs several `;`-separated InfluxQL statements in one request and returns one result per statement.
 * HTTP and auth problems throw ProbeErrors; a statement's own error is returned in its result.
 */
export async function queryStatements(url: string, timeoutMs: number, q: string, opts: QueryOptions = {}): Promise<StatementResult[]> {
  const a = await postQuery(url, timeoutMs, q, opts);
  assertAnswered(url, a.status, a.error);
  return a.results.map((r) => ({
    series: r.series ?? [],
    error: r.error,
    partial: Boolean(r.partial || r.series?.some((s) => s.partial)),
  }));
}

/** One row per series as {name, time, value} for single-value aggregate answers (last(), count()). */
export function seriesValues(series: Series[]): Array<{ name: string; time: number; value: unknown }> {
  return series.map((s) => ({ name: s.name, time: Number(s.values?.[0]?.[0]), value: s.values?.[0]?.[1] }));
}

/** InfluxDB's own write counters (SHOW STATS, httpd, summed over its bind addresses): what a sink's writes
 * got. Needs an admin user. */
export interface WriteCounters {
  writeReq: number;
  pointsWrittenOK: number;
  pointsWrittenFail: number;
  pointsWrittenDropped: number;
  authFail: number;
  clientError: number;
  serverError: number;
}

export const WRITE_COUNTERS: ReadonlyArray<keyof WriteCounters> = [
  'writeReq', 'pointsWrittenOK', 'pointsWrittenFail', 'pointsWrittenDropped', 'authFail', 'clientError', 'serverError',
];

export async function writeCounters(url: string, timeoutMs: number, auth?: InfluxAuth): Promise<WriteCounters> {
  const series = await query(url, timeoutMs, "SHOW STATS FOR 'httpd'", { auth });
  const sum = Object.fromEntries(WRITE_COUNTERS.map((k) => [k, 0])) as unknown as WriteCounters;
  for (const s of series)
    for (const row of s.values)
      for (const k of WRITE_COUNTERS) {
        const i = s.columns.indexOf(k);
        if (i >= 0) sum[k] += Number(row[i]) || 0;
      }
  return sum;
}
