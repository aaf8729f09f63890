// Bad input through the real CLI: each case exits 4 with one sentence naming the file and key (or the
// flag), never a stack trace; an unreachable prerequisite exits 3 naming it; a canary secret never leaks.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { loadProfile } from '../src/config/profile.ts';
import { cli, closedPort, FIXTURE_SUITES, listeningPort, ROOT, silentPort, tempDir, writeProfile, type CliResult } from './cli-helpers.ts';

interface Case {
  args: string[];
  expect: string;
  never?: string;
}

const cases = parse(readFileSync(join(ROOT, 'fixtures/bad-input/cases.yaml'), 'utf8')) as { profiles: Case[]; flags: Case[] };

function expectOneSentence(r: CliResult, code: number): string {
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/Error:|node:internal|\.ts:\d+:\d+\)/);
  return lines[0];
}

test('there are at least 15 distinct bad-input cases, and every profile fixture is used', () => {
  const all = [...cases.profiles, ...cases.flags];
  expect(new Set(all.map((c) => c.args.join(' '))).size).toBe(all.length);
  expect(all.length).toBeGreaterThanOrEqual(15);
  const used = new Set(cases.profiles.map((c) => c.args[2]));
  for (const f of readdirSync(join(ROOT, 'fixtures/bad-input'))) {
    if (f.endsWith('.yaml') && !f.startsWith('_') && f !== 'cases.yaml') expect(used, f).toContain(`fixtures/bad-input/${f}`);
  }
});

test('the base the cases differ from is a valid profile', () => {
  expect(loadProfile(join(ROOT, 'fixtures/bad-input/_valid.yaml')).env).toBe('bad');
});

describe.each([
  ['profile', cases.profiles],
  ['flags', cases.flags],
])('malformed %s', (_kind, list) => {
  test.each(list.map((c) => [c.args.join(' '), c] as const))('efd-health %s → exit 4', async (_name, c) => {
    const r = await cli(c.args, { env: { EFD_HEALTH_SUITES_DIR: FIXTURE_SUITES } });
    const line = expectOneSentence(r, 4);
    expect(line).toContain(c.expect);
    if (c.never) expect(r.stdout + r.stderr).not.toContain(c.never);
    expect(r.stdout).toBe('');
  });
});

describe('unreachable prerequisite', () => {
  let open: Awaited<ReturnType<typeof listeningPort>>;
  beforeAll(async () => {
    open = await listeningPort();
  });
  afterAll(() => open.server.close());

  /** exit 3, the sentence last on stderr, no stack trace */
  function expectPreflightExit(r: CliResult): string {
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).not.toMatch(/^\s+at |Error:|node:internal|\.ts:\d+:\d+\)/m);
    return r.stderr.trimEnd().split('\n').at(-1)!;
  }

  test('a closed Kafka bootstrap port exits 3 naming the component and host:port, and the run still leaves its report', async () => {
    const dir = tempDir();
    const closed = await closedPort();
    const profile = writeProfile(dir, { port: open.port, summitPort: closed });
    const started = Date.now();
    const r = await cli(['run', '--profile', profile, '--suite', 'replication', '--report-dir', join(dir, 'run')], {
      env: { EFD_HEALTH_SUITES_DIR: FIXTURE_SUITES },
    });
    const line = expectPreflightExit(r);
    expect(line).toBe(
      `efd-health: preflight: kafka-summit is unreachable from vantage test (127.0.0.1:${closed} connection refused), and the replication suite needs it before any check can run`,
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    // the report folder holds the run's record: run.json and report.json say why it stopped
    for (const f of ['run.json', 'report.json', 'findings.jsonl', 'report.html', 'junit.xml', 'summary.md']) expect(existsSync(join(dir, 'run', f)), f).toBe(true);
    const meta = JSON.parse(readFileSync(join(dir, 'run', 'run.json'), 'utf8'));
    expect(meta).toMatchObject({ status: 'error', exit_code: 3, preflight_error: line.replace(/^efd-health: /, '') });
    expect(r.stdout).toContain(`note: ${meta.preflight_error}`);
  });

  test('a broker that accepts connections but does not answer exits 3 "does not answer", within the deadline; --json still prints the report', async () => {
    const dir = tempDir();
    const frozen = await silentPort();
    try {
      const profile = writeProfile(dir, { port: open.port, summitPort: frozen.port });
      const started = Date.now();
      const r = await cli(['run', '--profile', profile, '--suite', 'replication', '--json', '--report-dir', join(dir, 'run')], {
        env: { EFD_HEALTH_SUITES_DIR: FIXTURE_SUITES },
      });
      const line = expectPreflightExit(r);
      expect(line).toContain(
        `kafka-summit does not answer from vantage test (127.0.0.1:${frozen.port} accepted the connection but did not answer a Kafka ApiVersions request within 1500 ms)`,
      );
      expect(Date.now() - started).toBeLessThan(20_000);
      const report = JSON.parse(r.stdout);
      expect(report).toMatchObject({ status: 'error', exit_code: 3, counts: { passed: 0, failed: 0 } });
      expect(report.notes[0]).toContain('kafka-summit does not answer');
    } finally {
      frozen.server.close();
    }
  });

  test('a service that answers TCP but not HTTP exits 3 naming it', async () => {
    const dir = tempDir();
    const frozen = await silentPort();
    try {
      const profile = writeProfile(dir, { port: open.port, influxdb: `influxdb: { url: "http://127.0.0.1:${frozen.port}", database: efd }` });
      const r = await cli(['run', '--profile', profile, '--suite', 'data', '--report-dir', join(dir, 'run')], { env: { EFD_HEALTH_SUITES_DIR: FIXTURE_SUITES } });
      expect(expectPreflightExit(r)).toContain(`influxdb does not answer from vantage test (127.0.0.1:${frozen.port} accepted the connection but did not answer an HTTP request within 1500 ms)`);
    } finally {
      frozen.server.close();
    }
  });

  test('a report folder that cannot be written: exit 3 all the same, and stderr says there is no report', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    const profile = writeProfile(dir, { port: open.port, summitPort: await closedPort() });
    const r = await cli(['run', '--profile', profile, '--suite', 'replication', '--report-dir', join(dir, 'file', 'run')], { env: { EFD_HEALTH_SUITES_DIR: FIXTURE_SUITES } });
    expect(expectPreflightExit(r)).toContain('kafka-summit is unreachable');
    expect(r.stderr).toMatch(/no report for this run: --report-dir \S+ cannot be created \(ENOTDIR\)/);
  });

  test('gate --server-dry-run with an API server that is not there exits 3 naming it, after the offline gate', async () => {
    const dir = tempDir();
    const port = await closedPort();
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}"}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {}}]\ncurrent-context: x\n`);
    const r = await cli(['gate', '--env', 'ldf', '--server-dry-run', '--kubeconfig', kubeconfig]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr.trim()).toBe(`efd-health gate: the API server https://127.0.0.1:${port} cannot be reached: https://127.0.0.1:${port} refused the connection`);
  });

  test('--skip-preflight lets the run go on (the checks would report the outage themselves)', async () => {
    const dir = tempDir();
    const profile = writeProfile(dir, { port: open.port, summitPort: await closedPort() });
    const r = await cli(['run', '--profile', profile, '--suite', 'replication', '--skip-preflight', '--report-dir', join(dir, 'run')], {
      env: { EFD_HEALTH_SUITES_DIR: FIXTURE_SUITES },
    });
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('secrets', () => {
  const CANARY = `canary-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  let open: Awaited<ReturnType<typeof listeningPort>>;
  beforeAll(async () => {
    open = await listeningPort();
  });
  afterAll(() => open.server.close());

  test('a canary password from the environment appears in no output and no report file', async () => {
    const dir = tempDir();
    const influx = await closedPort();
    const profile = writeProfile(dir, {
      port: open.port,
      influxdb: `influxdb:
  url: "http://127.0.0.1:${open.port}"
  database: efd
  admin:
    username: { env: CANARY_USER }
    password: { env: CANARY }`,
      // the InfluxDB writer is enabled and fails: its warning must not carry the secret either
      extra: `report:
  influxdb:
    enabled: true
    url: "http://127.0.0.1:${influx}"
    database: efd_health
    credentials:
      username: { env: CANARY_USER }
      password: { env: CANARY }`,
    });
    const runDir = join(dir, 'run');
    // the load fixture suite puts the password into a finding, its hint, its evidence and the log
    const r = await cli(['run', '--profile', profile, '--suite', 'load,replication', '--report-dir', runDir], {
      env: { EFD_HEALTH_SUITES_DIR: FIXTURE_SUITES, CANARY, CANARY_USER: 'efd-canary-user' },
    });
    expect(r.code, r.stderr).toBe(1);
    // a writer's failure is part of the run's record: at the end on the console, in run.json and report.json
    expect(r.stdout).toContain('note: the InfluxDB writer could not write');
    expect(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')).writer_errors[0]).toContain('InfluxDB writer could not write');
    expect(JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')).notes.join('\n')).toContain('InfluxDB writer could not write');
    expect(r.stdout).toContain('***');
    expect(r.stdout + r.stderr).not.toContain(CANARY);
    const files = readdirSync(runDir);
    expect(files).toEqual(expect.arrayContaining(['context.json', 'findings.jsonl', 'run.json', 'report.json', 'junit.xml', 'summary.md', 'report.html']));
    for (const f of files) expect(readFileSync(join(runDir, f), 'utf8'), f).not.toContain(CANARY);
    // the debug output (vitest's own log, with the suite's console.log) is redacted too
    const debug = await cli(['run', '--profile', profile, '--suite', 'load', '--report-dir', join(dir, 'run2')], {
      env: { EFD_HEALTH_SUITES_DIR: FIXTURE_SUITES, CANARY, CANARY_USER: 'efd-canary-user', EFD_HEALTH_DEBUG: '1' },
    });
    expect(debug.code).toBe(1);
    expect(debug.stdout + debug.stderr).not.toContain(CANARY);
  });
});
