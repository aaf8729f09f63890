// The check harness (src/suite.ts): a check that returns no outcome is an error from the harness, both as
// a unit and through the real runner, so a vacuous check can never pass; a suite that does not apply to
// its target (the real manifests suite on manifests/local) says so in one line and keeps every check.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { RunContext } from '../src/context.ts';
import { loadRules } from '../src/gate/index.ts';
import { NO_OUTCOME, notApplicable, outcomesOf, type Outcome } from '../src/suite.ts';
import { cli, FIXTURE_SUITES, readFindings, ROOT, tempDir, writeProfile } from './cli-helpers.ts';

const CTX = { profile: { env: 'fx' }, options: {} } as unknown as RunContext;
const PASS: Outcome = { status: 'pass', reason: 'ok', message: 'judged' };

describe('outcomesOf', () => {
  test('an empty list or undefined is one error finding from the harness', async () => {
    expect(await outcomesOf(async () => [], CTX)).toEqual([NO_OUTCOME]);
    expect(await outcomesOf(async () => undefined as unknown as Outcome, CTX)).toEqual([NO_OUTCOME]);
    expect(NO_OUTCOME).toMatchObject({ status: 'error', reason: 'internal', message: 'check returned no outcome' });
  });

  test('a hole in the list is an error too; the real outcomes around it are kept', async () => {
    expect(await outcomesOf(async () => [PASS, undefined as unknown as Outcome], CTX)).toEqual([PASS, NO_OUTCOME]);
  });

  test('outcomes pass through unchanged, and a crash is an error naming it', async () => {
    expect(await outcomesOf(async () => PASS, CTX)).toEqual([PASS]);
    expect(await outcomesOf(async () => [PASS, PASS], CTX)).toEqual([PASS, PASS]);
    const crash = await outcomesOf(async () => {
      throw new Error('boom');
    }, CTX);
    expect(crash).toEqual([{ status: 'error', reason: 'internal', message: 'check crashed: boom' }]);
  });
});

test('through the runner: checks that return nothing are errors in findings.jsonl and fail the run', async () => {
  const dir = tempDir();
  const out = join(dir, 'run');
  const r = await cli(['run', '--profile', writeProfile(dir, { port: 1 }), '--suite', 'manifests', '--report-dir', out], {
    env: { EFD_HEALTH_SUITES_DIR: join(FIXTURE_SUITES, '../suites-harness') },
  });
  expect(r.code, r.stderr).toBe(1);
  const byId = Object.fromEntries(readFindings(out).map((f) => [f.id, f]));
  for (const id of ['manifests.schema.valid', 'manifests.argocd.apps']) {
    expect(byId[id], id).toMatchObject({ status: 'error', reason: 'internal', message: 'check returned no outcome', target: 'fx' });
  }
  expect(byId['manifests.resources.requests'].status).toBe('pass');
  expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 2 failed');
});

describe('a suite that does not apply', () => {
  test('notApplicable() is a skip with reason not_applicable', () => {
    expect(notApplicable('no Argo CD Application', 'ldf')).toEqual({ target: 'ldf', status: 'skip', reason: 'not_applicable', message: 'no Argo CD Application' });
  });

  test('the manifests suite on manifests/local: one line in the console, one skip per rule in findings.jsonl', async () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    const profile = writeProfile(dir, { port: 1 });
    const r = await cli(['run', '--profile', profile, '--suite', 'manifests', '--manifests', join(ROOT, 'manifests/local'), '--report-dir', out]);
    expect(r.code, r.stderr).toBe(0);
    const rules = loadRules();
    const said = r.stdout.split('\n').filter((l) => l.includes('does not apply'));
    expect(said).toHaveLength(2); // as it happens, and at the end
    expect(said[0]).toMatch(new RegExp(`^  - SKIP  manifests \\[fx\\] does not apply: .*manifests/local holds no Argo CD Application.* \\(${rules.length} checks skipped\\)$`));
    expect(r.stdout).not.toMatch(/manifests\.[a-z_]+\.[a-z_]+/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`0 passed, 0 failed, ${rules.length} skipped`);
    const findings = readFindings(out);
    expect(findings.map((f) => f.id)).toEqual(rules.map((x) => x.id));
    for (const f of findings) expect([f.status, f.reason]).toEqual(['skip', 'not_applicable']);
  });
});
