// report.html leads with what is wrong, checked in headless Chromium on a failing run with four runs
// before it in the same reports folder: verdict and counts per suite first, then every failure before the
// warnings (with hint, evidence and plots), the trend strip read from the earlier run folders, and the
// suites folded when all passed. EFD_UPDATE_DOCS=1 also writes docs/report.png (the README's picture).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../src/report/finding.ts';
import type { RunMeta } from '../src/report/model.ts';
import { writeReportFiles } from '../src/report/writers.ts';
import { ROOT, tempDir } from './cli-helpers.ts';
import { chromium, decodePng } from './helpers/chromium.ts';

const reports = tempDir();
const e2e = (p99: number, status: Finding['status']): Finding => ({
  id: 'replication.marker.e2e_latency', suite: 'replication', target: 'local', status, reason: status === 'pass' ? 'ok' : 'late',
  message: status === 'pass' ? `20 of 20 markers within the SLA, p99 ${p99} ms` : `p99 ${p99} ms exceeds the SLA of 5000 ms`,
  hint: status === 'pass' ? undefined : 'look at the sink hop: Telegraf flushes every 1 s',
  measurements: { latency_ms_p50: p99 / 3, latency_ms_p99: p99, sla_ms: 5000 },
  evidence: status === 'pass' ? undefined : { late_markers: ['m-17', 'm-18'], slowest_hop: 'sink' },
  series: [
    { name: 'e2e latency', kind: 'histogram', unit: 'ms', points: [[250, 2], [500, 6], [1000, 7], [2000, 3], [8000, 2]] },
    { name: 'e2e latency', kind: 'timeline', unit: 'ms', points: Array.from({ length: 20 }, (_, i) => [i * 500, 300 + ((i * 397) % (p99 - 300))] as [number, number]) },
  ],
});
function run(i: number, p99: number, lag: number, days: number, failing: boolean): { meta: RunMeta; findings: Finding[] } {
  const findings: Finding[] = [
    e2e(p99, failing ? 'fail' : 'pass'),
    { id: 'replication.marker.duplicates', suite: 'replication', target: 'local', status: 'pass', reason: 'ok', message: 'no duplicates' },
    { id: 'data.sink.lag', suite: 'data', target: 'telegraf-efd', status: failing ? 'fail' : 'pass', reason: failing ? 'lag' : 'ok', message: `sink lag ${lag} s`, hint: failing ? 'npm run stack -- logs telegraf' : undefined, measurements: { lag_s_max: lag } },
    { id: 'ingress.tls.expiry', suite: 'ingress', target: 'influxdb-ldf.example', status: days < 21 ? 'warn' : 'pass', reason: days < 21 ? 'cert_expiring' : 'ok', message: `${days} days left`, hint: days < 21 ? 'renew the certificate' : undefined, measurements: { days_left: days } },
    { id: 'services.connect.state', suite: 'services', target: 'connect', status: failing ? 'error' : 'pass', reason: failing ? 'internal' : 'ok', message: failing ? 'the Connect REST API answered 500' : '3 connectors RUNNING' },
    ...Array.from({ length: 6 }, (_, k): Finding => ({ id: `services.kafka.check${k}`, suite: 'services', target: 'ldf', status: 'pass', reason: 'ok', message: 'fine' })),
    { id: 'manifests.schema.valid', suite: 'manifests', target: 'manifests/ldf', status: 'pass', reason: 'ok', message: 'valid' },
  ];
  const t = new Date(Date.UTC(2026, 11, 8, 0, i * 15)).toISOString();
  const meta: RunMeta = {
    env: 'local', vantage: 'local', profile: 'profiles/local.yaml', production: false, started_at: t, finished_at: t,
    suites: ['replication', 'ingress', 'services', 'data', 'manifests'], skipped_suites: [], internal_errors: [], strict: false, options: {},
    status: failing ? 'fail' : days < 21 ? 'warn' : 'pass', exit_code: failing ? 1 : 0,
  };
  return { meta, findings };
}

const history = [run(0, 900, 1.1, 24, false), run(1, 950, 1.3, 22, false), run(2, 1100, 2.0, 21, false), run(3, 2400, 4.5, 20, false)];
const current = run(4, 7200, 38, 19, true);
let html = '';
let dom = '';

beforeAll(async () => {
  for (const [i, r] of [...history, current].entries()) {
    const dir = join(reports, `2026120${i}T000000Z-local-local`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'run.json'), JSON.stringify(r.meta));
    writeFileSync(join(dir, 'findings.jsonl'), r.findings.map((f) => JSON.stringify(f) + '\n').join(''));
    writeReportFiles(dir, r.meta, r.findings);
    html = join(dir, 'report.html');
  }
  const r = await chromium(['--dump-dom', pathToFileURL(html).href]);
  expect(r.code).toBe(0);
  dom = r.stdout;
}, 120_000);

describe('report.html of a failing run, in Chromium', () => {
  test('verdict, counts per suite, problems, trend, suites: in that order', () => {
    const at = (s: string) => dom.indexOf(s);
    for (const s of ['id="run-status"', 'id="suite-counts"', 'id="problems"', 'id="trend"', 'id="suites"']) expect(at(s), s).toBeGreaterThan(0);
    expect(at('id="run-status"')).toBeLessThan(at('id="suite-counts"'));
    expect(at('id="suite-counts"')).toBeLessThan(at('id="problems"'));
    expect(at('id="problems"')).toBeLessThan(at('id="trend"'));
    expect(at('id="trend"')).toBeLessThan(at('id="suites"'));
    expect(dom).toMatch(/id="run-status"[^>]*>FAIL</);
  });

  test('counts per suite are the findings of each suite', () => {
    const row = (suite: string) => [...dom.match(new RegExp(`<tr data-suite="${suite}">(.*?)</tr>`))![1].matchAll(/<td class="n[^"]*">(\d+)</g)].map((m) => Number(m[1]));
    // columns: fail, error, warn, pass, skip
    expect(row('replication')).toEqual([1, 0, 0, 1, 0]);
    expect(row('services')).toEqual([0, 1, 0, 6, 0]);
    expect(row('ingress')).toEqual([0, 0, 1, 0, 0]);
    expect(row('data')).toEqual([1, 0, 0, 0, 0]);
    expect(row('manifests')).toEqual([0, 0, 0, 1, 0]);
  });

  test('every failure and error comes before the warning, each with its hint; evidence and plots beside it', () => {
    const problems = dom.slice(dom.indexOf('id="problems"'), dom.indexOf('id="trend"'));
    const blocks = [...problems.matchAll(/<div class="problem (\w+)" data-check="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(blocks).toEqual(['fail replication.marker.e2e_latency', 'fail data.sink.lag', 'error services.connect.state', 'warn ingress.tls.expiry']);
    expect(dom).toContain('id="problems-title">What is wrong: 4 findings');
    expect(problems).toContain('look at the sink hop: Telegraf flushes every 1 s');
    expect(problems).toContain('renew the certificate');
    expect(problems).toMatch(/<pre class="evidence">[^<]*late_markers/);
    expect(problems.match(/<svg [^>]*class="plot"/g)).toHaveLength(2);
    expect(problems).toContain('bucket upper bound (ms)');
    expect(problems).toContain('time since run start (s)');
  });

  test('the trend strip has the last five runs of each key figure, read from the earlier run folders', () => {
    const trend = dom.slice(dom.indexOf('id="trend"'), dom.indexOf('id="suites"'));
    for (const key of ['e2e_p99', 'sink_lag', 'tls_days', 'gate_violations']) {
      const fig = trend.match(new RegExp(`data-figure="${key}">(.*?)</figure>`))![1];
      expect(fig.match(/<circle /g), key).toHaveLength(5);
    }
    expect(dom).toContain('Trend over the last 5 runs (2026-12-08T00:00:00.000Z → this run)');
    expect(trend).toMatch(/marker e2e p99: <b>7200<\/b> ms/);
    expect(trend).toMatch(/TLS days left: <b>19<\/b> days/);
  });

  test('suites with a problem are open, the ones that all passed folded; plots sit below their check', () => {
    const opened = (s: string) => new RegExp(`<details class="suite" id="suite-${s}" open`).test(dom);
    expect(['replication', 'services', 'ingress', 'data'].every(opened)).toBe(true);
    expect(opened('manifests')).toBe(false);
    const replication = dom.slice(dom.indexOf('id="suite-replication"'), dom.indexOf('id="suite-ingress"'));
    expect(replication).toMatch(/data-check="replication\.marker\.e2e_latency"[\s\S]*?<\/tr>\s*<tr class="plots">[\s\S]*?class="plot"/);
    expect(readFileSync(html, 'utf8')).not.toMatch(/<script|<link |src="http|href="http|@import/i);
  });

  test('the first screen (1280×900) shows the failure colours', async () => {
    const png = join(tempDir(), 'report.png');
    const r = await chromium([`--screenshot=${png}`, '--window-size=1280,900', pathToFileURL(html).href]);
    expect(r.code).toBe(0);
    const { channels, pixels } = decodePng(readFileSync(png));
    const colours = new Set<string>();
    for (let i = 0; i < pixels.length; i += channels) colours.add(`${pixels[i] >> 4},${pixels[i + 1] >> 4},${pixels[i + 2] >> 4}`);
    for (const [r8, g8, b8] of [[0xb3, 0x26, 0x1e], [0x7b, 0x1f, 0xa2], [0xa8, 0x6b, 0x00]]) expect(colours.has(`${r8 >> 4},${g8 >> 4},${b8 >> 4}`)).toBe(true);
    if (process.env.EFD_UPDATE_DOCS === '1') {
      const full = join(tempDir(), 'full.png');
      await chromium([`--screenshot=${full}`, '--window-size=1280,1500', pathToFileURL(html).href]);
      copyFileSync(full, join(ROOT, 'docs/report.png'));
    }
  });
});
