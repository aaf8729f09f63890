// The phase 2 overlay (manifests/ldf-phase2) is manifests/ldf plus one init script, phase2.iql, in the
// InfluxDB Application, and nothing else: a change to manifests/ldf must be made to the overlay too. Offline.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { loadContinuousQueries, loadRetention } from '../src/model/influx.ts';
import { LDF, LDF_PHASE2 } from './gate-helpers.ts';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? files(join(dir, e)) : [join(dir, e)]));
}

/** The overlay's text with its own folder name and its phase 2 additions taken out. */
function withoutPhase2(text: string): string {
  return text
    .replaceAll('manifests/ldf-phase2', 'manifests/ldf')
    .replace(/^# Phase 2 overlay of manifests\/ldf.*\n/m, '')
    .replace(/^ *# Phase 2: [\s\S]*?phase2\.iql: \|\n(?: {14}.*\n)+/m, '');
}

test('manifests/ldf-phase2 has the same files as manifests/ldf, equal but for phase2.iql', () => {
  const a = files(LDF).map((f) => relative(LDF, f)).sort();
  const b = files(LDF_PHASE2).map((f) => relative(LDF_PHASE2, f)).sort();
  expect(b).toEqual(a);
  for (const f of a) expect(withoutPhase2(readFileSync(join(LDF_PHASE2, f), 'utf8')), f).toBe(readFileSync(join(LDF, f), 'utf8'));
});

test('the overlay declares the roll-up and the 10-year policy; manifests/ldf declares no phase 2', () => {
  expect(loadContinuousQueries(LDF_PHASE2).map((q) => [q.name, q.into.rp, q.groupByS])).toEqual([['rollup_1m', 'downsampled', 60]]);
  expect(loadRetention(LDF_PHASE2).find((r) => r.policy === 'downsampled')?.hours).toBe(87600);
  expect(loadContinuousQueries(LDF)).toEqual([]);
});

test('a roll-up CQ the gate cannot read is a finding of manifests.rollup.cq_policies, with file and line', async () => {
  const { evaluateGate, removeScratch, replaceOnce, ruleIds, scratchCopy } = await import('./gate-helpers.ts');
  const dir = scratchCopy(LDF_PHASE2);
  try {
    replaceOnce(dir, 'apps/influxdb.yaml', ' GROUP BY time(1m), * END', '');
    const r = evaluateGate(dir);
    expect(ruleIds(r)).toEqual(['manifests.rollup.cq_policies']);
    expect(r.violations[0].message).toMatch(/^cannot read the continuous query "CREATE CONTINUOUS QUERY "rollup_1m"/);
    expect(r.violations[0].file).toMatch(/apps\/influxdb\.yaml$/);
  } finally {
    removeScratch(dir);
  }
});
