// The manifests suite's checks: one per gate rule, read from the rules themselves (src/gate/rules.yaml),
// so `efd-health list`/`explain`, the gate and the suite can never disagree.
import { loadRules } from '../gate/rules.ts';
import type { CheckSpec, Threshold } from './types.ts';

function thresholds(params: Record<string, unknown>): Record<string, Threshold> | undefined {
  // scalar parameters are tunable per profile (thresholds.<id>.<name>); lists stay in rules.yaml
  const out: Record<string, Threshold> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
      out[name] = { default: value, doc: `rule parameter ${name} (src/gate/rules.yaml)` };
    }
  }
  return Object.keys(out).length ? out : undefined;
}

export const manifestsChecks: CheckSpec[] = loadRules().map((r) => ({
  id: r.id,
  suite: 'manifests',
  title: r.title,
  description: r.description,
  reasons: [r.reason, 'skipped', 'not_applicable'],
  thresholds: thresholds(r.params),
  source: `plan: "${r.plan}"`,
}));
