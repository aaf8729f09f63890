// Absence fails: deleting any object rules.yaml requires fails the gate with that rule alone, naming what
// was expected where; an object deployed by the wrong Application fails too. Offline.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { evaluateGate, removeFile, removeScratch, replaceOnce, ruleIds, scratchCopy } from './gate-helpers.ts';

const RBAC = 'efd-health/config/rbac.yaml';
let dir: string | undefined;
afterEach(() => {
  if (dir) removeScratch(dir);
  dir = undefined;
});

function run(apply: (d: string) => void) {
  dir = scratchCopy();
  apply(dir);
  return evaluateGate(dir);
}

test('the missing CronJob is named with where it was expected, pointing at its Application', () => {
  const r = run((d) => removeFile(d, 'efd-health/jobs/cronjob.yaml'));
  expect(ruleIds(r)).toEqual(['manifests.required.cronjob']);
  expect(r.violations[0].message).toBe('missing the efd-health CronJob (the live run every 15 minutes): expected CronJob efd-health/efd-health in namespace efd-health, deployed by Application efd-health, none found');
  expect(r.violations[0].file).toMatch(/apps\/efd-health\.yaml$/);
});

test('both hooks gone: two findings of manifests.required.hooks', () => {
  const r = run((d) => {
    removeFile(d, 'efd-health/jobs/smoke.yaml');
    removeFile(d, 'efd-health/jobs/preflight.yaml');
  });
  expect(ruleIds(r)).toEqual(['manifests.required.hooks']);
  expect(r.violations.map((v) => v.message)).toEqual([
    expect.stringContaining('the PreSync preflight hook Job'),
    expect.stringContaining('the PostSync smoke hook Job'),
  ]);
});

test('a hook deployed by the wrong Application fails', () => {
  const r = run((d) => {
    // the config Application syncs efd-health/config: the hook would run around the wrong sync
    writeFileSync(`${d}/efd-health/config/smoke.yaml`, readFileSync(`${d}/efd-health/jobs/smoke.yaml`));
    removeFile(d, 'efd-health/jobs/smoke.yaml');
  });
  expect(ruleIds(r)).toEqual(['manifests.required.hooks']);
  expect(r.violations[0].message).toMatch(/is deployed by Application efd-health-config, not Application efd-health/);
});

const RBAC_DOCS: Array<[string, string]> = [
  ['Role kafka-connect', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: efd-health-reader\n  namespace: kafka-connect\nrules:\n  - apiGroups: [""]\n    resources: [persistentvolumeclaims, pods]\n    verbs: [list]\n  - apiGroups: [networking.k8s.io]\n    resources: [ingresses]\n    verbs: [list]\n  - apiGroups: [kafka.strimzi.io]\n    resources: [kafkaconnectors, kafkaconnects]\n    verbs: [list]\n---\n'],
  ['RoleBinding cp-helm-charts', '---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: efd-health-reader\n  namespace: cp-helm-charts\nsubjects:\n  - kind: ServiceAccount\n    name: efd-health\n    namespace: efd-health\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: efd-health-reader\n'],
];
for (const [what, text] of RBAC_DOCS) {
  test(`the ${what} dropped fails manifests.required.rbac alone`, () => {
    const r = run((d) => replaceOnce(d, RBAC, text, ''));
    expect(ruleIds(r)).toEqual(['manifests.required.rbac']);
    expect(r.violations).toHaveLength(1);
  });
}
