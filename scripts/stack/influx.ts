// InfluxDB 1.8 with authentication as at the LDF: an admin user (used by the sink) and the read-only
// user `efdreader` (READ on efd). Random passwords are made once into .stack/secrets/.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './errors.ts';
import { loadContinuousQueries, loadRetention } from '../../src/model/influx.ts';
import { cqDifferences, parseContinuousQuery, type ContinuousQuery } from '../../src/model/cq.ts';
import { MANIFESTS, PROBE_MS, SINK_GOGC, state, type Ports } from './paths.ts';
import { startDaemon } from './proc.ts';
import { renderConf } from './render.ts';

export const DATABASE = 'efd';

export interface InfluxCredentials {
  admin: { user: string; password: string };
  read: { user: string; password: string };
}

/** Reads the credentials, writing fresh ones first if they do not exist yet. */
export function influxCredentials(): InfluxCredentials {
  mkdirSync(state.secrets, { recursive: true, mode: 0o700 });
  const get = (name: string, make: () => string): string => {
    const file = join(state.secrets, name);
    if (!existsSync(file)) writeFileSync(file, make() + '\n', { mode: 0o600 });
    return readFileSync(file, 'utf8').trim();
  };
  const password = () => randomBytes(18).toString('base64url');
  return {
    admin: { user: get('influx-admin-user', () => 'admin'), password: get('influx-admin-password', password) },
    read: { user: get('influx-read-user', () => 'efdreader'), password: get('influx-read-password', password) },
  };
}

export function startInflux(p: Ports, influxd: string): void {
  const dataDir = join(state.data, 'influxdb');
  mkdirSync(dataDir, { recursive: true });
  const conf = renderConf('influxdb.conf', 'influxdb.conf', { PORT: p.influxdb, RPC_PORT: p.influxdb_rpc, DATA_DIR: dataDir });
  startDaemon({ proc: 'influxdb', cmd: influxd, args: ['run', '-config', conf], env: { INFLUXDB_REPORTING_DISABLED: 'true', GOGC: SINK_GOGC } });
}

export async function influxReady(p: Ports): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${p.influxdb}/ping`, { signal: AbortSignal.timeout(PROBE_MS) });
  await res.arrayBuffer();
  return res.status === 204;
}

export async function influxql(p: Ports, q: string, auth?: { user: string; password: string }): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth) headers.authorization = 'Basic ' + Buffer.from(`${auth.user}:${auth.password}`).toString('base64');
  const res = await fetch(`http://127.0.0.1:${p.influxdb}/query`, {
    method: 'POST', headers, body: new URLSearchParams({ q }).toString(), signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let body: any = text;
  try { body = JSON.parse(text); } catch {}
  return { status: res.status, body };
}

/** Creates the admin user (allowed unauthenticated only while no user exists), database efd and efdreader. */
export async function ensureInfluxSetup(p: Ports): Promise<void> {
  const c = influxCredentials();
  const q = (s: string) => influxql(p, s, c.admin);
  let users = await q('SHOW USERS');
  if (users.status === 401 || users.status === 403) {
    const created = await influxql(p, `CREATE USER "${c.admin.user}" WITH PASSWORD '${c.admin.password}' WITH ALL PRIVILEGES`);
    if (created.status !== 200 || hasError(created.body)) {
      throw new StackError(`influxdb: the admin credentials in ${state.secrets} do not match the users in ${join(state.data, 'influxdb')}; remove that data directory (npm run stack -- down --purge) to start afresh.`);
    }
    users = await q('SHOW USERS');
  }
  if (users.status !== 200) throw new Error(`SHOW USERS answered ${users.status}`);
  const names: string[] = (users.body?.results?.[0]?.series?.[0]?.values ?? []).map((v: unknown[]) => String(v[0]));
  const stmts = [`CREATE DATABASE "${DATABASE}"`];
  if (!names.includes(c.read.user)) stmts.push(`CREATE USER "${c.read.user}" WITH PASSWORD '${c.read.password}'`);
  stmts.push(`GRANT READ ON "${DATABASE}" TO "${c.read.user}"`);
  for (const s of stmts) {
    const r = await q(s);
    if (r.status !== 200 || hasError(r.body)) throw new Error(`InfluxQL ${s.split(' WITH PASSWORD')[0]} failed: ${JSON.stringify(r.body).slice(0, 200)}`);
  }
  await applyDeclaredInflux(q);
}

type Q = (s: string) => Promise<{ status: number; body: any }>;

/**
 * What manifests/local declares for InfluxDB, applied idempotently: retention policies, then the
 * continuous queries (phase 2 roll-ups). Also called by the phase 2 tests to restore the declared state.
 */
export async function applyDeclaredInflux(q: Q, manifests = MANIFESTS): Promise<string[]> {
  await applyDeclaredRetention(q, manifests);
  return applyDeclaredCqs(q, manifests);
}

/**
 * InfluxDB 1.8 cannot alter a continuous query: one that differs from its declaration (or that the
 * manifests no longer declare, on a database they declare CQs for) is dropped, and a missing or dropped
 * one is created. Returns the statements it ran (none when the live CQs already match).
 */
async function applyDeclaredCqs(q: Q, manifests: string): Promise<string[]> {
  const declared = loadContinuousQueries(manifests);
  const ran: string[] = [];
  const run = async (s: string) => {
    const r = await q(s);
    if (r.status !== 200 || hasError(r.body)) throw new Error(`InfluxQL ${s} failed: ${JSON.stringify(r.body).slice(0, 200)}`);
    ran.push(s);
  };
  const shown = await q('SHOW CONTINUOUS QUERIES');
  const live = new Map<string, Map<string, ContinuousQuery | undefined>>();
  for (const series of shown.body?.results?.[0]?.series ?? []) {
    live.set(series.name, new Map((series.values ?? []).map((v: unknown[]) => [String(v[0]), parseContinuousQuery(String(v[1]))])));
  }
  for (const db of new Set(declared.map((d) => d.database))) {
    for (const name of live.get(db)?.keys() ?? []) {
      if (!declared.some((d) => d.database === db && d.name === name)) await run(`DROP CONTINUOUS QUERY ${ident(name)} ON ${ident(db)}`);
    }
  }
  for (const d of declared) {
    const has = live.get(d.database)?.has(d.name);
    const now = live.get(d.database)?.get(d.name);
    if (has && now && cqDifferences(d, now).length === 0) continue;
    if (has) await run(`DROP CONTINUOUS QUERY ${ident(d.name)} ON ${ident(d.database)}`);
    await run(d.statement);
  }
  return ran;
}

const ident = (n: string) => '"' + n.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';

/**
 * Brings the databases to the retention policies manifests/local declares (its `.iql` init statements): a
 * database created earlier keeps its old policy unless it is altered, so an existing stack converges too.
 */
async function applyDeclaredRetention(q: Q, manifests: string): Promise<void> {
  for (const d of loadRetention(manifests)) {
    await q(`CREATE DATABASE "${d.database}"`);
    const rps = await q(`SHOW RETENTION POLICIES ON "${d.database}"`);
    const exists = (rps.body?.results?.[0]?.series?.[0]?.values ?? []).some((v: unknown[]) => v[0] === d.policy);
    const duration = d.hours ? `${d.hours}h` : 'INF';
    const shard = d.shardDuration ? ` SHARD DURATION ${d.shardDuration}` : '';
    const s = `${exists ? 'ALTER' : 'CREATE'} RETENTION POLICY "${d.policy}" ON "${d.database}" DURATION ${duration}${exists ? '' : ' REPLICATION 1'}${shard}${d.isDefault ? ' DEFAULT' : ''}`;
    const r = await q(s);
    if (r.status !== 200 || hasError(r.body)) throw new Error(`InfluxQL ${s} failed: ${JSON.stringify(r.body).slice(0, 200)}`);
  }
}

function hasError(body: any): boolean {
  return typeof body !== 'object' || Boolean(body?.error) || (body?.results ?? []).some((r: any) => r.error);
}

/** InfluxQL as the stack's admin user (the phase 2 tests restore the declared state with it). */
export function adminInfluxql(p: Ports): Q {
  const c = influxCredentials();
  return (s: string) => influxql(p, s, c.admin);
}
