// The writers: every one reads the same findings; report.json has exactly the agreed shape; report.html
// shows its verdict table and plots in a real browser (headless Chromium), without JavaScript.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { Finding } from '../src/report/finding.ts';
import { renderConsole } from '../src/report/console-end.ts';
import { renderHtml } from '../src/report/html.ts';
import { buildJsonReport } from '../src/report/json.ts';
import { renderJunit } from '../src/report/junit.ts';
import { renderMarkdown } from '../src/report/markdown.ts';
import { countFindings, countsLine, type RunMeta } from '../src/report/model.ts';
import { splitNotApplicable } from '../src/report/not-applicable.ts';
import { niceTicks, histogramSvg, timelineSvg } from '../src/report/svg.ts';
import { exitCode, runStatus } from '../src/runner/exit.ts';
import { tempDir } from './cli-helpers.ts';
import { chromium, decodePng } from './helpers/chromium.ts';

const FINDINGS: Finding[] = [
  {
    id: 'replication.marker.e2e_latency', suite: 'replication', target: 'local', status: 'pass', reason: 'ok',
    message: '20 of 20 markers arrived', measurements: { latency_ms_p99: 812 }, duration_ms: 4100,
    series: [
      { name: 'e2e latency', kind: 'histogram', unit: 'ms', points: [[100, 2], [200, 11], [400, 5], [800, 2]] },
      { name: 'e2e latency', kind: 'timeline', unit: 'ms', points: [[0, 120], [500, 180], [1000, 150], [1500, 410]] },
    ],
  },
  { id: 'ingress.tls.expiry', suite: 'ingress', target: 'a.example', status: 'warn', reason: 'cert_expiring', message: '12 days left', hint: 'renew <soon> & "now"', measurements: { days_left: 12 } },
  { id: 'services.connect.state', suite: 'services', target: 'connect', status: 'fail', reason: 'state', message: 'task 0 FAILED | see log' },
  { id: 'services.influx.ping', suite: 'services', target: 'influxdb', status: 'error', reason: 'internal', message: 'check crashed' },
  { id: 'data.topics.fresh', suite: 'data', target: 'local', status: 'skip', reason: 'skipped', message: 'no topics yet' },
];

const META: RunMeta = {
  env: 'local', vantage: 'laptop', profile: 'profiles/local.yaml', production: false,
  started_at: '2026-01-01T00:00:00.000Z', finished_at: '2026-01-01T00:01:00.000Z',
  suites: ['replication', 'ingress', 'services', 'data'], skipped_suites: [{ name: 'load', note: 'no suite files yet' }],
  internal_errors: [], strict: false, options: {}, status: 'fail', exit_code: 1,
};

describe('verdict and counts', () => {
  test('the last line counts failures and errors together, and names warnings and skips only when present', () => {
    expect(countsLine(countFindings(FINDINGS))).toBe('1 passed, 2 failed, 1 warning, 1 skipped');
    expect(countsLine({ passed: 3, failed: 0, warnings: 0, skipped: 0 })).toBe('3 passed, 0 failed');
    expect(countsLine({ passed: 3, failed: 0, warnings: 0, skipped: 2 })).toBe('3 passed, 0 failed, 2 skipped');
    expect(countsLine({ passed: 0, failed: 1, warnings: 2, skipped: 0 })).toBe('0 passed, 1 failed, 2 warnings');
  });

  test('exit codes: 0 pass (warnings allowed), 1 fail, 2 warnings under --strict, 5 internal', () => {
    const pass = FINDINGS.filter((f) => f.status === 'pass');
    const warn = FINDINGS.filter((f) => f.status === 'warn' || f.status === 'pass');
    expect(exitCode({ findings: pass, internalErrors: [], strict: true })).toBe(0);
    expect(exitCode({ findings: warn, internalErrors: [], strict: false })).toBe(0);
    expect(exitCode({ findings: warn, internalErrors: [], strict: true })).toBe(2);
    expect(exitCode({ findings: FINDINGS, internalErrors: [], strict: true })).toBe(1);
    expect(exitCode({ findings: FINDINGS, internalErrors: ['x crashed'], strict: false })).toBe(5);
    expect(runStatus(warn, [])).toBe('warn');
    expect(runStatus(FINDINGS, [])).toBe('fail');
  });

  test('the end of a run leads with what is wrong, then the report path, and ends with the counts line', () => {
    const out = renderConsole({ color: false }, META, FINDINGS, { reportFile: 'reports/x/report.html' });
    const lines = out.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('1 passed, 2 failed, 1 warning, 1 skipped');
    expect(lines.at(-2)).toBe('report: reports/x/report.html');
    expect(out).not.toContain('\u001b[');
    // failures and errors first, then warnings, each with check, target, reason, message and hint
    expect(lines.slice(1, 6)).toEqual([
      'efd-health local from laptop: FAIL',
      '✗ FAIL  services.connect.state [connect] state: task 0 FAILED | see log',
      '✗ ERROR services.influx.ping [influxdb] internal: check crashed',
      '! WARN  ingress.tls.expiry [a.example] cert_expiring: 12 days left',
      '        next: renew <soon> & "now"',
    ]);
    // passes are not listed; skips are counted, with where to find why
    expect(out).not.toContain('replication.marker.e2e_latency');
    expect(out).not.toContain('data.topics.fresh');
    expect(out).toContain('1 check skipped, each with its reason in the report (--verbose lists them)');
    expect(out).toContain('note: suite load not run: no suite files yet');
    expect(renderConsole({ color: true }, META, FINDINGS)).toContain('\u001b[31m');
  });

  test('--verbose adds the full verdict table; the counts line stays last', () => {
    const out = renderConsole({ color: false }, META, FINDINGS, { verbose: true, reportFile: 'r.html' });
    expect(out).toMatch(/^FAIL\s+services\.connect\.state\s+connect\s+state\s+task 0 FAILED \| see log$/m);
    expect(out).toMatch(/^PASS\s+replication\.marker\.e2e_latency\s+local\s+ok\s+20 of 20 markers arrived$/m);
    expect(out).toMatch(/^SKIP\s+data\.topics\.fresh\s+local\s+skipped\s+no topics yet$/m);
    expect(out).not.toContain('each with its reason in the report');
    expect(out.trimEnd().split('\n').at(-1)).toBe('1 passed, 2 failed, 1 warning, 1 skipped');
  });

  test('a long hint (a stack trace) is cut at the end of the run, never the message', () => {
    const trace = ['org.apache.kafka.connect.errors.ConnectException: boom', ...Array.from({ length: 40 }, (_, i) => `\tat frame${i}`)].join('\n');
    const f: Finding = { id: 'services.connect.state', suite: 'services', target: 'mm2', status: 'fail', reason: 'state', message: 'task 0 FAILED', hint: trace };
    const out = renderConsole({ color: false }, META, [f]);
    expect(out).toContain('        next: org.apache.kafka.connect.errors.ConnectException: boom');
    expect(out).toContain('        … 38 more line(s) in the report');
    expect(out).not.toContain('frame5');
  });
});

/** A suite that does not apply: every one of its checks skipped with reason not_applicable. */
const NA_FINDINGS: Finding[] = [
  ...FINDINGS,
  ...['manifests.schema.valid', 'manifests.argocd.apps', 'manifests.images.pinned'].map(
    (id): Finding => ({ id, suite: 'manifests', target: 'local', status: 'skip', reason: 'not_applicable', message: 'manifests/local holds no Argo CD Application' }),
  ),
];
const NA_META: RunMeta = { ...META, suites: [...META.suites, 'manifests'] };
const NA_LINE = 'does not apply: manifests/local holds no Argo CD Application (3 checks skipped)';

describe('a suite that does not apply says so once', () => {
  test('splitNotApplicable keeps the other findings and sums the rest into one line', () => {
    const { listed, notApplicable } = splitNotApplicable('manifests', NA_FINDINGS.slice(-3));
    expect(listed).toEqual([]);
    expect(notApplicable).toEqual({ suite: 'manifests', target: 'local', why: 'manifests/local holds no Argo CD Application', checks: 3 });
    expect(splitNotApplicable('data', FINDINGS.slice(-1))).toEqual({ listed: FINDINGS.slice(-1) });
  });

  test('console: one line for the suite, in the end and in the verbose table; still counted as skipped', () => {
    const out = renderConsole({ color: false }, NA_META, NA_FINDINGS);
    expect(out.match(/manifests\./g)).toBeNull();
    expect(out).toContain(`suite manifests ${NA_LINE}`);
    expect(out).toContain('1 other check skipped, each with its reason in the report');
    expect(out.trimEnd().split('\n').at(-1)).toBe('1 passed, 2 failed, 1 warning, 4 skipped');
    const verbose = renderConsole({ color: false }, NA_META, NA_FINDINGS, { verbose: true });
    expect(verbose).toMatch(/^SKIP\s+manifests \(3 checks\)\s+local\s+not_applicable\s+manifests\/local holds no Argo CD Application$/m);
    expect(verbose.match(/manifests\./g)).toBeNull();
  });

  test('summary.md and report.html: one line or row for the suite', () => {
    const md = renderMarkdown(NA_META, NA_FINDINGS);
    expect(md).toContain(`### manifests\n\n⏭️ ${NA_LINE}\n`);
    expect(md).not.toContain('manifests.schema.valid');
    const html = renderHtml(NA_META, NA_FINDINGS);
    expect(html.match(/<tr class="finding skip not-applicable">/g)).toHaveLength(1);
    expect(html).toContain('<td>3 checks</td><td>local</td><td>not_applicable</td>');
    expect(html).not.toContain('manifests.schema.valid');
  });

  test('report.json and junit.xml keep every check, and report.json notes the suite once', () => {
    const r = buildJsonReport(NA_META, NA_FINDINGS);
    const suite = r.suites.find((s) => s.name === 'manifests')!;
    expect(suite.checks.map((c) => [c.id, c.status, c.reason])).toEqual([
      ['manifests.schema.valid', 'skip', 'not_applicable'],
      ['manifests.argocd.apps', 'skip', 'not_applicable'],
      ['manifests.images.pinned', 'skip', 'not_applicable'],
    ]);
    expect(r.counts.skipped).toBe(4);
    expect(r.notes).toContain(`suite manifests ${NA_LINE}`);
    expect(renderJunit(NA_META, NA_FINDINGS)).toContain('<testsuite name="manifests" tests="3" failures="0" errors="0" skipped="3"');
  });
});

describe('report.json', () => {
  test('has exactly the agreed shape', () => {
    const r = JSON.parse(JSON.stringify(buildJsonReport(META, FINDINGS)));
    expect(r.status).toBe('fail');
    expect(r.suites.map((s: any) => s.name)).toEqual(['replication', 'ingress', 'services', 'data']);
    for (const s of r.suites) {
      expect(Object.keys(s).sort()).toEqual(['checks', 'name']);
      for (const c of s.checks) expect(Object.keys(c).sort()).toEqual(['hint', 'id', 'measurements', 'message', 'reason', 'status', 'target']);
    }
    expect(r.suites[1].checks[0]).toEqual({
      id: 'ingress.tls.expiry', status: 'warn', reason: 'cert_expiring', target: 'a.example', message: '12 days left',
      hint: 'renew <soon> & "now"', measurements: { days_left: 12 },
    });
    expect(r.suites[0].checks[0].hint).toBeNull();
  });
});

describe('junit.xml and summary.md', () => {
  test('junit marks fail as failure, error as error, skip as skipped, warn as a passing case with output', () => {
    const x = renderJunit(META, FINDINGS);
    expect(x).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites [^>]*tests="5" failures="1" errors="1" skipped="1"/);
    expect(x).toContain('<testsuite name="services" tests="2" failures="1" errors="1" skipped="0"');
    expect(x).toContain('<failure message="state: task 0 FAILED | see log" type="state">');
    expect(x).toContain('<error message="internal: check crashed" type="internal">');
    expect(x).toContain('<skipped message="skipped: no topics yet"/>');
    expect(x).toContain('<system-out>WARNING cert_expiring: 12 days left\nhint: renew &lt;soon&gt; &amp; &quot;now&quot;');
    expect(x).toContain('name="replication.marker.e2e_latency [local]" time="4.100"/>');
    // well-formed enough: every opened testsuite/testcase is closed
    expect(x.match(/<testsuite /g)?.length).toBe(x.match(/<\/testsuite>/g)?.length);
  });

  test('summary.md leads with the verdict and lists what needs attention', () => {
    const md = renderMarkdown(META, FINDINGS);
    expect(md.split('\n')[0]).toBe('## ❌ efd-health local from laptop: FAIL');
    expect(md).toContain('**1 passed, 2 failed, 1 warning, 1 skipped**');
    expect(md).toContain('### Needs attention');
    expect(md).toContain('| ❌ FAIL | `services.connect.state` | connect | state | task 0 FAILED \\| see log |  |');
    expect(md).toContain('> suite load not run: no suite files yet');
  });
});

describe('svg plots', () => {
  test('ticks are round and cover the range', () => {
    expect(niceTicks(0, 9)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 1234).at(-1)).toBeGreaterThanOrEqual(1234);
  });

  test('a histogram has one bar per bucket and labelled axes with units', () => {
    const svg = histogramSvg(FINDINGS[0].series![0], 't');
    expect(svg.match(/class="bar"/g)).toHaveLength(4);
    expect(svg).toContain('e2e latency: bucket upper bound (ms)');
    expect(svg).toContain('>count</text>');
  });

  test('a timeline is a line over seconds since the run started', () => {
    const svg = timelineSvg(FINDINGS[0].series![1], 't');
    expect(svg).toContain('class="line"');
    expect(svg).toContain('time since run start (s)');
    expect(svg).toContain('e2e latency (ms)');
  });
});

// Chromium is installed by .ci/run (scripts/ci-deps.sh) when the machine lacks it: a missing one fails here.
describe('report.html in headless Chromium', () => {
  test('chromium is installed', () => expect(existsSync('/usr/bin/chromium'), 'run scripts/ci-deps.sh (apt-get install chromium)').toBe(true));
  const dir = tempDir();
  const html = join(dir, 'report.html');
  writeFileSync(html, renderHtml(META, FINDINGS));
  const url = pathToFileURL(html).href;

  test('is self-contained: no script, nothing fetched', () => {
    const text = readFileSync(html, 'utf8');
    expect(text).not.toMatch(/<script|<link |src="http|href="http|@import/i);
    expect(text).toContain('renew &lt;soon&gt; &amp; &quot;now&quot;');
  });

  test('the rendered page holds the verdict table and the plots', async () => {
    const r = await chromium(['--dump-dom', url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/<div id="suites">/);
    expect(r.stdout.match(/<tr class="finding /g)).toHaveLength(5);
    expect(r.stdout.match(/<svg [^>]*class="plot"/g)).toHaveLength(2);
    expect(r.stdout).toContain('<polyline class="line"');
  });

  test('the screenshot is not blank and shows the status colours', async () => {
    const png = join(dir, 'shot.png');
    const r = await chromium([`--screenshot=${png}`, '--window-size=1280,1600', url]);
    expect(r.code).toBe(0);
    const { width, height, channels, pixels } = decodePng(readFileSync(png));
    expect([width, height]).toEqual([1280, 1600]);
    let inked = 0;
    const colours = new Set<string>();
    for (let i = 0; i < pixels.length; i += channels) {
      const [r8, g8, b8] = [pixels[i], pixels[i + 1], pixels[i + 2]];
      if (r8 < 240 || g8 < 240 || b8 < 240) inked++;
      colours.add(`${r8 >> 4},${g8 >> 4},${b8 >> 4}`);
    }
    expect(inked / (width * height)).toBeGreaterThan(0.02);
    expect(colours.size).toBeGreaterThan(20);
    // the FAIL red (#b3261e), ERROR purple (#7b1fa2) and WARN amber (#a86b00) badges lead the page (the
    // histogram of the all-passed replication suite is folded away in its closed <details>)
    for (const [r8, g8, b8] of [[0xb3, 0x26, 0x1e], [0x7b, 0x1f, 0xa2], [0xa8, 0x6b, 0x00]]) {
      expect(colours.has(`${r8 >> 4},${g8 >> 4},${b8 >> 4}`), `colour ${r8},${g8},${b8}`).toBe(true);
    }
  });
});
