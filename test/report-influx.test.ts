// The InfluxDB writer against the local stack's InfluxDB 1.8 (auth on): a run leaves `efd_health` points
// and one `efd_health_run` point that an InfluxQL query reads back, in a database the writer creates; a run
// where no check ran still leaves its run point; a bad password is a warning.
// Needs the stack (test/global-setup.ts brings it up). Uses its own database and drops it afterwards.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Profile } from '../src/config/types.ts';
import type { Finding } from '../src/report/finding.ts';
import { writeInflux } from '../src/report/influx.ts';
import type { RunMeta } from '../src/report/model.ts';
import { cli, FIXTURE_SUITES, listeningPort, ROOT, tempDir, writeProfile } from './cli-helpers.ts';

const INFLUX = 'http://127.0.0.1:8086';
const SECRETS = join(ROOT, '.stack/secrets');
const admin = () => ({
  username: readFileSync(join(SECRETS, 'influx-admin-user'), 'utf8').trim(),
  password: readFileSync(join(SECRETS, 'influx-admin-password'), 'utf8').trim(),
});

async function influxql(q: string, db?: string): Promise<any> {
  const { username, password } = admin();
  const params = new URLSearchParams({ q, ...(db ? { db } : {}) });
  const res = await request(`${INFLUX}/query`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64'),
    },
    body: params.toString(),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.body.json()) as any;
  if (res.statusCode !== 200 || body.results?.[0]?.error) throw new Error(`${q}: ${res.statusCode} ${JSON.stringify(body)}`);
  return body;
}

function rows(body: any): Array<Record<string, unknown>> {
  return (body.results[0].series ?? []).flatMap((s: any) =>
    s.values.map((v: unknown[]) => ({ ...s.tags, ...Object.fromEntries(s.columns.map((c: string, i: number) => [c, v[i]])) })),
  );
}

describe('InfluxDB writer', () => {
  const db = `efd_health_test_${Date.now()}`;
  let open: Awaited<ReturnType<typeof listeningPort>>;
  beforeAll(async () => {
    open = await listeningPort();
  });
  afterAll(async () => {
    open.server.close();
    await influxql(`DROP DATABASE "${db}"`).catch(() => {});
  });

  /** The profile's report.influxdb block: the box's InfluxDB, database `name`, the admin user. */
  const reportTo = (name: string) => `report:
  influxdb:
    enabled: true
    url: "${INFLUX}"
    database: ${name}
    credentials:
      username: { file: ${join(SECRETS, 'influx-admin-user')} }
      password: { file: ${join(SECRETS, 'influx-admin-password')} }`;

  test('a run leaves efd_health points, tagged and with their measurements, that InfluxQL reads back', async () => {
    const before = rows(await influxql('SHOW DATABASES')).map((r) => r.name);
    expect(before).not.toContain(db);
    const dir = tempDir();
    const profile = writeProfile(dir, {
      port: open.port,
      env: 'influxtest',
      vantage: 'ci',
      extra: reportTo(db),
    });
    const r = await cli(['run', '--profile', profile, '--suite', 'replication,services', '--report-dir', join(dir, 'run')], {
      env: { EFD_HEALTH_SUITES_DIR: FIXTURE_SUITES },
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toContain('InfluxDB writer');

    const points = rows(await influxql(`SELECT * FROM efd_health GROUP BY *`, db));
    expect(points).toHaveLength(3);
    const latency = points.find((p) => p.check === 'replication.fixture.latency')!;
    expect(latency).toMatchObject({
      env: 'influxtest', vantage: 'ci', suite: 'replication', target: 'influxtest',
      status: 'pass', reason: 'ok', status_code: 0, latency_ms_p50: 180, latency_ms_p99: 1200,
    });
    const failed = points.find((p) => p.check === 'services.fixture.connect')!;
    expect(failed).toMatchObject({ suite: 'services', target: 'connect', status: 'fail', reason: 'state', status_code: 2 });
    // all points of one run share the run's finish time
    const report = JSON.parse(readFileSync(join(dir, 'run', 'report.json'), 'utf8'));
    const finishedAt = report.finished_at.replace(/\.(\d{3})Z$/, (_m: string, ms: string) => (ms === '000' ? 'Z' : `.${ms.replace(/0+$/, '')}Z`));
    expect(new Set(points.map((p) => p.time))).toEqual(new Set([finishedAt]));

    // one run point: what a deadman and an exit-code alert read
    const runs = rows(await influxql(`SELECT * FROM efd_health_run GROUP BY *`, db));
    expect(runs).toHaveLength(1);
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    const run = JSON.parse(readFileSync(join(dir, 'run', 'run.json'), 'utf8'));
    expect(runs[0]).toMatchObject({
      time: finishedAt, env: 'influxtest', vantage: 'ci', version,
      exit_code: 1, status: 'fail', status_code: 2, suites: 'replication,services',
      checks: 3, checks_run: 3, checks_pass: 2, checks_warn: 0, checks_fail: 1, checks_error: 0, checks_skip: 0,
    });
    expect(runs[0].duration_s).toBeCloseTo((Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1000, 3);
    expect(runs[0].duration_s as number).toBeGreaterThan(0);
  });

  test('a run in which no check ran still leaves its efd_health_run point', async () => {
    const dir = tempDir();
    const profile = writeProfile(dir, {
      port: open.port,
      env: 'influxempty',
      vantage: 'ci',
      extra: reportTo(db),
    });
    // a suites folder without suite files: the run notes that and runs nothing
    const r = await cli(['run', '--profile', profile, '--suite', 'services', '--report-dir', join(dir, 'run')], {
      env: { EFD_HEALTH_SUITES_DIR: tempDir() },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const runs = rows(await influxql(`SELECT * FROM efd_health_run WHERE env = 'influxempty' GROUP BY *`, db));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ exit_code: 0, status: 'pass', checks: 0, checks_run: 0 });
  });

  test('a wrong password gives a warning sentence, not a crash, and does not print the password', async () => {
    const wrong = `wrong-${Date.now()}`;
    process.env.EFD_TEST_INFLUX_USER = admin().username;
    process.env.EFD_TEST_INFLUX_PASSWORD = wrong;
    const profile = {
      timeout_ms: 5000,
      report: { influxdb: { enabled: true, url: INFLUX, database: db, credentials: { username: { env: 'EFD_TEST_INFLUX_USER' }, password: { env: 'EFD_TEST_INFLUX_PASSWORD' } } } },
    } as unknown as Profile;
    const now = new Date().toISOString();
    const meta = { env: 'x', vantage: 'y', started_at: now, finished_at: now, suites: ['a'], status: 'pass', exit_code: 0 } as RunMeta;
    const finding: Finding = { id: 'a.b.c', suite: 'a', target: 't', status: 'pass', reason: 'ok', message: 'm' };
    const warning = await writeInflux(profile, meta, [finding]);
    expect(warning).toMatch(/^the InfluxDB writer could not write 2 points to http:\/\/127\.0\.0\.1:8086 database efd_health_test_\d+: authentication failed \(HTTP 401\)$/);
    expect(warning).not.toContain(wrong);
  });
});
