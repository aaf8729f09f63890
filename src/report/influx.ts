// InfluxDB points for Chronograf: measurement `efd_health`, tags env, vantage, suite, check, target; fields
// status, reason, status_code (0 pass, 1 warn, 2 fail, 3 error, -1 skip: a number Chronograf can chart)
// and every measurement. Plus one `efd_health_run` point per run (runPoint), so that a Kapacitor deadman
// notices when runs stop and an alert sees a failing exit code. Written with @influxdata/influxdb-client through InfluxDB 1.8's /api/v2 write
// endpoint (token "user:password", bucket "db/autogen"). A failure is a warning, never a crash.
import { HttpError, InfluxDB, Point, setLogger } from '@influxdata/influxdb-client';
import { request } from 'undici';
import { readCredentials } from '../config/secrets.ts';
import { ownVersion } from '../root.ts';
import type { Profile } from '../config/types.ts';
import type { Finding, Status } from './finding.ts';
import type { RunMeta } from './model.ts';
import { redact } from './redact.ts';

export const MEASUREMENT = 'efd_health';
export const RUN_MEASUREMENT = 'efd_health_run';
const STATUS_CODE: Record<Status, number> = { pass: 0, warn: 1, fail: 2, error: 3, skip: -1 };
const STATUSES = Object.keys(STATUS_CODE) as Status[];
const RESERVED = new Set(['status', 'reason', 'status_code']);

export function toPoints(meta: RunMeta, findings: readonly Finding[]): Point[] {
  const time = new Date(meta.finished_at);
  return findings.map((f) => {
    const p = new Point(MEASUREMENT)
      .tag('env', meta.env)
      .tag('vantage', meta.vantage)
      .tag('suite', f.suite)
      .tag('check', f.id)
      .tag('target', f.target)
      .stringField('status', f.status)
      .stringField('reason', f.reason)
      .intField('status_code', STATUS_CODE[f.status])
      .timestamp(time);
    for (const [k, v] of Object.entries(f.measurements ?? {})) {
      if (!RESERVED.has(k) && Number.isFinite(v)) p.floatField(k, v);
    }
    return p;
  });
}

/** The run as one point: tags env, vantage, version; fields exit_code, status and status_code (the run's
 * worst status), duration_s, checks_<status> (findings by status), checks_run (findings not skipped),
 * checks (all findings) and suites (those that ran, comma-separated). Written even when no check ran. */
export function runPoint(meta: RunMeta, findings: readonly Finding[], version = ownVersion()): Point {
  const p = new Point(RUN_MEASUREMENT)
    .tag('env', meta.env)
    .tag('vantage', meta.vantage)
    .tag('version', version)
    .intField('exit_code', meta.exit_code)
    .stringField('status', meta.status)
    .intField('status_code', STATUS_CODE[meta.status])
    .floatField('duration_s', (Date.parse(meta.finished_at) - Date.parse(meta.started_at)) / 1000)
    .intField('checks', findings.length)
    .intField('checks_run', findings.filter((f) => f.status !== 'skip').length)
    .stringField('suites', meta.suites.join(','))
    .timestamp(new Date(meta.finished_at));
  for (const s of STATUSES) p.intField(`checks_${s}`, findings.filter((f) => f.status === s).length);
  return p;
}

type Auth = { username: string; password: string } | undefined;

async function influxql(url: string, q: string, auth: Auth, timeoutMs: number): Promise<any> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (auth) headers.authorization = 'Basic ' + Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
  const res = await request(new URL('/query', url), {
    method: 'POST',
    headers,
    body: new URLSearchParams({ q }).toString(),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.body.text();
  if (res.statusCode === 401 || res.statusCode === 403) throw new Error(`authentication failed (HTTP ${res.statusCode})`);
  if (res.statusCode >= 300) throw new Error(`InfluxQL "${q}" answered HTTP ${res.statusCode}`);
  const body = JSON.parse(text);
  const err = body.error ?? body.results?.[0]?.error;
  if (err) throw new Error(`InfluxQL "${q}": ${err}`);
  return body;
}

/** CREATE DATABASE when SHOW DATABASES does not list it (needs an admin user on a server with auth). */
export async function ensureDatabase(url: string, db: string, auth: Auth, timeoutMs: number): Promise<void> {
  const shown = await influxql(url, 'SHOW DATABASES', auth, timeoutMs);
  const names: string[] = (shown.results?.[0]?.series?.[0]?.values ?? []).map((v: string[]) => v[0]);
  if (!names.includes(db)) await influxql(url, `CREATE DATABASE "${db.replace(/"/g, '\\"')}"`, auth, timeoutMs);
}

function why(e: unknown): string {
  if (e instanceof HttpError) return e.statusCode === 401 || e.statusCode === 403 ? `authentication failed (HTTP ${e.statusCode})` : `HTTP ${e.statusCode}: ${e.body ?? e.message}`;
  const err = e as { code?: string; cause?: { code?: string }; name?: string; message?: string };
  const code = err.code ?? err.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (err.name === 'TimeoutError' || err.name === 'RequestTimedOutError') return 'no answer in time';
  return err.message ?? String(e);
}

/** Writes the run's points; returns a warning sentence when it could not, else undefined. */
export async function writeInflux(profile: Profile, meta: RunMeta, findings: readonly Finding[]): Promise<string | undefined> {
  const cfg = profile.report.influxdb;
  if (!cfg?.enabled) return undefined;
  const points = [...toPoints(meta, findings), runPoint(meta, findings)];
  const where = `${cfg.url} database ${cfg.database}`;
  const silent = { error() {}, warn() {} };
  const previous = setLogger(silent);
  try {
    const auth = cfg.credentials ? readCredentials(cfg.credentials) : undefined;
    await ensureDatabase(cfg.url, cfg.database, auth, profile.timeout_ms);
    const client = new InfluxDB({ url: cfg.url, token: auth ? `${auth.username}:${auth.password}` : '', timeout: profile.timeout_ms });
    const api = client.getWriteApi('', `${cfg.database}/autogen`, 'ms', { maxRetries: 0, flushInterval: 0, batchSize: points.length + 1 });
    api.writePoints(points);
    await api.close();
    return undefined;
  } catch (e) {
    return redact(`the InfluxDB writer could not write ${points.length} point${points.length === 1 ? '' : 's'} to ${where}: ${why(e)}`);
  } finally {
    setLogger(previous);
  }
}
