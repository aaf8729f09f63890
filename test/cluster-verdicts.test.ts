// The cluster suite's verdicts from fact snapshots, no API server needed: healthy facts pass every check,
// and each failing path fails exactly its check with its reason and message.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CLUSTER_CHECK_IDS, type ClusterCheckId } from '../src/catalog/cluster.ts';
import type { ClusterFacts } from '../src/cluster/facts.ts';
import { clusterThresholds, judgeCluster } from '../src/cluster/verdicts.ts';
import { cronPeriodMs } from '../src/model/cron.ts';
import { namespacesBehind } from '../src/cluster/evidence.ts';

// the test certificates are made now, so the verdicts are judged now too (a second on, past their notBefore)
const NOW = new Date(Date.now() + 1000);
const ago = (min: number) => new Date(NOW.getTime() - min * 60_000).toISOString();
const th = clusterThresholds({ thresholds: {} });
const HOST = 'lsst-influxdb-nts-ldf.ncsa.illinois.edu';

function cert(host: string, days: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'efd-cluster-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`, '-days', String(days), '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
  return readFileSync(join(dir, 'c.pem'), 'utf8');
}
const GOOD = cert(HOST, 365);
const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;

function healthy(): ClusterFacts {
  const node = (i: number) => ({ name: `node-${i}`, ready: true, allocatable: { cpu: 4, memory: 15e9 } });
  return {
    server: 'https://127.0.0.1:6443',
    project: 'efd',
    config: { in_cluster: false, argocd_namespace: 'argocd', project: 'efd', cronjob: { namespace: 'efd-health', name: 'efd-health' }, storage_class: 'local-path', connect_namespace: 'kafka-connect' },
    namespaces: { value: ['influxdb', 'kafka-connect'] },
    applications: { value: [{ name: 'influxdb', sync: 'Synced', health: 'Healthy', problems: [] }] },
    pods: { value: [{ namespace: 'influxdb', name: 'influxdb-0', phase: 'Running', ready: true, job: false, containers: [{ name: 'influxdb', ready: true, restarts: 0 }], requests: { cpu: 2, memory: 8e9 } }] },
    pvcs: { value: [{ namespace: 'influxdb', name: 'data', phase: 'Bound', storageClass: 'local-path', requestedBytes: 100e9, capacityBytes: 100e9 }] },
    nodes: { value: [1, 2, 3, 4].map(node) },
    cronjob: { value: { namespace: 'efd-health', name: 'efd-health', schedule: '*/15 * * * *', suspend: false, created: ago(7 * 1440), lastSuccessfulTime: ago(10) } },
    strimzi: { value: [{ kind: 'KafkaConnector', namespace: 'kafka-connect', name: 'replicator', conditions: [{ type: 'Ready', status: 'True' }] }] },
    tlsSecrets: { value: [{ ingress: 'influxdb', namespace: 'influxdb', hosts: [HOST], secret: 'influxdb-tls', certPem: GOOD, served: [{ host: HOST, fingerprint256: fingerprint(GOOD) }] }] },
  };
}

/** The named check has exactly this status and reason first; every other check passes. */
function expectOnly(f: ClusterFacts, id: ClusterCheckId, status: string, reason: string): string {
  const v = judgeCluster(f, th, NOW);
  for (const k of CLUSTER_CHECK_IDS) {
    const line = v[k].map((o) => `${o.status} ${o.reason}: ${o.message}`).join(' | ');
    if (k === id) expect(line).toMatch(new RegExp(`^${status} ${reason}:`));
    else expect(`${k} ${line}`).toMatch(new RegExp(`^${k.replace(/\./g, '\\.')} pass ok`));
  }
  return v[id][0].message;
}

describe('cluster verdicts', () => {
  test('healthy facts pass every check, each with what it judged', () => {
    const v = judgeCluster(healthy(), th, NOW);
    for (const id of CLUSTER_CHECK_IDS) expect(v[id].map((o) => o.status), id).toEqual(['pass']);
    expect(v['cluster.nodes.capacity'][0].message).toBe(
      "4 Ready node(s) allocate 16 cores / 60 GB; the EFD requests 2 cores / 8 GB: they fit, on a cluster the size of the plan's (4 nodes, 16 cores, 60 GB)",
    );
  });

  test('an Application OutOfSync, one Degraded: fails (state) naming the resources and message', () => {
    const f = healthy();
    f.applications = { value: [
      { name: 'influxdb', sync: 'OutOfSync', health: 'Healthy', problems: [{ kind: 'StatefulSet', namespace: 'influxdb', name: 'influxdb', sync: 'OutOfSync' }] },
      { name: 'chronograf', sync: 'Synced', health: 'Degraded', message: 'Deployment has 0 of 1 ready', problems: [{ kind: 'Deployment', namespace: 'chronograf', name: 'chronograf', health: 'Degraded', message: 'timed out progressing' }] },
    ] };
    const v = judgeCluster(f, th, NOW)['cluster.argocd.applications'];
    expect(v.map((o) => `${o.status} ${o.reason} ${o.target}: ${o.message}`)).toEqual([
      'fail state application/influxdb: influxdb is OutOfSync and Healthy; resources: StatefulSet influxdb/influxdb: OutOfSync',
      'fail state application/chronograf: chronograf is Synced and Degraded: Deployment has 0 of 1 ready; resources: Deployment chronograf/chronograf: Degraded (timed out progressing)',
    ]);
  });

  test('a pod crash-looping fails naming the container and reason; a recent restart warns', () => {
    const f = healthy();
    f.pods.value![0].containers = [{ name: 'influxdb', ready: false, restarts: 5, waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' }, lastTermination: { reason: 'Error', exitCode: 1, finishedAt: ago(2) } }];
    f.pods.value![0].ready = false;
    expect(expectOnly(f, 'cluster.pods.ready', 'fail', 'state')).toBe('container influxdb is CrashLoopBackOff (back-off 5m0s) after 5 restart(s), last terminated: Error exit 1');
    const g = healthy();
    g.pods.value![0].containers = [{ name: 'influxdb', ready: true, restarts: 1, lastTermination: { reason: 'OOMKilled', exitCode: 137, finishedAt: ago(30) } }];
    expect(expectOnly(g, 'cluster.pods.ready', 'warn', 'state')).toContain(`container influxdb restarted (1 in all; last OOMKilled at ${ago(30)}) within 60 min`);
  });

  test('a PVC Pending, on another class, or smaller than requested fails', () => {
    const f = healthy();
    f.pvcs.value![0].phase = 'Pending';
    expect(expectOnly(f, 'cluster.storage.pvcs', 'fail', 'state')).toBe('PVC data is Pending, not Bound');
    const g = healthy();
    g.pvcs.value![0].storageClass = 'standard';
    expect(expectOnly(g, 'cluster.storage.pvcs', 'fail', 'policy')).toBe('PVC data is on storage class standard, not local-path');
    const h = healthy();
    h.pvcs.value![0].capacityBytes = 50e9;
    expect(expectOnly(h, 'cluster.storage.pvcs', 'fail', 'capacity')).toBe('PVC data got 50 GB of the 100 GB it requested');
  });

  test('requests beyond allocatable fail; a cluster smaller than the plan warns', () => {
    const f = healthy();
    f.pods.value![0].requests = { cpu: 20, memory: 8e9 };
    expect(expectOnly(f, 'cluster.nodes.capacity', 'fail', 'capacity')).toMatch(/^the EFD's requests do not fit: 4 Ready node\(s\) allocate 16 cores/);
    const g = healthy();
    g.nodes.value = g.nodes.value!.slice(0, 3);
    expect(expectOnly(g, 'cluster.nodes.capacity', 'warn', 'capacity')).toMatch(/^the requests fit, but the cluster is smaller than the plan's: 3 Ready nodes where the plan has 4/);
  });

  test('the CronJob suspended, its last success old, or never: fails', () => {
    const f = healthy();
    f.cronjob.value!.suspend = true;
    expect(expectOnly(f, 'cluster.efd_health.cronjob', 'fail', 'state')).toBe('CronJob efd-health/efd-health is suspended: efd-health does not run');
    const g = healthy();
    g.cronjob.value!.lastSuccessfulTime = ago(60);
    expect(expectOnly(g, 'cluster.efd_health.cronjob', 'fail', 'stale')).toBe(
      `CronJob efd-health/efd-health last succeeded 60 min ago (${ago(60)}), more than 2 periods of "*/15 * * * *" (30 min)`,
    );
    const h = healthy();
    delete h.cronjob.value!.lastSuccessfulTime;
    expect(expectOnly(h, 'cluster.efd_health.cronjob', 'fail', 'stale')).toMatch(/has never succeeded/);
    h.cronjob.value!.created = ago(5);
    expect(judgeCluster(h, th, NOW)['cluster.efd_health.cronjob'][0]).toMatchObject({ status: 'skip', reason: 'skipped' });
  });

  test('a KafkaConnector not Ready fails with Strimzi reason', () => {
    const f = healthy();
    f.strimzi.value![0].conditions = [{ type: 'NotReady', status: 'True', reason: 'ConnectRestException', message: 'GET /connectors/replicator/status returned 404' }, { type: 'Ready', status: 'False' }];
    expect(expectOnly(f, 'cluster.strimzi.ready', 'fail', 'state')).toBe(
      'KafkaConnector replicator is not Ready: Ready=False; NotReady (ConnectRestException): GET /connectors/replicator/status returned 404',
    );
  });

  test('a TLS Secret expired, for another host, or not the served one fails', () => {
    const expired = cert(HOST, 1);
    const f = healthy();
    f.tlsSecrets.value![0].certPem = expired;
    f.tlsSecrets.value![0].served = [{ host: HOST, fingerprint256: fingerprint(expired) }];
    expect(expectOnly(f, 'cluster.ingress.tls_secrets', 'fail', 'cert_expiring')).toMatch(/^TLS Secret influxdb\/influxdb-tls expires in 1 days? /);
    const other = cert('other.example.org', 365);
    const g = healthy();
    g.tlsSecrets.value![0].certPem = other;
    expect(expectOnly(g, 'cluster.ingress.tls_secrets', 'fail', 'hostname_mismatch')).toBe(`TLS Secret influxdb/influxdb-tls holds a certificate for other.example.org, not for ${HOST} (Ingress influxdb)`);
    const h = healthy();
    h.tlsSecrets.value![0].served = [{ host: HOST, fingerprint256: fingerprint(other) }];
    expect(expectOnly(h, 'cluster.ingress.tls_secrets', 'fail', 'drift')).toMatch(/^the ingress serves another certificate than TLS Secret influxdb\/influxdb-tls holds/);
  });

  test('a forbidden read fails the checks that needed it with reason auth, naming the verb and resource', () => {
    const f = healthy();
    f.pvcs = { error: { reason: 'auth', message: 'forbidden: RBAC does not allow "list persistentvolumeclaims in namespace influxdb" to this identity' } };
    expect(expectOnly(f, 'cluster.storage.pvcs', 'fail', 'auth')).toBe(
      'PersistentVolumeClaims of the EFD namespaces cannot be read: forbidden: RBAC does not allow "list persistentvolumeclaims in namespace influxdb" to this identity',
    );
  });

  test('a failing check carries the pods behind it: which namespaces each check depends on', () => {
    const k = { kubernetes: { kubeconfig: '/k' } };
    expect(namespacesBehind('replication.marker.sink_hop', k)).toEqual(['kafka-connect', 'influxdb']);
    expect(namespacesBehind('services.registry.parity', k)).toEqual(['cp-helm-charts']);
    expect(namespacesBehind('ingress.tls.expiry', k)).toEqual([]);
    expect(namespacesBehind('services.connect.connectors', {})).toEqual([]); // no kubernetes block: no evidence
  });

  test('cron periods: the longest gap between two runs', () => {
    expect(cronPeriodMs('*/15 * * * *')).toBe(15 * 60_000);
    expect(cronPeriodMs('5,35 * * * *')).toBe(30 * 60_000);
    expect(cronPeriodMs('@daily')).toBe(86_400_000);
    expect(cronPeriodMs('0 3 * * 1')).toBe(7 * 86_400_000);
    expect(cronPeriodMs('not a schedule')).toBeUndefined();
  });
});
