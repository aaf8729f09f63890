// The gate as a command: bad input exits 4 with one sentence naming file and line; every output format
// carries file and line; runGate's exit codes; `node bin/efd-health.js gate` end to end. Offline.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { loadRules, runGate } from '../src/gate/index.ts';
import { rulesTable } from '../src/gate/rules-doc.ts';
import { removeScratch, replaceOnce, scratchCopy } from './gate-helpers.ts';

const ROOT = resolve(import.meta.dirname, '..');
const FIX = join(ROOT, 'fixtures/gate');
const RULES = loadRules().length;

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: any) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: any) => ((err += String(s)), true));
});
afterEach(() => vi.restoreAllMocks());

describe('invalid input → exit 4, one sentence with file and line', () => {
  const cases: Array<[string, RegExp]> = [
    ['malformed', /malformed\/ingress\.yaml:10: malformed YAML \(Flow sequence in block collection must be sufficiently indented and end with a \]\)$/m],
    ['unknown-kind', /unknown-kind\/objects\.yaml:6: unknown kind KafkaMirrorMaker2 \(apiVersion kafka\.strimzi\.io\/v1beta2\)/],
    ['not-an-object', /not-an-object\/values\.yaml:2: not a Kubernetes object/],
    ['duplicate-key', /duplicate-key\/configmap\.yaml:8: malformed YAML \(Map keys must be unique/],
    ['malformed-exemption', /malformed-exemption\/ingress\.yaml:9: annotation efd-health\.lsst\.io\/exempt-manifests\.ingress\.cidr_canonical of Ingress chronograf\/chronograf is not a mapping; write it as YAML/],
    ['malformed-values', /malformed-values\/values\/values-ldf\.yaml:\d+: malformed YAML \(/],
  ];
  for (const [name, re] of cases) {
    test(name, async () => {
      expect(await runGate({ manifests: join(FIX, name) })).toBe(4);
      expect(err).toMatch(re);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).not.toMatch(/\n\s+at /);
    });
  }
  test('a missing folder', async () => {
    expect(await runGate({ manifests: join(FIX, 'no-such-folder') })).toBe(4);
    expect(err).toMatch(/no-such-folder: manifests folder or file does not exist/);
  });
  test('a missing file', async () => {
    expect(await runGate({ manifests: join(FIX, 'malformed/nope.yaml') })).toBe(4);
    expect(err).toMatch(/malformed\/nope\.yaml: manifests folder or file does not exist/);
  });
  test('an unknown environment', async () => {
    expect(await runGate({ env: 'nowhere' })).toBe(4);
    expect(err).toMatch(/manifests\/nowhere: manifests folder or file does not exist/);
  });
  test('an empty folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'efd-gate-empty-'));
    try {
      expect(await runGate({ manifests: dir })).toBe(4);
      expect(err).toMatch(/no \.yaml files/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
  test('an unknown format', async () => {
    expect(await runGate({ env: 'ldf', format: 'xml' as any })).toBe(4);
    expect(err).toMatch(/--format xml is not one of console, json, junit, sarif, github/);
  });
});

describe('outputs', () => {
  let dir: string;
  beforeEach(() => {
    dir = scratchCopy();
    replaceOnce(dir, 'apps/chronograf.yaml', 'tag: 1.9.4', 'tag: latest');
  });
  afterEach(() => removeScratch(dir));

  test('console: one line per violation with file:line, exemptions, a summary; exit 1', async () => {
    expect(await runGate({ manifests: dir })).toBe(1);
    expect(out).toMatch(/✗ .*apps\/chronograf\.yaml:32 {2}manifests\.images\.pinned {2}chronograf image .*latest/);
    expect(out).toMatch(/~ .*ingress\/argocd\.yaml:11 {2}manifests\.ingress\.cidr_canonical exempted/);
    expect(out).toMatch(new RegExp(`FAIL: ${RULES} rules on \\d+ objects in \\d+ files: 1 violation, 9 exempted findings`));
  });
  test('json', async () => {
    expect(await runGate({ manifests: dir, format: 'json' })).toBe(1);
    const j = JSON.parse(out);
    expect(j.status).toBe('fail');
    expect(j.summary).toMatchObject({ rules: RULES, violations: 1, exemptions: 9 });
    expect(j.violations[0]).toMatchObject({ rule: 'manifests.images.pinned', line: 32 });
    expect(j.violations[0].file).toMatch(/apps\/chronograf\.yaml$/);
    expect(j.rules.find((r: any) => r.id === 'manifests.images.pinned').status).toBe('fail');
  });
  test('junit', async () => {
    await runGate({ manifests: dir, format: 'junit' });
    expect(out).toMatch(/^<\?xml/);
    expect(out).toContain(`<testsuite name="manifests" tests="${RULES}" failures="1"`);
    expect(out).toMatch(/<testcase classname="manifests\.images" name="manifests\.images\.pinned"[^>]*>\s*<failure message="[^"]*chronograf\.yaml:32: /);
  });
  test('sarif', async () => {
    await runGate({ manifests: dir, format: 'sarif' });
    const s = JSON.parse(out);
    expect(s.version).toBe('2.1.0');
    expect(s.runs[0].tool.driver.rules).toHaveLength(RULES);
    const res = s.runs[0].results.filter((r: any) => !r.suppressions);
    expect(res).toHaveLength(1);
    expect(res[0].ruleId).toBe('manifests.images.pinned');
    expect(res[0].locations[0].physicalLocation.region.startLine).toBe(32);
    expect(s.runs[0].results.filter((r: any) => r.suppressions?.[0]?.justification)).toHaveLength(9);
  });
  test('github annotations', async () => {
    await runGate({ manifests: dir, format: 'github' });
    expect(out).toMatch(/^::error file=[^,]*apps\/chronograf\.yaml,line=32,title=manifests\.images\.pinned::chronograf image/m);
    expect(out).toMatch(/^::notice file=.*title=manifests\.ingress\.cidr_canonical \(exempted\)::/m);
  });
  test('--out writes the report to a file and a summary line to stdout', async () => {
    const file = join(dir, '..', 'report', 'gate.json');
    expect(await runGate({ manifests: dir, format: 'json', out: file })).toBe(1);
    expect(JSON.parse(readFileSync(file, 'utf8')).summary.violations).toBe(1);
    expect(out).toMatch(/^FAIL: .*; report in /);
  });
});

test('the repo manifests pass (exit 0)', async () => {
  expect(await runGate({ env: 'ldf' })).toBe(0);
  expect(out).toMatch(new RegExp(`PASS: ${RULES} rules`));
});

test('node bin/efd-health.js gate --env ldf --format github (the CI command) exits 0, no network', () => {
  const r = spawnSync(process.execPath, ['bin/efd-health.js', 'gate', '--env', 'ldf', '--format', 'github'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^::notice file=manifests\/ldf\/ingress\/argocd\.yaml,line=11,/m);
  expect(r.stdout).toMatch(new RegExp(`PASS: ${RULES} rules`));
});

test('docs/manifests.md lists every rule with its plan sentence (the table rules.yaml generates)', () => {
  const doc = readFileSync(join(ROOT, 'docs/manifests.md'), 'utf8');
  expect(doc, 'run npx tsx scripts/docs/gate-rules.ts').toContain(rulesTable());
  for (const { id } of loadRules()) expect(doc).toContain(`\`${id}\``);
});
