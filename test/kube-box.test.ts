// The box's Kubernetes against the running stack: the API server answers the admin kubeconfig, KWOK's four
// nodes have the plan's shape, Argo CD's Applications are Synced and Healthy, the claims are Bound on
// local-path with the plan's sizes, the CronJob last succeeded, the TLS Secrets hold the ingress's real
// certificates, and efd-health's ServiceAccount token sees exactly what its Roles grant (RBAC enforced).
// Read-only, under the stack lock so that no fault test is changing the box meanwhile.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { KUBE_COMPONENTS, upOnly } from '../scripts/stack/index.ts';
import { kubeBin } from '../scripts/stack/kube-build.ts';
import { crashLoop, freshCronJob, pendingClaim, rerunStandin, suspendCronJob } from '../scripts/stack/kube-faults.ts';
import { EFD_HEALTH_TOKEN_SECRET, PLAN_NODES, TLS_SECRETS, applications, nodeName } from '../scripts/stack/kube-deploy.ts';
import { ADMIN_KUBECONFIG, EFD_HEALTH_KUBECONFIG, kubeFile } from '../scripts/stack/kube.ts';
import { withStackLock } from '../scripts/stack/lock.ts';
import { KUBE_VERSIONS, PLAN_HOSTS, state } from '../scripts/stack/paths.ts';

const LOCK_WAIT_MS = 600_000;

function kubectl(kubeconfig: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(kubeBin('kubectl'), ['--kubeconfig', kubeFile(kubeconfig), ...args], { timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as any).code ?? 1) : 0, stdout, stderr }));
  });
}

async function getJson(args: string[]): Promise<any> {
  const r = await kubectl(ADMIN_KUBECONFIG, ['get', ...args, '-o', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe.skipIf(process.env.EFD_SKIP_STACK === '1')('the box Kubernetes', () => {
  // one consistent snapshot, read while no fault test holds the lock
  const snap: Record<string, any> = {};
  beforeAll(async () => {
    await withStackLock(async () => {
      snap.version = JSON.parse((await kubectl(ADMIN_KUBECONFIG, ['version', '-o', 'json'])).stdout);
      snap.nodes = (await getJson(['nodes'])).items;
      snap.apps = (await getJson(['applications.argoproj.io', '-n', 'argocd'])).items;
      snap.pvcs = (await getJson(['pvc', '-A'])).items;
      snap.cronjob = await getJson(['cronjob', '-n', 'efd-health', 'efd-health']);
      snap.connectors = (await getJson(['kafkaconnectors.kafka.strimzi.io', '-A'])).items;
      snap.connects = (await getJson(['kafkaconnects.kafka.strimzi.io', '-A'])).items;
      snap.secrets = await Promise.all(Object.values(TLS_SECRETS).map((s) => getJson(['secret', '-n', s.namespace, s.name])));
      snap.pods = (await getJson(['pods', '-A'])).items;
    });
  }, LOCK_WAIT_MS + 60_000);

  test('the API server answers the admin kubeconfig and reports its real version', () => {
    expect(snap.version.serverVersion.gitVersion).toBe(KUBE_VERSIONS.kubernetes);
  });

  test(`${PLAN_NODES.count} KWOK nodes, Ready, each ${PLAN_NODES.cpu} CPU / ${PLAN_NODES.memory} allocatable`, () => {
    expect(snap.nodes.map((n: any) => n.metadata.name).sort()).toEqual(Array.from({ length: PLAN_NODES.count }, (_, i) => nodeName(i + 1)));
    for (const n of snap.nodes) {
      expect(n.status.conditions.find((c: any) => c.type === 'Ready')?.status, n.metadata.name).toBe('True');
      expect(n.status.allocatable).toMatchObject({ cpu: '4', memory: '15Gi' });
      expect(n.status.capacity).toMatchObject({ cpu: '4', memory: '15Gi' });
    }
  });

  test('every Application of project efd is Synced and Healthy, listing its resources', () => {
    expect(snap.apps.map((a: any) => a.metadata.name).sort()).toEqual(applications().map((a) => a.metadata.name).sort());
    for (const a of snap.apps) {
      expect(a.spec.project).toBe('efd');
      expect([a.metadata.name, a.status?.sync?.status, a.status?.health?.status]).toEqual([a.metadata.name, 'Synced', 'Healthy']);
      expect(a.status.resources.length, a.metadata.name).toBeGreaterThan(0);
    }
  });

  test('the pods of the EFD run on the KWOK nodes and are Ready', () => {
    const efd = snap.pods.filter((p: any) => p.metadata.ownerReferences?.[0]?.kind !== 'Job');
    expect(efd.length).toBeGreaterThanOrEqual(14);
    for (const p of efd) {
      expect(p.spec.nodeName, p.metadata.name).toMatch(/^lsp-ldf-node-\d$/);
      expect([p.metadata.name, p.status.conditions.find((c: any) => c.type === 'Ready')?.status]).toEqual([p.metadata.name, 'True']);
    }
  });

  test('the claims are Bound on local-path with the sizes of the plan\'s phase 1 values', () => {
    const got = Object.fromEntries(snap.pvcs.map((c: any) => [`${c.metadata.namespace}/${c.metadata.name}`, [c.status.phase, c.spec.storageClassName, c.spec.resources.requests.storage]]));
    const want: Record<string, string> = { 'chronograf/chronograf': '1Gi', 'influxdb/influxdb-data-influxdb-0': '2560Gi' };
    for (let i = 0; i < 3; i++) {
      want[`cp-helm-charts/datadir-0-cp-helm-charts-cp-kafka-${i}`] = '300Gi';
      want[`cp-helm-charts/datadir-cp-helm-charts-cp-zookeeper-${i}`] = '10Gi';
      want[`cp-helm-charts/datalogdir-cp-helm-charts-cp-zookeeper-${i}`] = '10Gi';
    }
    expect(got).toEqual(Object.fromEntries(Object.entries(want).map(([k, v]) => [k, ['Bound', 'local-path', v]])));
  });

  test('the efd-health CronJob is not suspended and its last run succeeded (written by the CronJob controller)', () => {
    expect(snap.cronjob.spec.suspend ?? false).toBe(false);
    expect(Date.parse(snap.cronjob.status.lastSuccessfulTime)).toBeGreaterThan(Date.now() - 2 * 15 * 60_000);
  });

  test('KafkaConnect and the KafkaConnectors of manifests/local are Ready', () => {
    expect(snap.connectors.map((c: any) => c.metadata.name).sort()).toEqual(['replicator-checkpoint', 'replicator-heartbeat', 'replicator-mirror-source']);
    for (const c of [...snap.connects, ...snap.connectors]) {
      expect([c.metadata.name, c.status?.conditions?.[0]?.type, c.status?.conditions?.[0]?.status]).toEqual([c.metadata.name, 'Ready', 'True']);
    }
  });

  test('each TLS Secret holds the certificate the ingress serves for its host (the files in .stack/certs)', () => {
    Object.keys(TLS_SECRETS).forEach((key, i) => {
      const host = PLAN_HOSTS[key as keyof typeof PLAN_HOSTS];
      const inSecret = new X509Certificate(Buffer.from(snap.secrets[i].data['tls.crt'], 'base64'));
      expect(inSecret.fingerprint256).toBe(new X509Certificate(readFileSync(join(state.certs, `${host}.crt`))).fingerprint256);
      expect(inSecret.checkHost(host)).toBe(host);
    });
  });

  test('efd-health\'s token reads what its Roles grant (manifests/ldf RBAC), and is Forbidden elsewhere', async () => {
    const as = (args: string[]) => kubectl(EFD_HEALTH_KUBECONFIG, args);
    const who = await as(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    expect(who.stdout).toBe(`system:serviceaccount:${EFD_HEALTH_TOKEN_SECRET.namespace}:${EFD_HEALTH_TOKEN_SECRET.serviceAccount}`);
    for (const ns of ['kafka-connect', 'cp-helm-charts', 'influxdb']) {
      const r = await as(['get', 'pods', '-n', ns, '-o', 'name']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^pod\//);
    }
    expect((await as(['get', 'kafkaconnectors.kafka.strimzi.io', '-n', 'kafka-connect', '-o', 'name'])).code).toBe(0);
    expect((await as(['get', 'secret', '-n', 'influxdb', 'lsst-influxdb-nts-ldf-tls', '-o', 'name'])).code).toBe(0);
    for (const args of [
      ['get', 'pods', '-n', 'kube-system'],
      ['get', 'pods', '-A'],
      ['get', 'secrets', '-n', 'kafka-connect'],
      ['get', 'secret', '-n', 'influxdb', 'influxdb-auth'],
      ['get', 'pod', '-n', 'kafka-connect', 'any-pod'],
      ['delete', 'pod', '--all', '-n', 'kafka-connect', '--dry-run=server'],
    ]) {
      const r = await as(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toMatch(/Forbidden|forbidden/);
    }
  });
});

describe.skipIf(process.env.EFD_SKIP_STACK === '1')('faults of the box Kubernetes, and `up` repairing them', () => {
  test('drift, a crash loop, an image pull back-off, a Pending claim and a suspended CronJob that never succeeded show; `up --only kube` undoes them all', async () => {
    await withStackLock(async () => {
      try {
        // drift: the stand-in names the Application, the resource and the field
        expect((await kubectl(ADMIN_KUBECONFIG, ['scale', 'deployment', '-n', 'strimzi', 'strimzi-cluster-operator', '--replicas=2'])).code).toBe(0);
        await rerunStandin();
        const strimzi = await getJson(['applications.argoproj.io', '-n', 'argocd', 'strimzi']);
        expect(strimzi.status.sync.status).toBe('OutOfSync');
        expect(strimzi.status.resources).toContainEqual(expect.objectContaining({ kind: 'Deployment', name: 'strimzi-cluster-operator', status: 'OutOfSync', diff: 'live differs at .spec.replicas' }));

        // a crash loop (KWOK stage): the container waits in CrashLoopBackOff, the pod is not Ready
        const pod = (await getJson(['pods', '-n', 'chronograf'])).items[0].metadata.name;
        await crashLoop('chronograf', pod);
        let waiting: any;
        for (let i = 0; i < 30 && waiting?.reason !== 'CrashLoopBackOff'; i++) {
          await new Promise((r) => setTimeout(r, 500));
          waiting = (await getJson(['pod', '-n', 'chronograf', pod])).status.containerStatuses?.[0]?.state?.waiting;
        }
        expect(waiting).toMatchObject({ reason: 'CrashLoopBackOff' });
        const registry = (await getJson(['pods', '-n', 'cp-helm-charts', '-l', 'app=cp-schema-registry'])).items[0].metadata.name;
        await crashLoop('cp-helm-charts', registry, 'imagepullbackoff');
        for (let i = 0; i < 30 && waiting?.reason !== 'ImagePullBackOff'; i++) {
          await new Promise((r) => setTimeout(r, 500));
          waiting = (await getJson(['pod', '-n', 'cp-helm-charts', registry])).status.containerStatuses?.[0]?.state?.waiting;
        }
        expect(waiting).toMatchObject({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "confluentinc/cp-schema-registry:5.5.2"' });

        await pendingClaim('influxdb', 'fault-pending');
        await freshCronJob();
        await suspendCronJob(true);
        await new Promise((r) => setTimeout(r, 3000));
        expect((await getJson(['pvc', '-n', 'influxdb', 'fault-pending'])).status.phase).toBe('Pending');
        const cj = await getJson(['cronjob', '-n', 'efd-health', 'efd-health']);
        expect([cj.spec.suspend, cj.status.lastSuccessfulTime]).toEqual([true, undefined]);
      } finally {
        await upOnly(KUBE_COMPONENTS, { quiet: true });
      }
      const apps = (await getJson(['applications.argoproj.io', '-n', 'argocd'])).items;
      expect(apps.filter((a: any) => a.status.sync.status !== 'Synced' || a.status.health.status !== 'Healthy').map((a: any) => a.metadata.name)).toEqual([]);
      expect((await kubectl(ADMIN_KUBECONFIG, ['get', 'pvc', '-n', 'influxdb', 'fault-pending', '--ignore-not-found', '-o', 'name'])).stdout.trim()).toBe('');
      const pods = (await getJson(['pods', '-n', 'chronograf'])).items.filter((p: any) => !p.metadata.deletionTimestamp);
      expect(pods.map((p: any) => p.status.containerStatuses?.[0]?.ready)).toEqual([true]);
      const cj = await getJson(['cronjob', '-n', 'efd-health', 'efd-health']);
      expect(cj.spec.suspend).toBe(false);
      expect(Date.parse(cj.status.lastSuccessfulTime)).toBeGreaterThan(Date.now() - 5 * 60_000);
    });
  }, LOCK_WAIT_MS + 300_000);
});
