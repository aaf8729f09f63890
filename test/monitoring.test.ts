// What operators import (manifests/ldf/efd-health/monitoring/): the Chronograf dashboard's every InfluxQL
// query, with Chronograf's template variables substituted as Chronograf does, against the box's InfluxDB
// after a real run, each returning data in the shape its cell draws; and the Kapacitor TICKscripts'
// database, measurement, tags and fields against what a run writes, the deadman's interval at two periods of
// the CronJob's schedule. Kapacitor itself cannot run here (no package of it): its scripts are checked
// against the data, not executed. Needs the stack (test/global-setup.ts brings it up).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { parse } from 'yaml';
import { beforeAll, describe, expect, test } from 'vitest';
import { ROOT, tempDir } from './cli-helpers.ts';

const DIR = join(ROOT, 'manifests/ldf/efd-health/monitoring');
const INFLUX = 'http://127.0.0.1:8086';
const DB = 'efd_health';
const ENV = 'local'; // profiles/local.yaml, whose report.influxdb is the box's efd_health database
const RANGE_H = 24 * 7; // the dashboard time range the test selects: a week, so earlier load runs count

const secret = (name: string) => readFileSync(join(ROOT, '.stack/secrets', name), 'utf8').trim();

async function influxql(q: string): Promise<any> {
  const auth = Buffer.from(`${secret('influx-admin-user')}:${secret('influx-admin-password')}`).toString('base64');
  const res = await request(`${INFLUX}/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${auth}` },
    body: new URLSearchParams({ q, db: DB, epoch: 'ms' }).toString(),
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await res.body.json()) as any;
  if (res.statusCode !== 200 || body.error || body.results?.[0]?.error) throw new Error(`${q}: HTTP ${res.statusCode} ${JSON.stringify(body)}`);
  return body.results[0];
}

/** Chronograf's substitution: :dashboardTime: is the lower bound of the selected range (`now() - 168h`),
 * :upperDashboardTime: `now()`, :interval: the GROUP BY time that gives about 333 points over the range,
 * a tagValues variable its selected value single-quoted. */
export function substitute(query: string, env: string, rangeH: number): string {
  const interval = `${Math.max(1, Math.ceil((rangeH * 3600) / 333))}s`;
  return query
    .replaceAll(':dashboardTime:', `now() - ${rangeH}h`)
    .replaceAll(':upperDashboardTime:', 'now()')
    .replaceAll(':interval:', interval)
    .replaceAll(':env:', `'${env.replace(/'/g, "\\'")}'`);
}

interface Cell { name: string; type: string; queries: Array<{ query: string }> }

/** What a cell draws from a query's answer, or why it cannot: each `AS "alias"` a column with at least one
 * number; each GROUP BY tag on every series; a table at least one row. */
export function shapeProblem(cell: Cell, query: string, result: any): string | undefined {
  const series: any[] = result.series ?? [];
  if (!series.length) return `"${cell.name}": no data for ${query}`;
  const aliases = [...query.matchAll(/AS "([^"]+)"/g)].map((m) => m[1]);
  const groupTags = [...(query.match(/GROUP BY (.*?)(?: FILL|$)/)?.[1] ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  for (const s of series) {
    if (s.columns[0] !== 'time') return `"${cell.name}": first column ${s.columns[0]}, not time`;
    for (const t of groupTags) if (s.tags?.[t] === undefined) return `"${cell.name}": series without tag ${t}`;
  }
  for (const a of aliases) {
    const numeric = a === 'status' || a === 'reason' ? (v: unknown) => typeof v === 'string' : (v: unknown) => typeof v === 'number';
    const has = series.some((s) => {
      const i = s.columns.indexOf(a);
      return i > 0 && s.values.some((row: unknown[]) => numeric(row[i]));
    });
    if (!has) return `"${cell.name}": column ${a} has no value in ${query}`;
  }
  return undefined;
}

/** Longest gap between two runs of a 5-field cron schedule over a day (minute and hour fields). */
export function cronPeriodMin(schedule: string): number {
  const [minF, hourF] = schedule.trim().split(/\s+/);
  const match = (field: string, v: number, max: number) =>
    field.split(',').some((part) => {
      const [range, step] = part.split('/');
      const [lo, hi] = range === '*' ? [0, max] : range.includes('-') ? range.split('-').map(Number) : [Number(range), step ? max : Number(range)];
      return v >= lo && v <= hi && (v - lo) % Number(step ?? 1) === 0;
    });
  const fires: number[] = [];
  for (let m = 0; m < 24 * 60; m++) if (match(hourF, Math.floor(m / 60), 23) && match(minF, m % 60, 59)) fires.push(m);
  return Math.max(...fires.map((m, i) => (i ? m - fires[i - 1] : m + 24 * 60 - fires.at(-1)!)));
}

const dashboard = JSON.parse(readFileSync(join(DIR, 'dashboard.json'), 'utf8')).dashboard as { cells: Cell[]; templates: any[] };
const ticks = ['deadman.tick', 'exit-code.tick'].map((f) => ({ file: f, text: readFileSync(join(DIR, f), 'utf8') }));

function run(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['bin/efd-health.js', 'run', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 600_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('offline', () => {
  test("the deadman waits two periods of the CronJob's schedule", () => {
    const cron = parse(readFileSync(join(ROOT, 'manifests/ldf/efd-health/jobs/cronjob.yaml'), 'utf8'));
    const period = cronPeriodMin(cron.spec.schedule);
    const tick = ticks.find((t) => t.file === 'deadman.tick')!.text;
    expect(tick).toMatch(new RegExp(`var period = ${2 * period}m\\b`));
    expect(tick).toContain(`for ${2 * period} min (two CronJob periods)`);
    expect(tick).toMatch(/\|deadman\(0\.0, period\)/);
  });

  test('cron periods: every 15 minutes, hourly, a list of hours', () => {
    expect(cronPeriodMin('*/15 * * * *')).toBe(15);
    expect(cronPeriodMin('5 * * * *')).toBe(60);
    expect(cronPeriodMin('0 6,18 * * *')).toBe(720);
  });

  test('the substitution is what Chronograf sends', () => {
    expect(substitute('WHERE time > :dashboardTime: AND time < :upperDashboardTime: AND "env" = :env: GROUP BY time(:interval:)', 'ldf', 1)).toBe(
      `WHERE time > now() - 1h AND time < now() AND "env" = 'ldf' GROUP BY time(11s)`,
    );
  });
});

describe('against the box after a real run', () => {
  beforeAll(async () => {
    const r = run(['--suite', 'replication,services,data,ingress', '--report-dir', join(tempDir(), 'run')]);
    expect(r.out).toMatch(/^\d+ passed, \d+ failed/m); // a verdict, whatever it is: the run wrote its points
    // load keep-up comes from load runs only: one light run when the range holds none
    const load = await influxql(`SELECT count("sink_lag_s_max") FROM efd_health WHERE "check" = 'load.pipeline.sink_lag' AND "env" = '${ENV}' AND time > now() - ${RANGE_H}h`);
    if (!load.series?.length) {
      const l = run(['--suite', 'load', '--rate', '0.2MB/s', '--duration', '20s', '--report-dir', join(tempDir(), 'load')]);
      expect(l.out).toMatch(/^\d+ passed, \d+ failed/m);
    }
  }, 900_000);

  test('every dashboard query returns data in the shape of its cell', async () => {
    const problems: string[] = [];
    let queries = 0;
    for (const cell of dashboard.cells) {
      for (const { query } of cell.queries) {
        queries++;
        const q = substitute(query, ENV, RANGE_H);
        const problem = shapeProblem(cell, q, await influxql(q));
        if (problem) problems.push(problem);
      }
    }
    expect(problems).toEqual([]);
    expect(queries).toBeGreaterThanOrEqual(10);
  });

  test('a query for a field no run writes fails the shape check (the check is not vacuous)', async () => {
    const cell = dashboard.cells.find((c) => c.queries[0].query.includes('replication.marker.e2e_latency'))!;
    const q = substitute(cell.queries[0].query.replace('"latency_ms_p99"', '"latency_ms_p99_typo"'), ENV, RANGE_H);
    expect(shapeProblem(cell, q, await influxql(q))).toMatch(/column e2e_p99_ms has no value/);
    const other = substitute(cell.queries[0].query, 'no-such-env', RANGE_H);
    expect(shapeProblem(cell, other, await influxql(other))).toMatch(/no data/);
  });

  test("the env variable's values come from efd_health_run", async () => {
    const t = dashboard.templates[0];
    const q = t.query.influxql.replace(':database:', `"${t.query.db}"`).replace(':measurement:', `"${t.query.measurement}"`).replace(':tagKey:', `"${t.query.tagKey}"`);
    const values = ((await influxql(q)).series?.[0]?.values ?? []).map((v: string[]) => v[1]);
    expect(values).toContain(ENV);
  });

  test("the TICKscripts' database, measurement, tags and fields are what a run writes, and a run is recent", async () => {
    const fields = new Set(((await influxql('SHOW FIELD KEYS FROM efd_health_run')).series?.[0]?.values ?? []).map((v: string[]) => v[0]));
    const tags = new Set(((await influxql('SHOW TAG KEYS FROM efd_health_run')).series?.[0]?.values ?? []).map((v: string[]) => v[0]));
    for (const { file, text } of ticks) {
      expect(text, file).toContain(`.database('${DB}')`);
      expect(text, file).toContain(`.measurement('efd_health_run')`);
      const usedFields = [...text.matchAll(/index \.Fields "([^"]+)"|lambda: "([^"]+)"/g)].map((m) => m[1] ?? m[2]);
      const usedTags = [...text.matchAll(/index \.Tags "([^"]+)"/g)].map((m) => m[1]);
      for (const g of text.match(/\.groupBy\(([^)]*)\)/)![1].matchAll(/'([^']+)'/g)) usedTags.push(g[1]);
      for (const f of usedFields) expect(fields, `${file}: field ${f}`).toContain(f);
      for (const t of usedTags) expect(tags, `${file}: tag ${t}`).toContain(t);
    }
    expect(fields).toContain('exit_code');
    // the deadman would stay quiet: this env has a run point within two periods
    const recent = await influxql(`SELECT count("exit_code") FROM efd_health_run WHERE "env" = '${ENV}' AND time > now() - 30m`);
    expect(recent.series?.[0]?.values?.[0]?.[1]).toBeGreaterThan(0);
  });
});
