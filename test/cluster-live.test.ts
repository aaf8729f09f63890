// The cluster suite against the box's real Kubernetes API server, as efd-health's own ServiceAccount (the
// RBAC of manifests/ldf/efd-health/config). Healthy: every check passes. Each fault of the issue's matrix then
// breaks one thing and exactly its check fails with its reason; `up --only kube` (or the fault's inverse)
// restores the box. Also the gate's second stage against the same server.
//   flock /tmp/efd-stack.lock npx vitest run --config test/vitest.config.ts test/cluster-live.test.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLUSTER_CHECK_IDS, type ClusterCheckId } from '../src/catalog/cluster.ts';
import { podEvidence } from '../src/cluster/evidence.ts';
import { runCluster } from '../src/cluster/run.ts';
import { defaultProfilePath, loadProfile } from '../src/config/profile.ts';
import type { Outcome } from '../src/suite.ts';
import * as stack from '../scripts/stack/index.ts';
import { KUBE_COMPONENTS, upOnly } from '../scripts/stack/index.ts';
import { admin, crashLoop, pendingClaim, suspendCronJob, writeApplicationStatus } from '../scripts/stack/kube-faults.ts';
import { TLS_SECRETS } from '../scripts/stack/kube-deploy.ts';
import { TestPki } from './helpers/nginx-faults.ts';

const ROOT = resolve(import.meta.dirname, '..');
const profile = loadProfile(defaultProfilePath());
const tmp = mkdtempSync(join(tmpdir(), 'efd-cluster-live-'));
const kubectl = admin();

type Verdicts = Record<ClusterCheckId, Outcome[]>;
const lines = (os: Outcome[]) => os.map((o) => `${o.status} ${o.reason} [${o.target ?? ''}] ${o.message}`);

/** Exactly `id` has a finding with this status and reason (for `target` when given); every other check passes. */
function expectOnly(v: Verdicts, id: ClusterCheckId, status: string, reason: string, target?: string): Outcome {
  for (const k of CLUSTER_CHECK_IDS) {
    const bad = v[k].filter((o) => o.status !== 'pass');
    if (k !== id) expect(lines(bad), k).toEqual([]);
  }
  const hit = v[id].filter((o) => o.status !== 'pass');
  expect(lines(hit), id).toHaveLength(1);
  expect(hit[0]).toMatchObject({ status, reason, ...(target ? { target } : {}) });
  return hit[0];
}

beforeAll(async () => {
  await stack.up({ quiet: true });
  await upOnly(KUBE_COMPONENTS, { quiet: true }); // the box's deployment as the manifests say now (RBAC included)
}, 900_000);

afterAll(async () => {
  await upOnly(KUBE_COMPONENTS, { quiet: true });
  rmSync(tmp, { recursive: true, force: true });
}, 600_000);

describe.skipIf(process.env.EFD_SKIP_STACK === '1')('cluster suite on the box', () => {
  test('healthy box: every check passes as the efd-health ServiceAccount, in well under 3 s', async () => {
    const t0 = performance.now();
    const v = await runCluster(profile);
    const ms = performance.now() - t0;
    for (const k of CLUSTER_CHECK_IDS) expect(lines(v[k].filter((o) => o.status !== 'pass')), k).toEqual([]);
    expect(v['cluster.argocd.applications']).toHaveLength(12);
    expect(v['cluster.nodes.capacity'][0].message).toMatch(/^4 Ready node\(s\) allocate 16 cores/);
    expect(ms).toBeLessThan(3000);
    // the evidence a failing services check would carry: the pods behind it
    const pods = (await podEvidence('services.connect.state', profile))!['kafka-connect'] as Array<{ pod: string; phase: string; ready: boolean }>;
    expect(pods.length).toBe(3);
    expect(pods.every((p) => p.phase === 'Running' && p.ready)).toBe(true);
  }, 60_000);

  test('an Application written OutOfSync, another Degraded → cluster.argocd.applications fails (state) for each', async () => {
    await writeApplicationStatus('influxdb', 'OutOfSync', 'Healthy');
    await writeApplicationStatus('chronograf', 'Synced', 'Degraded', 'Deployment chronograf has 0 of 1 ready');
    try {
      const v = await runCluster(profile);
      const bad = v['cluster.argocd.applications'].filter((o) => o.status !== 'pass');
      expect(lines(bad)).toEqual([
        expect.stringMatching(/^fail state \[application\/chronograf\] chronograf is Synced and Degraded: Deployment chronograf has 0 of 1 ready/),
        expect.stringMatching(/^fail state \[application\/influxdb\] influxdb is OutOfSync and Healthy/),
      ]);
      for (const k of CLUSTER_CHECK_IDS.filter((x) => x !== 'cluster.argocd.applications')) expect(lines(v[k].filter((o) => o.status !== 'pass')), k).toEqual([]);
    } finally {
      await upOnly(KUBE_COMPONENTS, { quiet: true });
    }
  }, 300_000);

  test('a pod crash-looping (KWOK stage) → cluster.pods.ready fails (state) naming the container and reason', async () => {
    const pods = JSON.parse(await kubectl(['get', 'pods', '-n', 'chronograf', '-o', 'json'])).items;
    const pod = pods[0].metadata.name as string;
    await crashLoop('chronograf', pod);
    try {
      let v!: Verdicts;
      for (let i = 0; i < 20; i++) {
        v = await runCluster(profile);
        if (v['cluster.pods.ready'].some((o) => o.status === 'fail')) break;
        await new Promise((r) => setTimeout(r, 500)); // KWOK applies its stage within a second or so
      }
      const hit = expectOnly(v, 'cluster.pods.ready', 'fail', 'state', `chronograf/${pod}`);
      expect(hit.message).toMatch(/^container \S+ is CrashLoopBackOff .*after 5 restart\(s\), last terminated: Error exit 1/);
    } finally {
      await kubectl(['delete', 'pod', '-n', 'chronograf', pod, '--wait=false']);
      await upOnly(KUBE_COMPONENTS, { quiet: true });
    }
  }, 300_000);

  test('a PVC left Pending → cluster.storage.pvcs fails (state) for it', async () => {
    await pendingClaim('influxdb', 'efd-fault-claim');
    try {
      const hit = expectOnly(await runCluster(profile), 'cluster.storage.pvcs', 'fail', 'state', 'influxdb/efd-fault-claim');
      expect(hit.message).toBe('PVC efd-fault-claim is Pending, not Bound');
    } finally {
      await kubectl(['delete', 'pvc', '-n', 'influxdb', 'efd-fault-claim', '--wait=false']);
    }
  }, 120_000);

  test('the CronJob suspended → cluster.efd_health.cronjob fails (state)', async () => {
    await suspendCronJob(true);
    try {
      const hit = expectOnly(await runCluster(profile), 'cluster.efd_health.cronjob', 'fail', 'state', 'efd-health/efd-health');
      expect(hit.message).toBe('CronJob efd-health/efd-health is suspended: efd-health does not run');
    } finally {
      await suspendCronJob(false);
    }
  }, 120_000);

  test('a TLS Secret holding an expired certificate, or another host’s → cluster.ingress.tls_secrets fails for it', async () => {
    const { name, namespace } = TLS_SECRETS.influxdb;
    const saved = JSON.parse(await kubectl(['get', 'secret', '-n', namespace, name, '-o', 'json']));
    const pki = new TestPki(join(tmp, 'pki'));
    const put = async (cert: string, key: string) => {
      const data = { 'tls.crt': readFileSync(cert).toString('base64'), 'tls.key': readFileSync(key).toString('base64') };
      await kubectl(['patch', 'secret', '-n', namespace, name, '--type=merge', '-p', JSON.stringify({ data })]);
    };
    try {
      const host = 'lsst-influxdb-nts-ldf.ncsa.illinois.edu';
      const expired = pki.issue({ cn: host, dns: [host], issuer: 'root', notBefore: new Date(Date.now() - 30 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) });
      await put(expired.cert, expired.key);
      const a = expectOnly(await runCluster(profile), 'cluster.ingress.tls_secrets', 'fail', 'cert_expired', `${namespace}/${name}`);
      expect(a.message).toMatch(new RegExp(`^TLS Secret ${namespace}/${name} holds a certificate that expired `));
      const other = pki.issue({ cn: 'elsewhere.example.org', dns: ['elsewhere.example.org'], issuer: 'root' });
      await put(other.cert, other.key);
      const b = expectOnly(await runCluster(profile), 'cluster.ingress.tls_secrets', 'fail', 'hostname_mismatch', `${namespace}/${name}`);
      expect(b.message).toBe(`TLS Secret ${namespace}/${name} holds a certificate for elsewhere.example.org, not for ${host} (Ingress influxdb)`);
    } finally {
      await kubectl(['patch', 'secret', '-n', namespace, name, '--type=merge', '-p', JSON.stringify({ data: saved.data })]);
    }
  }, 120_000);

  test('the nodes allocate less than the EFD requests (as a kubelet reserving more would report) → cluster.nodes.capacity fails (capacity)', async () => {
    const nodes = JSON.parse(await kubectl(['get', 'nodes', '-o', 'json'])).items as Array<{ metadata: { name: string }; status: { allocatable: { cpu: string } } }>;
    const allocatable = (cpu: string) => Promise.all(nodes.map((n) => kubectl(['patch', 'node', n.metadata.name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { allocatable: { cpu } } })])));
    await allocatable('2');
    try {
      const hit = expectOnly(await runCluster(profile), 'cluster.nodes.capacity', 'fail', 'capacity');
      expect(hit.message).toMatch(/^the EFD's requests do not fit: 4 Ready node\(s\) allocate 8 cores \/ [\d.]+ GB; the EFD requests [\d.]+ cores/);
    } finally {
      await allocatable(nodes[0].status.allocatable.cpu);
    }
  }, 120_000);

  test('a KafkaConnector Strimzi reports NotReady → cluster.strimzi.ready fails (state) with Strimzi reason', async () => {
    const name = 'replicator-heartbeat';
    const status = JSON.parse(await kubectl(['get', 'kafkaconnector', '-n', 'kafka-connect', name, '-o', 'json'])).status;
    const notReady = { ...status, conditions: [{ type: 'NotReady', status: 'True', reason: 'ConnectRestException', message: 'task 0 FAILED', lastTransitionTime: new Date().toISOString() }] };
    await kubectl(['patch', 'kafkaconnector', '-n', 'kafka-connect', name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: notReady })]);
    try {
      const hit = expectOnly(await runCluster(profile), 'cluster.strimzi.ready', 'fail', 'state', `kafkaconnector/${name}`);
      expect(hit.message).toBe(`KafkaConnector ${name} is not Ready: no Ready condition; NotReady (ConnectRestException): task 0 FAILED`);
    } finally {
      await upOnly(KUBE_COMPONENTS, { quiet: true });
    }
  }, 300_000);

  test('a Role missing one verb → the check that needs it fails (auth) naming the verb and resource, the others still judge', async () => {
    const role = JSON.parse(await kubectl(['get', 'role', '-n', 'kafka-connect', 'efd-health-reader', '-o', 'json']));
    const rules = role.rules.filter((r: any) => !(r.apiGroups ?? []).includes('kafka.strimzi.io'));
    rules.push({ apiGroups: ['kafka.strimzi.io'], resources: ['kafkaconnects'], verbs: ['list'] }); // kafkaconnectors dropped
    await kubectl(['patch', 'role', '-n', 'kafka-connect', 'efd-health-reader', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/rules', value: rules }])]);
    try {
      const hit = expectOnly(await runCluster(profile), 'cluster.strimzi.ready', 'fail', 'auth');
      expect(hit.message).toBe(
        'Strimzi objects in kafka-connect cannot be read: forbidden: RBAC does not allow "list kafkaconnectors.kafka.strimzi.io in namespace kafka-connect" to this identity',
      );
    } finally {
      await upOnly(KUBE_COMPONENTS, { quiet: true });
    }
  }, 300_000);

  test('gate --server-dry-run against the box: every object the API serves is accepted, the kinds it does not serve are refused by name', () => {
    const r = spawnSync(process.execPath, ['bin/efd-health.js', 'gate', '--env', 'ldf', '--server-dry-run', '--kubeconfig', '.stack/kube/admin.kubeconfig'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(1);
    const refused = r.stdout.split('\n').filter((l) => l.includes('server dry-run  '));
    expect(refused.length).toBeGreaterThan(0);
    for (const l of refused) expect(l).toMatch(/VaultSecret \S+: the API server does not serve ricoberger\.de\/v1alpha1 VaultSecret \(is its CustomResourceDefinition installed\?\)$/);
    expect(r.stdout).toMatch(new RegExp(`FAIL: server dry-run on https://127\\.0\\.0\\.1:\\d+: ${59 - refused.length} of 59 objects accepted, ${refused.length} refused`));
  }, 150_000);
});
