// The check harness (src/suite.ts): a check that returns no outcome is an error from the harness, both as
// a unit and through the real runner, so a vacuous check can never pass.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { RunContext } from '../src/context.ts';
import { NO_OUTCOME, outcomesOf, type Outcome } from '../src/suite.ts';
import { cli, FIXTURE_SUITES, readFindings, tempDir, writeProfile } from './cli-helpers.ts';

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
