// What `up` applies to the box's API server, as Argo CD would: the simulated nodes (the plan's cluster), the
// CRDs and namespaces, AppProject efd and the Applications (manifests/local-cluster/apps), then each
// Application's folder server-side applied with Argo CD's field manager and instance label, the TLS Secrets
// made from the stack's real certificates, and efd-health's token kubeconfig. Then the stand-in
// (cluster-standin.ts) writes what Argo CD, the provisioner and Strimzi would, and the CronJob runs once.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { $ } from 'zx';
import { runStandin, type Kubectl, type Obj } from './cluster-standin.ts';
import { StackError } from './errors.ts';
import { ADMIN_KUBECONFIG, EFD_HEALTH_KUBECONFIG, KWOK_NODE_ANNOTATION, kubeFile, writeCertKubeconfig, writeTokenKubeconfig } from './kube.ts';
import { FIXTURES, MANIFESTS, PLAN_HOSTS, REPO, state, type Ports } from './paths.ts';
import { sleep } from './proc.ts';

/** The box's deployment: AppProject efd and the Applications in apps/, one folder per Application. Not under
 *  manifests/local, whose lack of Applications tells the manifests suite that the LDF rules do not apply. */
export const CLUSTER = join(REPO, 'manifests', 'local-cluster');
/** What the cluster has before the EFD is deployed: Argo CD's and Strimzi's CRDs (their installs bring them). */
const CRDS = [join(FIXTURES, 'kube', 'crds-argocd.yaml'), join(FIXTURES, 'kube', 'crds-strimzi.yaml')];
/** Argo CD's server-side apply field manager and tracking label (argocd-cm application.instanceLabelKey). */
export const FIELD_MANAGER = 'argocd-controller';
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
/** Objects a fault test adds carry this label; `up` deletes them (as Argo CD's prune would drop strays). */
export const FAULT_LABEL = 'efd-health.lsst.io/fault';

/** The plan's cluster (SQR-029 via the plan, "Implementation details"): 4 nodes of 4 CPUs and 15 GB. */
export const PLAN_NODES = { count: 4, cpu: '4', memory: '15Gi', pods: '110' } as const;
export const nodeName = (i: number) => `lsp-ldf-node-${i}`;

/** The TLS Secret of each plan host, in its Ingress's namespace (as manifests/local-cluster/ingress names them). */
export const TLS_SECRETS: Record<keyof typeof PLAN_HOSTS, { name: string; namespace: string }> = {
  argocd: { name: 'lsst-argocd-ldf-tls', namespace: 'argocd' },
  registry: { name: 'lsst-schema-registry-ldf-efd-tls', namespace: 'cp-helm-charts' },
  influxdb: { name: 'lsst-influxdb-nts-ldf-tls', namespace: 'influxdb' },
  chronograf: { name: 'lsst-chronograf-ldf-efd-tls', namespace: 'chronograf' },
};

/** efd-health's long-lived ServiceAccount token (filled in by the controller manager's token controller). */
export const EFD_HEALTH_TOKEN_SECRET = { name: 'efd-health-token', namespace: 'efd-health', serviceAccount: 'efd-health' };

export function readObjects(path: string): Obj[] {
  const files = path.endsWith('.yaml') ? [path] : readdirSync(path).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(path, f));
  return files.flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJSON()).filter(Boolean));
}

export function makeKubectl(bin: string, kubeconfig: string): Kubectl {
  return async (args: string[], input?: string) => {
    const r = await $({ input, nothrow: true, quiet: true })`${bin} --kubeconfig ${kubeconfig} ${args}`;
    if (r.exitCode !== 0) throw new StackError(`kubectl ${args.join(' ')}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
    return r.stdout;
  };
}

const list = (items: Obj[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });

/** Server-side apply; every namespaced object names its namespace (appObjects sets the Application's). */
async function apply(k: Kubectl, items: Obj[]): Promise<void> {
  if (!items.length) return;
  await k(['apply', '--server-side', '--force-conflicts', `--field-manager=${FIELD_MANAGER}`, '-f', '-'], list(items));
}

function nodes(): Obj[] {
  return Array.from({ length: PLAN_NODES.count }, (_, i) => {
    const name = nodeName(i + 1);
    const res = { cpu: PLAN_NODES.cpu, memory: PLAN_NODES.memory, pods: PLAN_NODES.pods, 'ephemeral-storage': '100Gi' };
    return {
      apiVersion: 'v1', kind: 'Node',
      metadata: {
        name,
        annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
        labels: {
          'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
          'node-role.kubernetes.io/worker': '', type: 'kwok',
          // the plan's node spec, and its local-path mount point on every node (plan 2.1.1)
          'efd-health.lsst.io/plan-node-spec': '4cpu-15gb', 'efd-health.lsst.io/local-path-mount': 'true',
        },
      },
      // no KWOK taint: the EFD's pods schedule onto these nodes exactly as onto the LSP cluster's
      spec: {},
      status: { allocatable: res, capacity: res },
    };
  });
}

/** The TLS Secrets of the four hosts, from .stack/certs (certificate with its chain, and key). */
function tlsSecrets(): Obj[] {
  return Object.entries(TLS_SECRETS).map(([key, s]) => {
    const host = PLAN_HOSTS[key as keyof typeof PLAN_HOSTS];
    return {
      apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls',
      metadata: { name: s.name, namespace: s.namespace },
      data: {
        'tls.crt': readFileSync(join(state.certs, `${host}.chain.crt`)).toString('base64'),
        'tls.key': readFileSync(join(state.certs, `${host}.key`)).toString('base64'),
      },
    };
  });
}

/** Secret efd-health (the CronJob's InfluxDB users) from the stack's own credentials in .stack/secrets. */
function efdHealthSecret(): Obj {
  const read = (f: string) => Buffer.from(readFileSync(join(state.secrets, f), 'utf8').trim()).toString('base64');
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'efd-health', namespace: 'efd-health' },
    data: {
      'influxdb-read-user': read('influx-read-user'), 'influxdb-read-password': read('influx-read-password'),
      'influxdb-admin-user': read('influx-admin-user'), 'influxdb-admin-password': read('influx-admin-password'),
    },
  };
}

/** What each Application deploys: its folder, plus what the box makes at `up` for it. */
export function appObjects(app: Obj): Obj[] {
  const name = app.metadata.name;
  // Argo CD runs hooks (the PreSync preflight, the PostSync smoke run) around a sync; they are not among the
  // objects it keeps in sync, and the box does not run them
  const objs = readObjects(join(REPO, app.spec.source.path)).filter((o) => !o.metadata.annotations?.['argocd.argoproj.io/hook']);
  if (name === 'kafka-connect') objs.push(...readObjects(join(MANIFESTS, 'replicator.yaml')));
  if (name === 'secrets') objs.push(...tlsSecrets(), efdHealthSecret());
  const ns = app.spec.destination.namespace;
  return objs.map((o) => ({
    ...o,
    metadata: { ...o.metadata, ...(o.kind === 'StorageClass' || o.metadata.namespace ? {} : { namespace: ns }), labels: { ...o.metadata.labels, [INSTANCE_LABEL]: name } },
  }));
}

export function applications(): Obj[] {
  return readObjects(join(CLUSTER, 'apps')).filter((o) => o.kind === 'Application');
}

/** Applies the box's deployment and writes both kubeconfigs; idempotent, and repairs what a test broke. */
export async function deployBox(p: Ports, kubectlBin: string, say: (l: string) => void): Promise<void> {
  const t0 = Date.now();
  const admin = writeCertKubeconfig(p, 'admin');
  const k = makeKubectl(kubectlBin, admin);
  await apply(k, nodes());
  const crds = CRDS.flatMap(readObjects);
  await apply(k, crds);
  await k(['wait', '--for=condition=Established', '--timeout=60s', ...crds.map((o) => `crd/${o.metadata.name}`)]);
  await apply(k, [...namespaces(), ...readObjects(join(CLUSTER, 'apps'))]);
  // the ServiceAccount admission needs each namespace's default ServiceAccount, made by the controller manager
  await waitDefaultServiceAccounts(k);
  for (const app of applications()) await apply(k, appObjects(app));
  await repairFaults(k);
  await writeEfdHealthKubeconfig(p, k);
  await runStandin(k, say, { settleMs: 90_000, cronJob: true });
  say(`kube box … deployed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

/** Argo CD's namespace and each Application's destination (their syncOptions say CreateNamespace=true). */
export function namespaces(): Obj[] {
  const names = new Set(['argocd', ...applications().map((a) => a.spec.destination.namespace as string)]);
  return [...names].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
}

async function waitDefaultServiceAccounts(k: Kubectl): Promise<void> {
  const want = namespaces().map((o) => o.metadata.name);
  for (let i = 0; i < 120; i++) {
    const have = JSON.parse(await k(['get', 'serviceaccounts', '-A', '--field-selector=metadata.name=default', '-o', 'json'])).items.map((s: Obj) => s.metadata.namespace);
    if (want.every((n) => have.includes(n))) return;
    await sleep(500);
  }
  throw new StackError('the controller manager made no default ServiceAccount in the EFD namespaces within 60 s; see .stack/logs/kube-controller-manager.log.');
}

/** Undoes the faults tests make (as Argo CD's self-heal and prune would): objects labelled FAULT_LABEL go,
 *  pods annotated for a KWOK fault stage are deleted (their controllers make healthy ones), the CronJob runs. */
async function repairFaults(k: Kubectl): Promise<void> {
  await k(['delete', 'pvc,pod,deployment,job', '-A', '-l', FAULT_LABEL, '--wait=false', '--ignore-not-found']);
  const pods = JSON.parse(await k(['get', 'pods', '-A', '-o', 'json'])).items as Obj[];
  for (const pod of pods.filter((x) => x.metadata.annotations?.['efd-health.lsst.io/kwok-fault'])) {
    await k(['delete', 'pod', '-n', pod.metadata.namespace!, pod.metadata.name, '--wait=false']);
  }
  // the CronJob's manifest leaves suspend unset (false): a suspended CronJob is drift
  await k(['patch', 'cronjob', 'efd-health', '-n', 'efd-health', '--type=merge', '-p', '{"spec":{"suspend":false}}']);
}

async function writeEfdHealthKubeconfig(p: Ports, k: Kubectl): Promise<void> {
  const s = EFD_HEALTH_TOKEN_SECRET;
  await apply(k, [{
    apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token',
    metadata: { name: s.name, namespace: s.namespace, annotations: { 'kubernetes.io/service-account.name': s.serviceAccount } },
  }]);
  for (let i = 0; i < 60; i++) {
    const secret = JSON.parse(await k(['get', 'secret', '-n', s.namespace, s.name, '-o', 'json']));
    if (secret.data?.token) {
      writeTokenKubeconfig(p, kubeFile(EFD_HEALTH_KUBECONFIG), 'efd-health', Buffer.from(secret.data.token, 'base64').toString());
      return;
    }
    await sleep(500);
  }
  throw new StackError(`the controller manager did not fill the token of Secret ${s.namespace}/${s.name} within 30 s; see .stack/logs/kube-controller-manager.log.`);
}

export { ADMIN_KUBECONFIG };
