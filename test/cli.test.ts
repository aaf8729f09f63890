// The CLI end to end: list and explain read the catalog; `run` executes suites under vitest and turns
// their findings into reports and exit codes (0/1/2/5); `report RUN_DIR` re-renders a run.
// `run` uses the test-only suites in test/fixtures/suites (EFD_HEALTH_SUITES_DIR) whose outcomes are
// fixed: replication passes, ingress warns, services fails, data crashes while loading, manifests hangs.
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHECKS } from '../src/catalog/index.ts';
import { SUITES } from '../src/catalog/types.ts';
import { cli, FIXTURE_SUITES, listeningPort, tempDir, writeProfile } from './cli-helpers.ts';

const SUITES_ENV = { EFD_HEALTH_SUITES_DIR: FIXTURE_SUITES };

describe('list and explain', () => {
  test('list prints every check id of the catalog with its thresholds and defaults', async () => {
    const r = await cli(['list']);
    expect(r.code, r.stderr).toBe(0);
    for (const s of SUITES) expect(r.stdout).toMatch(new RegExp(`^${s} \\(\\d+ checks?\\)$`, 'm'));
    for (const c of CHECKS) {
      expect(r.stdout).toContain(`  ${c.id}  ${c.title}`);
      for (const [name, t] of Object.entries(c.thresholds ?? {})) expect(r.stdout).toContain(`${name} = ${JSON.stringify(t.default)}`);
    }
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`${CHECKS.length} checks; efd-health explain CHECK_ID for one of them`);
  });

  test('list --json is the catalog', async () => {
    const r = await cli(['list', '--json']);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(CHECKS)));
  });

  test.skipIf(CHECKS.length === 0)('explain shows one check and how to tune it in a profile', async () => {
    const c = CHECKS.find((x) => Object.keys(x.thresholds ?? {}).length) ?? CHECKS[0];
    const r = await cli(['explain', c.id]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`${c.id} — ${c.title}`);
    expect(r.stdout).toContain(`reasons: ${c.reasons.join(', ')}`);
    for (const name of Object.keys(c.thresholds ?? {})) expect(r.stdout).toMatch(new RegExp(`^    ${name}: `, 'm'));
  });

  test('every command answers --help', async () => {
    for (const cmd of ['run', 'gate', 'stack', 'list', 'explain', 'report']) {
      const r = await cli([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(new RegExp(`^Usage: efd-health ${cmd}`));
    }
    expect((await cli(['run', '--help'])).stdout).toMatch(/^ {2}--verbose {11}end with the full verdict table/m);
    const top = await cli(['--help']);
    expect(top.stdout).toMatch(/run\s+run the live suites/);
  });
});

describe('run', () => {
  let open: Awaited<ReturnType<typeof listeningPort>>;
  let dir: string;
  let profile: string;
  beforeAll(async () => {
    open = await listeningPort();
    dir = tempDir();
    profile = writeProfile(dir, { port: open.port });
  });
  afterAll(() => open.server.close());

  const run = (args: string[], cwd?: string) => cli(['run', '--profile', profile, ...args], { env: SUITES_ENV, cwd });
  const runDir = () => join(dir, `run-${Math.random().toString(36).slice(2)}`);

  test('all pass → exit 0; progress per suite and check; all report files; options and vantage reach the suite', async () => {
    const out = runDir();
    const r = await run(['--suite', 'replication', '--report-dir', out, '--vantage', 'vpn', '--rate', '1.9MB/s']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^▶ replication test\/fixtures\/suites\/replication\/pass\.ts$/m);
    expect(r.stdout).toMatch(/^ {2}✓ PASS {2}replication\.fixture\.latency \[fx\] 20 of 20 markers arrived \(vantage vpn, option rate=1\.9MB\/s\) \(12 ms\)$/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('2 passed, 0 failed');
    expect(readdirSync(out).sort()).toEqual(['context.json', 'findings.jsonl', 'junit.xml', 'report.html', 'report.json', 'run.json', 'summary.md']);
    const ctx = JSON.parse(readFileSync(join(out, 'context.json'), 'utf8'));
    expect(ctx.profile.vantage).toBe('vpn');
    expect(ctx.options).toEqual({ rate: '1.9MB/s' });
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ status: 'pass', env: 'fx', vantage: 'vpn', exit_code: 0 });
    expect(report.suites[0].checks.map((c: any) => c.id)).toEqual(['replication.fixture.latency', 'replication.fixture.topics']);
  });

  test('a warning → exit 0, and exit 2 under --strict', async () => {
    const relaxed = await run(['--suite', 'ingress', '--report-dir', runDir()]);
    expect(relaxed.code, relaxed.stderr).toBe(0);
    expect(relaxed.stdout.trimEnd().split('\n').at(-1)).toBe('0 passed, 0 failed, 1 warning, 1 skipped');
    const strict = await run(['--suite', 'ingress', '--strict', '--report-dir', runDir()]);
    expect(strict.code, strict.stderr).toBe(2);
  });

  test('a failed check → exit 1; the end of the run names it with its hint, then the report path, then the counts', async () => {
    const out = runDir();
    const r = await run(['--suite', 'replication,services', '--report-dir', out]);
    expect(r.code, r.stderr).toBe(1);
    const end = r.stdout.trimEnd().split('\n').slice(-5);
    expect(end).toEqual([
      'efd-health fx from test: FAIL',
      '✗ FAIL  services.fixture.connect [connect] state: connector replicator-mirror-source is FAILED',
      '        next: GET /connectors/replicator-mirror-source/status',
      `report: ${out}/report.html`,
      '2 passed, 1 failed',
    ]);
    // the full table only with --verbose
    expect(r.stdout).not.toMatch(/^PASS\s+replication\.fixture\.latency/m);
    const verbose = await run(['--suite', 'replication,services', '--verbose', '--report-dir', runDir()]);
    expect(verbose.stdout).toMatch(/^FAIL\s+services\.fixture\.connect\s+connect\s+state\s+connector replicator-mirror-source is FAILED$/m);
    expect(verbose.stdout).toMatch(/^PASS\s+replication\.fixture\.latency\s+fx\s+ok\s+/m);
    expect(verbose.stdout.trimEnd().split('\n').at(-1)).toBe('2 passed, 1 failed');
  });

  test('a suite that does not apply says so in one line, while the findings keep every check', async () => {
    const out = runDir();
    const r = await cli(['run', '--profile', profile, '--suite', 'manifests', '--report-dir', out], {
      env: { EFD_HEALTH_SUITES_DIR: join(FIXTURE_SUITES, '../suites-na') },
    });
    expect(r.code, r.stderr).toBe(0);
    const line = 'manifests [fx] does not apply: the folder holds no Argo CD Application (3 checks skipped)';
    expect(r.stdout).toContain(`  - SKIP  ${line}\n`);
    expect(r.stdout).not.toContain('manifests.fixture.');
    expect(r.stdout).toContain('suite manifests does not apply: the folder holds no Argo CD Application (3 checks skipped)');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 passed, 0 failed, 3 skipped');
    const findings = readFileSync(join(out, 'findings.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(findings.map((f) => [f.id, f.status, f.reason])).toEqual([
      ['manifests.fixture.one', 'skip', 'not_applicable'],
      ['manifests.fixture.two', 'skip', 'not_applicable'],
      ['manifests.fixture.three', 'skip', 'not_applicable'],
    ]);
    expect(readFileSync(join(out, 'summary.md'), 'utf8').match(/does not apply/g)).toHaveLength(1);
  });

  test('a suite file that crashes → exit 5 with one sentence; the reports are still written', async () => {
    const out = runDir();
    const r = await run(['--suite', 'replication,data', '--report-dir', out]);
    expect(r.code).toBe(5);
    const errLines = r.stderr.trimEnd().split('\n');
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toBe('efd-health: internal error: suite file test/fixtures/suites/data/crash.ts crashed before its checks could report: fixture suite crashed on purpose');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.status).toBe('error');
    expect(report.exit_code).toBe(5);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('type="internal"');
  });

  test('a suite that finds its input invalid while loading (an InputError) → exit 4, one sentence naming the file', async () => {
    const r = await cli(['run', '--profile', profile, '--suite', 'manifests', '--report-dir', runDir()], {
      env: { EFD_HEALTH_SUITES_DIR: join(FIXTURE_SUITES, '../suites-input') },
    });
    expect(r.code).toBe(4);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'efd-health: suite file test/fixtures/suites-input/manifests/bad-manifest.ts could not start: manifests/broken/app.yaml:3: not a Kubernetes object (apiVersion, kind and metadata.name are required)',
    ]);
  });

  test('a check that hangs is stopped by its timeout → exit 5, never a hang', async () => {
    const started = Date.now();
    const r = await run(['--suite', 'manifests', '--report-dir', runDir()]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('test "manifests.fixture.hang" in test/fixtures/suites/manifests/timeout.ts failed without reporting a finding: Test timed out in 1500ms.');
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  test('--json prints report.json on stdout and the progress on stderr', async () => {
    const r = await run(['--suite', 'replication,ingress', '--json', '--report-dir', runDir()]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.status).toBe('warn');
    expect(report.suites.map((s: any) => s.name)).toEqual(['replication', 'ingress']);
    expect(r.stderr).toContain('✓ PASS  replication.fixture.latency');
  });

  test('without --report-dir the run goes to reports/<UTC time>-<env>-<vantage>/ and reports/latest follows it', async () => {
    const cwd = tempDir();
    const first = await run(['--suite', 'replication'], cwd);
    expect(first.code, first.stderr).toBe(0);
    const second = await run(['--suite', 'replication', '--vantage', 'tucson'], cwd);
    expect(second.code, second.stderr).toBe(0);
    const names = readdirSync(join(cwd, 'reports')).sort();
    expect(names).toHaveLength(3);
    expect(names[0]).toMatch(/^\d{8}T\d{6}Z-fx-test$/);
    expect(names[1]).toMatch(/^\d{8}T\d{6}Z-fx-tucson$/);
    expect(names[2]).toBe('latest');
    expect(readlinkSync(join(cwd, 'reports/latest'))).toBe(names[1]);
    expect(existsSync(join(cwd, 'reports/latest/report.html'))).toBe(true);
  });

  test('a suite folder without suite files is skipped with a note', async () => {
    const empty = tempDir();
    const r = await cli(['run', '--profile', profile, '--suite', 'load', '--report-dir', runDir()], { env: { EFD_HEALTH_SUITES_DIR: empty } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^note: suite load not run: no suite files in .* yet$/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 passed, 0 failed');
  });

  test('report RUN_DIR re-renders every file from findings.jsonl and run.json', async () => {
    const out = runDir();
    const r = await run(['--suite', 'replication,ingress,services', '--report-dir', out]);
    expect(r.code).toBe(1);
    const before = Object.fromEntries(['report.json', 'junit.xml', 'summary.md', 'report.html'].map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    for (const f of Object.keys(before)) rmSync(join(out, f));
    const again = await cli(['report', out]);
    expect(again.code, again.stderr).toBe(0);
    for (const [f, text] of Object.entries(before)) expect(readFileSync(join(out, f), 'utf8'), f).toBe(text);
    expect(again.stdout.trimEnd().split('\n').at(-1)).toBe('2 passed, 1 failed, 1 warning, 1 skipped');
    // a changed finding shows in every writer after re-rendering
    const lines = readFileSync(join(out, 'findings.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    lines.find((f) => f.id === 'services.fixture.connect').status = 'pass';
    writeFileSync(join(out, 'findings.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const json = await cli(['report', out, '--json']);
    expect(JSON.parse(json.stdout).suites.find((s: any) => s.name === 'services').checks[0].status).toBe('pass');
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).not.toContain('<failure');
  });
});
