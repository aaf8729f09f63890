// The cluster stand-in: writes what three controllers that cannot run in the box would write, and nothing else.
// - local-path-provisioner: for each claim on StorageClass local-path that the scheduler has placed on a node
//   (annotation volume.kubernetes.io/selected-node), a PV of the claimed size on that node, pre-bound to the
//   claim; Kubernetes's own PV controller then binds them.
// - Strimzi: the Ready condition of each KafkaConnect (its worker pods Ready) and KafkaConnector (its state
//   in the box's real Kafka Connect, read from its REST API, as Strimzi reads it).
// - Argo CD: each Application's sync and health status, comparing what its folder declares with what is live.
// It runs once per `up` (one-shot, not a daemon): a fault a test writes (an Application OutOfSync, a claim left
// Pending) then stays until the test undoes it or `up` runs again. `npx tsx scripts/stack/cluster-standin.ts`
// runs it once more, e.g. after a test broke something the stand-in should now report.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StackError } from './errors.ts';
import { kubeBin } from './kube-build.ts';
import { applications, appObjects, makeKubectl } from './kube-deploy.ts';
import { ADMIN_KUBECONFIG, kubeFile } from './kube.ts';
import { ports, type Ports } from './paths.ts';
import { sleep } from './proc.ts';

export type Kubectl = (args: string[], input?: string) => Promise<string>;
export type Obj = {
  apiVersion: string; kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: any };
  [k: string]: any;
};

const LOCAL_PATH = { class: 'local-path', provisioner: 'rancher.io/local-path', root: '/data/local-path-provisioner' };
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

async function getJson(k: Kubectl, args: string[]): Promise<Obj[]> {
  return JSON.parse(await k(['get', ...args, '-o', 'json'])).items;
}

async function patchStatus(k: Kubectl, kind: string, o: Obj, status: unknown): Promise<void> {
  // the whole status is replaced, as its owner writes it (a merge would keep fields of an earlier status)
  await k(['patch', kind, '-n', o.metadata.namespace!, o.metadata.name, '--subresource=status', '--type=json', '-p', JSON.stringify([{ op: 'add', path: '/status', value: status }])]);
}

/** The provisioner: a PV for every placed, unbound local-path claim. Returns how many claims still wait. */
export async function provisionVolumes(k: Kubectl): Promise<number> {
  const pvcs = (await getJson(k, ['pvc', '-A'])).filter((c) => c.spec.storageClassName === LOCAL_PATH.class && c.status?.phase !== 'Bound');
  const pvs = new Set((await getJson(k, ['pv'])).map((v) => v.metadata.name));
  for (const c of pvcs) {
    const node = c.metadata.annotations?.['volume.kubernetes.io/selected-node'];
    const name = `pvc-${c.metadata.uid}`;
    if (!node || pvs.has(name)) continue;
    const pv = {
      apiVersion: 'v1', kind: 'PersistentVolume',
      metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': LOCAL_PATH.provisioner, 'local.path.provisioner/selected-node': node } },
      spec: {
        capacity: { storage: c.spec.resources.requests.storage },
        accessModes: c.spec.accessModes,
        storageClassName: LOCAL_PATH.class,
        persistentVolumeReclaimPolicy: 'Retain',
        volumeMode: 'Filesystem',
        hostPath: { path: `${LOCAL_PATH.root}/${name}_${c.metadata.namespace}_${c.metadata.name}`, type: 'DirectoryOrCreate' },
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: c.metadata.namespace, name: c.metadata.name, uid: c.metadata.uid },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
      },
    };
    await k(['create', '-f', '-'], JSON.stringify(pv));
  }
  return pvcs.length;
}

/** Strimzi's KafkaConnector status: the connector's state in the box's Kafka Connect. */
async function connectorState(p: Ports, name: string): Promise<{ ready: boolean; reason?: string; message?: string; connectorStatus?: unknown }> {
  try {
    const r = await fetch(`http://127.0.0.1:${p.connect}/connectors/${encodeURIComponent(name)}/status`, { signal: AbortSignal.timeout(5000) });
    if (r.status === 404) return { ready: false, reason: 'ConnectRestException', message: `connector ${name} does not exist in Kafka Connect` };
    const s = await r.json();
    const failed = [s.connector, ...(s.tasks ?? [])].find((x: any) => x.state !== 'RUNNING');
    if (failed) return { ready: false, reason: 'ConnectorNotRunning', message: `connector ${name} is ${failed.state}${failed.trace ? `: ${String(failed.trace).split('\n')[0]}` : ''}`, connectorStatus: s };
    return { ready: true, connectorStatus: s };
  } catch (e) {
    return { ready: false, reason: 'ConnectTimeoutException', message: `Kafka Connect at 127.0.0.1:${p.connect} did not answer: ${(e as Error).message}` };
  }
}

const condition = (ready: boolean, reason?: string, message?: string) =>
  [{ type: ready ? 'Ready' : 'NotReady', status: 'True', lastTransitionTime: now(), ...(reason ? { reason } : {}), ...(message ? { message } : {}) }];

export async function writeStrimziStatus(k: Kubectl, p: Ports): Promise<void> {
  for (const kc of await getJson(k, ['kafkaconnects.kafka.strimzi.io', '-A'])) {
    const deps = await getJson(k, ['deployments', '-n', kc.metadata.namespace!, '-l', `strimzi.io/cluster=${kc.metadata.name}`]);
    const ready = deps.length > 0 && deps.every((d) => (d.status?.readyReplicas ?? 0) >= d.spec.replicas);
    await patchStatus(k, 'kafkaconnects.kafka.strimzi.io', kc, {
      observedGeneration: kc.metadata.generation, replicas: kc.spec.replicas, labelSelector: `strimzi.io/cluster=${kc.metadata.name}`,
      url: `http://${kc.metadata.name}-connect-api.${kc.metadata.namespace}.svc:8083`,
      conditions: condition(ready, ready ? undefined : 'WorkersNotReady', ready ? undefined : `the Connect workers of ${kc.metadata.name} are not all Ready`),
    });
  }
  for (const c of await getJson(k, ['kafkaconnectors.kafka.strimzi.io', '-A'])) {
    const s = await connectorState(p, c.metadata.name);
    await patchStatus(k, 'kafkaconnectors.kafka.strimzi.io', c, {
      observedGeneration: c.metadata.generation, tasksMax: c.spec.tasksMax, connectorStatus: s.connectorStatus,
      conditions: condition(s.ready, s.reason, s.message),
    });
  }
}

/** Where `desired` differs from `live`, as a path ('' when every field desired is live, as declared). */
export function firstDrift(desired: unknown, live: unknown, path = ''): string {
  if (desired === undefined) return ''; // not declared
  if (desired === null || typeof desired !== 'object') return String(desired) === String(live) ? '' : path || '.';
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return path || '.';
    for (let i = 0; i < desired.length; i++) {
      const d = firstDrift(desired[i], live[i], `${path}[${i}]`);
      if (d) return d;
    }
    return '';
  }
  if (live === null || typeof live !== 'object') return path || '.';
  for (const [key, v] of Object.entries(desired)) {
    const d = firstDrift(v, (live as Record<string, unknown>)[key], `${path}.${key}`);
    if (d) return d;
  }
  return '';
}

type Health = 'Healthy' | 'Progressing' | 'Degraded' | 'Missing';
const RANK: Record<Health, number> = { Healthy: 0, Progressing: 1, Missing: 2, Degraded: 3 };

/** Argo CD's health of one live object (its built-in checks for the kinds the box deploys). */
export function health(o: Obj): { status: Health; message?: string } {
  const s = o.status ?? {};
  switch (o.kind) {
    case 'Deployment':
    case 'StatefulSet': {
      const want = o.spec.replicas ?? 1;
      if ((s.observedGeneration ?? 0) < o.metadata.generation) return { status: 'Progressing', message: 'Waiting for rollout to finish: observed generation is behind' };
      if ((s.readyReplicas ?? 0) < want) return { status: 'Progressing', message: `Waiting for rollout to finish: ${s.readyReplicas ?? 0} of ${want} updated replicas are available...` };
      return { status: 'Healthy' };
    }
    case 'PersistentVolumeClaim':
      return s.phase === 'Bound' ? { status: 'Healthy' } : s.phase === 'Lost' ? { status: 'Degraded', message: 'claim lost its volume' } : { status: 'Progressing', message: `claim is ${s.phase ?? 'Pending'}` };
    case 'KafkaConnect':
    case 'KafkaConnector': {
      const ready = (s.conditions ?? []).find((c: any) => c.type === 'Ready' && c.status === 'True');
      const other = (s.conditions ?? []).find((c: any) => c.type !== 'Ready');
      return ready ? { status: 'Healthy' } : other ? { status: 'Degraded', message: other.message ?? other.reason } : { status: 'Progressing', message: 'no Ready condition yet' };
    }
    default:
      return { status: 'Healthy' };
  }
}

/** Argo CD: every Application's sync status (desired fields live as declared) and health (worst of its resources). */
export async function writeApplicationStatus(k: Kubectl, apps: Obj[], desiredOf: (app: Obj) => Obj[]): Promise<void> {
  for (const app of apps) {
    const resources = [];
    let synced = true;
    let worst: { status: Health; message?: string } = { status: 'Healthy' };
    for (const d of desiredOf(app)) {
      const [group, version] = d.apiVersion.includes('/') ? d.apiVersion.split('/') : ['', d.apiVersion];
      const ns = d.kind === 'StorageClass' ? undefined : d.metadata.namespace;
      const resource = group ? `${d.kind}.${version}.${group}` : d.kind;
      const out = await k(['get', resource, ...(ns ? ['-n', ns] : []), d.metadata.name, '-o', 'json', '--ignore-not-found']);
      const live = out.trim() ? JSON.parse(out) : undefined;
      const drift = live ? firstDrift({ ...d, metadata: { labels: d.metadata.labels, annotations: d.metadata.annotations } }, live) : 'missing';
      const h = live ? health(live) : { status: 'Missing' as Health, message: 'resource does not exist' };
      if (drift) synced = false;
      if (RANK[h.status] > RANK[worst.status]) worst = { status: h.status, message: `${d.kind} ${ns ? `${ns}/` : ''}${d.metadata.name}: ${h.message ?? h.status}` };
      resources.push({
        group, version, kind: d.kind, ...(ns ? { namespace: ns } : {}), name: d.metadata.name,
        status: drift ? 'OutOfSync' : 'Synced', ...(d.kind === 'Secret' ? {} : { health: { status: h.status, ...(h.message ? { message: h.message } : {}) } }),
        ...(drift && drift !== 'missing' ? { diff: `live differs at ${drift}` } : {}),
      });
    }
    const appHealth = worst.status === 'Missing' ? { status: 'Missing', message: worst.message } : worst;
    await patchStatus(k, 'applications.argoproj.io', app, {
      sync: { status: synced ? 'Synced' : 'OutOfSync', comparedTo: { source: app.spec.source, destination: app.spec.destination }, revision: 'box' },
      health: appHealth,
      resources,
      reconciledAt: now(),
      sourceType: 'Directory',
    });
  }
}

/** Waits for the box's workloads: binds volumes as the scheduler places claims, until every Deployment and
 *  StatefulSet of the EFD namespaces is Ready (or the deadline). Returns what is still not Ready. */
async function settleWorkloads(k: Kubectl, namespaces: string[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await provisionVolumes(k);
    const notReady: string[] = [];
    for (const w of await getJson(k, ['deployments,statefulsets', '-A'])) {
      if (!namespaces.includes(w.metadata.namespace!)) continue;
      if (health(w).status !== 'Healthy') notReady.push(`${w.kind} ${w.metadata.namespace}/${w.metadata.name}`);
    }
    if (!notReady.length || Date.now() > deadline) return notReady;
    await sleep(1000);
  }
}

/** The efd-health CronJob's last successful run, made by the real controllers: a Job from its template is
 *  recorded in the CronJob's active list (what the CronJob controller writes when a schedule fires), then
 *  KWOK completes its pod, the Job controller marks it Complete and the CronJob controller records the success. */
export async function runCronJobOnce(k: Kubectl, namespace: string, name: string, timeoutMs = 60_000): Promise<string> {
  const job = JSON.parse(await k(['create', 'job', '-n', namespace, `--from=cronjob/${name}`, `${name}-up-${Math.floor(Date.now() / 60_000)}`, '--dry-run=client', '-o', 'json']));
  job.spec.suspend = true; // recorded as active before it can finish
  const made = JSON.parse(await k(['create', '-f', '-', '-o', 'json'], JSON.stringify(job)));
  const cj = JSON.parse(await k(['get', 'cronjob', '-n', namespace, name, '-o', 'json']));
  const ref = { apiVersion: 'batch/v1', kind: 'Job', namespace, name: made.metadata.name, uid: made.metadata.uid, resourceVersion: made.metadata.resourceVersion };
  await patchStatus(k, 'cronjob', cj, { active: [...(cj.status?.active ?? []), ref], lastScheduleTime: now() });
  await k(['patch', 'job', '-n', namespace, made.metadata.name, '--type=merge', '-p', '{"spec":{"suspend":false}}']);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = JSON.parse(await k(['get', 'cronjob', '-n', namespace, name, '-o', 'json'])).status ?? {};
    if (s.lastSuccessfulTime && !(s.active ?? []).some((a: any) => a.uid === made.metadata.uid)) return s.lastSuccessfulTime;
    await sleep(1000);
  }
  throw new StackError(`CronJob ${namespace}/${name}: the run ${made.metadata.name} did not succeed within ${timeoutMs / 1000} s; kubectl describe job -n ${namespace} ${made.metadata.name} says why.`);
}

const CRON = { namespace: 'efd-health', name: 'efd-health', periodMs: 15 * 60_000 };

/** One pass of the stand-in. At `up` the workloads get `settleMs` to become Ready (their volumes bound
 *  meanwhile) and the CronJob runs if its last success is older than two periods; a re-run after a fault
 *  (settleMs 0, cronJob false) reports what it finds at once and leaves the CronJob's history alone. */
export async function runStandin(k: Kubectl, say: (l: string) => void, opts: { settleMs: number; cronJob: boolean }, p: Ports = ports()): Promise<void> {
  const apps = applications();
  const namespaces = [...new Set(apps.map((a) => a.spec.destination.namespace as string))];
  const waiting = await settleWorkloads(k, namespaces, opts.settleMs);
  if (waiting.length) say(`kube box … not Ready${opts.settleMs ? ` after ${opts.settleMs / 1000} s` : ''}: ${waiting.join(', ')}`);
  await writeStrimziStatus(k, p);
  if (opts.cronJob) {
    const cj = JSON.parse(await k(['get', 'cronjob', '-n', CRON.namespace, CRON.name, '-o', 'json']));
    const last = Date.parse(cj.status?.lastSuccessfulTime ?? '');
    if (!(Date.now() - last < 2 * CRON.periodMs)) await runCronJobOnce(k, CRON.namespace, CRON.name);
  }
  await writeApplicationStatus(k, apps, appObjects);
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  await runStandin(makeKubectl(kubeBin('kubectl'), kubeFile(ADMIN_KUBECONFIG)), console.log, { settleMs: 0, cronJob: false });
}
