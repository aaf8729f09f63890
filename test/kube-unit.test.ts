// Offline checks of the box's Kubernetes scripts: the wrapper module's replace directives come from
// k8s.io/kubernetes's own go.mod, and the Argo CD stand-in's drift and health rules, on fixtures.
import { describe, expect, test } from 'vitest';
import { firstDrift, health } from '../scripts/stack/cluster-standin.ts';
import { stagingReplaces } from '../scripts/stack/kube-build.ts';
import { appObjects, applications } from '../scripts/stack/kube-deploy.ts';

describe('kube-build', () => {
  test('every k8s.io module required at exactly v0.0.0 is replaced by its v0.<minor>.<patch>; pseudo-versions are not', () => {
    const mod = [
      'module k8s.io/kubernetes', 'go 1.26.0', 'require (',
      '\tk8s.io/api v0.0.0', '\tk8s.io/utils v0.0.0-20251002143259-bc988d571ff4', '\tk8s.io/kubectl v0.0.0 // indirect', '\tgithub.com/x/y v1.2.3', ')',
      'require k8s.io/client-go v0.0.0',
    ].join('\n');
    expect(stagingReplaces(mod, 'v1.37.2')).toEqual([
      'replace k8s.io/api => k8s.io/api v0.37.2',
      'replace k8s.io/client-go => k8s.io/client-go v0.37.2',
      'replace k8s.io/kubectl => k8s.io/kubectl v0.37.2',
    ]);
  });
});

describe('the Argo CD stand-in', () => {
  test('drift: every declared field must be live as declared; fields the server adds are not drift', () => {
    const desired = { spec: { replicas: 3, template: { spec: { containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }] } } } };
    const live = { spec: { replicas: 3, revisionHistoryLimit: 10, template: { spec: { containers: [{ name: 'a', imagePullPolicy: 'Always', resources: { requests: { cpu: '1' } } }] } } } };
    expect(firstDrift(desired, live)).toBe('');
    expect(firstDrift(desired, { ...live, spec: { ...live.spec, replicas: 0 } })).toBe('.spec.replicas');
    expect(firstDrift({ a: [1, 2] }, { a: [1] })).toBe('.a');
    expect(firstDrift({ metadata: { labels: { a: 'b' }, annotations: undefined } }, { metadata: { labels: { a: 'b' }, annotations: { x: 'y' } } })).toBe('');
  });

  test('health: a workload short of Ready replicas is Progressing, a claim not Bound is Progressing, a connector not Ready is Degraded', () => {
    const dep = (ready: number) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', generation: 1 }, spec: { replicas: 3 }, status: { observedGeneration: 1, readyReplicas: ready } });
    expect(health(dep(3)).status).toBe('Healthy');
    expect(health(dep(2))).toEqual({ status: 'Progressing', message: 'Waiting for rollout to finish: 2 of 3 updated replicas are available...' });
    expect(health({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, status: { phase: 'Pending' } })).toEqual({ status: 'Progressing', message: 'claim is Pending' });
    expect(health({ apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaConnector', metadata: { name: 'k' }, status: { conditions: [{ type: 'NotReady', status: 'True', message: 'connector k is PAUSED' }] } }))
      .toEqual({ status: 'Degraded', message: 'connector k is PAUSED' });
  });

  test('one Application per EFD component, each deploying its own folder with the instance label into its namespace', () => {
    const apps = applications();
    expect(apps.map((a) => a.metadata.name).sort()).toEqual(['argocd', 'chronograf', 'efd-health', 'efd-health-config', 'influxdb', 'ingress',
      'kafka', 'kafka-connect', 'local-path-provisioner', 'schema-registry', 'secrets', 'strimzi']);
    for (const a of apps.filter((x) => x.metadata.name !== 'secrets')) {
      const objs = appObjects(a);
      expect(objs.length, a.metadata.name).toBeGreaterThan(0);
      for (const o of objs) expect(o.metadata.labels?.['app.kubernetes.io/instance']).toBe(a.metadata.name);
    }
  });
});
