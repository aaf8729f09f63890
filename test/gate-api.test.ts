// API-server semantics beyond the one mutation per rule: the conforming form passes, and the variants the
// API server also refuses fail. Offline.
import { afterEach, expect, test } from 'vitest';
import { evaluateGate, removeScratch, ruleIds, scratchCopy, writeFile } from './gate-helpers.ts';

let dir: string | undefined;
afterEach(() => {
  if (dir) removeScratch(dir);
  dir = undefined;
});

function run(files: Record<string, string>) {
  dir = scratchCopy();
  for (const [f, text] of Object.entries(files)) writeFile(dir, f, text);
  return evaluateGate(dir);
}

const WEB = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  namespace: efd-health
spec:
  serviceName: web
  selector:
    matchExpressions: [{ key: app, operator: In, values: [web] }]
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27.3
          ports: [{ containerPort: 8080, name: http }]
          resources: { requests: { cpu: 10m, memory: 16Mi }, limits: { cpu: 100m, memory: 64Mi } }
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ReadWriteOnce], storageClassName: local-path, resources: { requests: { storage: 1Gi } } }
`;
const SVC = (targetPort: string) => `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: efd-health
spec:
  selector: { app: web }
  ports:
    - { port: 80, targetPort: ${targetPort} }
`;

test('a StatefulSet and a Service that fit each other (named target port) pass', () => {
  const r = run({ 'efd-health/config/web.yaml': WEB, 'efd-health/config/svc.yaml': SVC('http') });
  expect(r.violations).toEqual([]);
});

test('a named target port no container declares fails', () => {
  const r = run({ 'efd-health/config/web.yaml': WEB, 'efd-health/config/svc.yaml': SVC('metrics') });
  expect(ruleIds(r)).toEqual(['manifests.api.target_ports']);
  expect(r.violations[0].keys).toEqual(['metrics']);
});

test('a volume claim template without storage fails claim_storage', () => {
  const r = run({ 'efd-health/config/web.yaml': WEB.replace(', resources: { requests: { storage: 1Gi } }', '') });
  expect(ruleIds(r)).toEqual(['manifests.api.claim_storage']);
  expect(r.violations[0].message).toMatch(/volume claim template data of StatefulSet efd-health\/web requests no storage/);
});

test('a Job selector without manualSelector fails selector_template', () => {
  const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: once
  namespace: efd-health
spec:
  activeDeadlineSeconds: 60
  backoffLimit: 0
  selector: { matchLabels: { app: once } }
  template:
    metadata: { labels: { app: once } }
    spec:
      restartPolicy: Never
      securityContext: { runAsNonRoot: true, runAsUser: 1000 }
      containers:
        - name: once
          image: busybox:1.37.0
          resources: { requests: { cpu: 10m, memory: 16Mi }, limits: { cpu: 100m, memory: 64Mi } }
`;
  const r = run({ 'efd-health/config/job.yaml': job });
  expect(ruleIds(r)).toEqual(['manifests.api.selector_template']);
  expect(r.violations[0].message).toMatch(/without manualSelector/);
});

test('an object without a namespace collides in its Application destination namespace', () => {
  const cm = (ns: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n${ns}data:\n  a: b\n`;
  const r = run({ 'efd-health/config/a.yaml': cm('  namespace: efd-health\n'), 'efd-health/config/b.yaml': cm('') });
  expect(ruleIds(r)).toEqual(['manifests.api.duplicate_names']);
  expect(r.violations[0].keys).toEqual(['ConfigMap efd-health/extra']);
});

test('a Service in a namespace of chart-rendered pods is not judged (their labels are not known offline)', () => {
  const svc = SVC('8086').replace(/efd-health/g, 'influxdb').replace('{ app: web }', '{ app.kubernetes.io/name: influxdb }');
  const r = run({ 'efd-health/config/svc.yaml': svc });
  expect(r.violations.filter((v) => v.rule.startsWith('manifests.api.'))).toEqual([]);
});
