// The cluster's own view, gathered once through the Kubernetes API (src/probes/kube.ts) as plain data:
// Argo CD Applications of the EFD project, the pods, PVCs and Ingresses of the project's namespaces (its
// AppProject destinations), the nodes, efd-health's own CronJob, the Strimzi Connect objects, and the
// certificates in the TLS Secrets the Ingresses name. Each part keeps its own error, so one forbidden read
// fails only the check that needed it. verdicts.ts judges these facts.
import { X509Certificate } from 'node:crypto';
import type { Profile } from '../config/types.ts';
import { parseQuantity } from '../model/quantity.ts';
import { applyResolve } from '../config/resolve.ts';
import { tlsHandshake } from '../probes/tls.ts';
import { ProbeError } from '../probes/errors.ts';
import { kubeApi, kubeRead, type ApiRead, type KubeApi } from '../probes/kube.ts';
import { kubernetesOf, type KubernetesProfile } from './profile.ts';

export interface ReadError {
  reason: ProbeError['reason'];
  message: string;
}

export type Part<T> = { value: T; error?: undefined } | { value?: undefined; error: ReadError };

export interface ApplicationFacts {
  name: string;
  sync: string;
  health: string;
  message?: string;
  /** resources not Synced or not Healthy: kind/namespace/name with their status */
  problems: Array<{ kind: string; namespace?: string; name: string; sync?: string; health?: string; message?: string }>;
}

export interface ContainerFacts {
  name: string;
  ready: boolean;
  restarts: number;
  waiting?: { reason: string; message?: string };
  lastTermination?: { reason?: string; exitCode?: number; finishedAt?: string };
}

export interface PodFacts {
  namespace: string;
  name: string;
  phase: string;
  ready: boolean;
  /** owned by a Job: Succeeded is its healthy end */
  job: boolean;
  containers: ContainerFacts[];
  /** summed container requests: cores and bytes */
  requests: { cpu: number; memory: number };
}

export interface PvcFacts {
  namespace: string;
  name: string;
  phase: string;
  storageClass?: string;
  requestedBytes?: number;
  capacityBytes?: number;
}

export interface NodeFacts {
  name: string;
  ready: boolean;
  allocatable: { cpu: number; memory: number };
}

export interface CronJobFacts {
  namespace: string;
  name: string;
  schedule: string;
  suspend: boolean;
  created?: string;
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

export interface StrimziFacts {
  kind: string;
  namespace: string;
  name: string;
  conditions: Array<{ type: string; status: string; reason?: string; message?: string }>;
}

export interface TlsSecretFacts {
  ingress: string;
  namespace: string;
  hosts: string[];
  secret: string;
  /** the secret's tls.crt, PEM */
  certPem?: string;
  error?: ReadError;
  /** per host: the SHA-256 fingerprint of the leaf the ingress serves for it, or why it could not be read */
  served: Array<{ host: string; fingerprint256?: string; error?: string }>;
}

export interface ClusterFacts {
  server: string;
  project: string;
  namespaces: Part<string[]>;
  applications: Part<ApplicationFacts[]>;
  pods: Part<PodFacts[]>;
  pvcs: Part<PvcFacts[]>;
  nodes: Part<NodeFacts[]>;
  cronjob: Part<CronJobFacts>;
  strimzi: Part<StrimziFacts[]>;
  tlsSecrets: Part<TlsSecretFacts[]>;
  config: KubernetesProfile;
}

const asError = (e: unknown): ReadError =>
  e instanceof ProbeError ? { reason: e.reason, message: e.message } : { reason: 'internal', message: String((e as Error).message ?? e) };

async function part<T>(fn: () => Promise<T>): Promise<Part<T>> {
  try {
    return { value: await fn() };
  } catch (e) {
    return { error: asError(e) };
  }
}

/** The leaf certificate the ingress serves for `host` (profile ingress.resolve and https_port apply). */
async function servedLeaf(profile: Profile, host: string): Promise<TlsSecretFacts['served'][number]> {
  const { host: address, port } = applyResolve(profile, `${host}:${profile.ingress.https_port}`);
  const hs = await tlsHandshake({ address, port, servername: host, timeoutMs: profile.timeout_ms });
  if (!hs.ok || !hs.chain.length) return { host, error: hs.error?.message ?? 'no certificate' };
  return { host, fingerprint256: new X509Certificate(hs.chain[0]).fingerprint256 };
}

const iso = (d: Date | string | undefined) => (d === undefined ? undefined : new Date(d).toISOString());

async function listInEach<T>(api: KubeApi, namespaces: string[], read: Omit<ApiRead, 'namespace'>, call: (ns: string) => Promise<T[]>): Promise<T[]> {
  const lists = await Promise.all(namespaces.map((namespace) => kubeRead(api, { ...read, namespace }, () => call(namespace))));
  return lists.flat();
}

export async function gatherCluster(profile: Profile): Promise<ClusterFacts> {
  const config = kubernetesOf(profile)!;
  const api = kubeApi({ kubeconfig: config.kubeconfig, context: config.context, inCluster: config.in_cluster, timeoutMs: profile.timeout_ms });
  const argocd = config.argocd_namespace;

  const namespaces = await part(async () => {
    const read: ApiRead = { verb: 'get', group: 'argoproj.io', resource: 'appprojects', namespace: argocd, name: config.project };
    const p = (await kubeRead(api, read, () => api.custom.getNamespacedCustomObject({ group: 'argoproj.io', version: 'v1alpha1', namespace: argocd, plural: 'appprojects', name: config.project }))) as any;
    const ns = [...new Set<string>((p.spec?.destinations ?? []).map((d: any) => d.namespace).filter((n: unknown) => typeof n === 'string' && n !== '*'))].sort();
    if (!ns.length) throw new ProbeError('missing', `AppProject ${config.project} in ${argocd} names no destination namespace`, api.server);
    return ns;
  });
  const inProject: string[] = namespaces.value ?? [];
  const noNamespaces = (): Part<never> => ({ error: namespaces.error! });

  const [applications, pods, pvcs, nodes, cronjob, strimzi, tlsSecrets] = await Promise.all([
    part(async () => {
      const read: ApiRead = { verb: 'list', group: 'argoproj.io', resource: 'applications', namespace: argocd };
      const list = (await kubeRead(api, read, () => api.custom.listNamespacedCustomObject({ group: 'argoproj.io', version: 'v1alpha1', namespace: argocd, plural: 'applications' }))) as any;
      return (list.items ?? [])
        .filter((a: any) => (a.spec?.project ?? 'default') === config.project)
        .map(
          (a: any): ApplicationFacts => ({
            name: a.metadata.name,
            sync: a.status?.sync?.status ?? 'Unknown',
            health: a.status?.health?.status ?? 'Unknown',
            message: a.status?.health?.message ?? a.status?.conditions?.[0]?.message ?? a.status?.operationState?.message,
            problems: (a.status?.resources ?? [])
              .filter((r: any) => (r.status && r.status !== 'Synced') || (r.health?.status && r.health.status !== 'Healthy'))
              .map((r: any) => ({ kind: r.kind, namespace: r.namespace, name: r.name, sync: r.status, health: r.health?.status, message: r.health?.message })),
          }),
        );
    }),
    namespaces.error ? noNamespaces() : part(() =>
      listInEach(api, inProject, { verb: 'list', group: '', resource: 'pods' }, async (namespace) =>
        (await api.core.listNamespacedPod({ namespace })).items.map((p): PodFacts => {
          const statuses = p.status?.containerStatuses ?? [];
          const sum = (k: 'cpu' | 'memory') => (p.spec?.containers ?? []).reduce((s, c) => s + (parseQuantity(c.resources?.requests?.[k]) ?? 0), 0);
          return {
            namespace,
            name: p.metadata!.name!,
            phase: p.status?.phase ?? 'Unknown',
            ready: (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
            job: (p.metadata?.ownerReferences ?? []).some((o) => o.kind === 'Job'),
            containers: statuses.map((c) => ({
              name: c.name,
              ready: c.ready,
              restarts: c.restartCount,
              waiting: c.state?.waiting?.reason ? { reason: c.state.waiting.reason, message: c.state.waiting.message } : undefined,
              lastTermination: c.lastState?.terminated
                ? { reason: c.lastState.terminated.reason, exitCode: c.lastState.terminated.exitCode, finishedAt: iso(c.lastState.terminated.finishedAt) }
                : undefined,
            })),
            requests: { cpu: sum('cpu'), memory: sum('memory') },
          };
        }),
      ),
    ),
    namespaces.error ? noNamespaces() : part(() =>
      listInEach(api, inProject, { verb: 'list', group: '', resource: 'persistentvolumeclaims' }, async (namespace) =>
        (await api.core.listNamespacedPersistentVolumeClaim({ namespace })).items.map((c): PvcFacts => ({
          namespace,
          name: c.metadata!.name!,
          phase: c.status?.phase ?? 'Unknown',
          storageClass: c.spec?.storageClassName,
          requestedBytes: parseQuantity(c.spec?.resources?.requests?.storage),
          capacityBytes: parseQuantity(c.status?.capacity?.storage),
        })),
      ),
    ),
    part(async () =>
      (await kubeRead(api, { verb: 'list', group: '', resource: 'nodes' }, () => api.core.listNode())).items.map((n): NodeFacts => ({
        name: n.metadata!.name!,
        ready: (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
        allocatable: { cpu: parseQuantity(n.status?.allocatable?.cpu) ?? 0, memory: parseQuantity(n.status?.allocatable?.memory) ?? 0 },
      })),
    ),
    part(async () => {
      const { namespace, name } = config.cronjob;
      const c = await kubeRead(api, { verb: 'get', group: 'batch', resource: 'cronjobs', namespace, name }, () => api.batch.readNamespacedCronJob({ namespace, name }));
      return {
        namespace,
        name,
        schedule: c.spec?.schedule ?? '',
        suspend: !!c.spec?.suspend,
        created: iso(c.metadata?.creationTimestamp),
        lastScheduleTime: iso(c.status?.lastScheduleTime),
        lastSuccessfulTime: iso(c.status?.lastSuccessfulTime),
      };
    }),
    part(async () => {
      const namespace = config.connect_namespace;
      const kinds = [['KafkaConnect', 'kafkaconnects'], ['KafkaConnector', 'kafkaconnectors']] as const;
      const lists = await Promise.all(
        kinds.map(async ([kind, plural]) => {
          const read: ApiRead = { verb: 'list', group: 'kafka.strimzi.io', resource: plural, namespace };
          const list = (await kubeRead(api, read, () => api.custom.listNamespacedCustomObject({ group: 'kafka.strimzi.io', version: 'v1beta2', namespace, plural }))) as any;
          return (list.items ?? []).map((o: any): StrimziFacts => ({ kind, namespace, name: o.metadata.name, conditions: o.status?.conditions ?? [] }));
        }),
      );
      return lists.flat();
    }),
    namespaces.error ? noNamespaces() : part(async () => {
      const ingresses = await listInEach(api, inProject, { verb: 'list', group: 'networking.k8s.io', resource: 'ingresses' }, async (namespace) =>
        (await api.networking.listNamespacedIngress({ namespace })).items.flatMap((i) =>
          (i.spec?.tls ?? []).filter((t) => t.secretName).map((t) => ({ ingress: i.metadata!.name!, namespace, hosts: t.hosts ?? [], secret: t.secretName! })),
        ),
      );
      return Promise.all(
        ingresses.map(async (t): Promise<TlsSecretFacts> => {
          const read: ApiRead = { verb: 'get', group: '', resource: 'secrets', namespace: t.namespace, name: t.secret };
          try {
            const s = await kubeRead(api, read, () => api.core.readNamespacedSecret({ namespace: t.namespace, name: t.secret }));
            const crt = s.data?.['tls.crt'];
            const served = await Promise.all(t.hosts.map((host) => servedLeaf(profile, host)));
            return crt
              ? { ...t, certPem: Buffer.from(crt, 'base64').toString('utf8'), served }
              : { ...t, served, error: { reason: 'missing', message: `Secret ${t.namespace}/${t.secret} has no tls.crt` } };
          } catch (e) {
            return { ...t, served: [], error: asError(e) };
          }
        }),
      );
    }),
  ]);
  return { server: api.server, project: config.project, namespaces, applications, pods, pvcs, nodes, cronjob, strimzi, tlsSecrets, config };
}
