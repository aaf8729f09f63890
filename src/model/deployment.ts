// The deployment a manifests folder describes, as facts the gate's rules judge: workloads (pods with
// their containers, requests and images), volume claims, services, secret sources, exposures, ingresses.
// Raw objects are read directly; Argo CD Applications that install a Helm chart are read through the
// chart's adapter (charts.ts), which knows what the chart renders from its values.
import { cpuMillis, parseQuantity } from './quantity.ts';
import type { ManifestObject, ManifestSet, YamlPath } from './manifest-set.ts';
import { chartFacts } from './charts.ts';
import { repoView } from './argocd-sources.ts';

/** Where a fact is declared: the object (its annotations carry exemptions) and the key inside it. */
export interface Origin {
  object: ManifestObject;
  path: YamlPath;
}

export interface EnvFact {
  name: string;
  /** literal value written in the manifest */
  value?: string;
  /** secretKeyRef */
  secret?: { name: string; key: string };
  path: YamlPath;
}

export interface ContainerFact {
  name: string;
  image?: string;
  imagePath: YamlPath;
  cpuRequestMillis?: number;
  memoryRequestBytes?: number;
  cpuLimitMillis?: number;
  memoryLimitBytes?: number;
  resourcesPath: YamlPath;
  env: EnvFact[];
  envFromSecrets: string[];
  /** declared container ports (empty for chart-rendered containers: unknown) */
  ports?: Array<{ containerPort: number; name?: string }>;
  runAsNonRoot?: boolean;
  runAsUser?: number;
}

export interface Workload {
  kind: string;
  namespace: string;
  name: string;
  replicas: number;
  containers: ContainerFact[];
  podRunAsNonRoot?: boolean;
  podRunAsUser?: number;
  serviceAccount?: string;
  /** secrets mounted as volumes */
  secretVolumes: string[];
  /** kafka | zookeeper | influxdb | schema-registry | connect | chronograf | … when known */
  role?: string;
  /** the labels of its pods, when known (raw pod templates, operator-made pods); undefined for charts */
  podLabels?: Record<string, string>;
  origin: Origin;
}

export interface Claim {
  namespace: string;
  name: string;
  storageClass?: string;
  sizeBytes?: number;
  size?: string;
  /** number of volumes (one per replica for StatefulSet claim templates) */
  count: number;
  role?: string;
  origin: Origin;
}

export interface ServiceFact {
  namespace: string;
  name: string;
  type: string;
  ports: Array<{ port: number; name?: string }>;
  role?: string;
  origin: Origin;
}

export interface SecretSource {
  namespace: string;
  name: string;
  /** keys the secret is declared to hold, when the declaration lists them */
  keys?: string[];
  kind: string;
  origin: Origin;
}

/** A way a component is reachable from outside the cluster. */
export interface Exposure {
  role: string;
  how: string;
  origin: Origin;
}

export interface ImageRef {
  image?: string;
  what: string;
  origin: Origin;
}

export interface SecretRef {
  namespace: string;
  name: string;
  key?: string;
  what: string;
  origin: Origin;
}

export interface Deployment {
  set: ManifestSet;
  objects: ManifestObject[];
  workloads: Workload[];
  claims: Claim[];
  services: ServiceFact[];
  storageClasses: Array<{ name: string; origin: Origin }>;
  secretSources: SecretSource[];
  secretRefs: SecretRef[];
  exposures: Exposure[];
  images: ImageRef[];
  /** literal key/value pairs that look like configuration (helm values, connector configs, ConfigMaps) */
  configValues: Array<{ key: string; value: unknown; origin: Origin }>;
  /** chart-level facts other rules read, e.g. influxdb `auth_enabled`, retention scripts */
  chartValues: Array<{ chart: string; release: string; namespace: string; values: any; origin: Origin }>;
  /**
   * File and line of an origin. Chart values merged from several sources (value files, values,
   * valuesObject) are located in the source that set them last; everything else in its own object.
   */
  locate(origin: Origin): { abs: string; line: number };
  /** the Helm charts each Application installs (an umbrella chart's subcharts one by one) */
  installedCharts: Array<{ app: ManifestObject; chart: string }>;
  /** value files an Application names that are missing or cannot be read offline (values.ts) */
  valueFileIssues: Array<{ message: string; origin: Origin; keys: string[] }>;
  /** per Application, how its merged values map back to their sources (charts.ts) */
  valueLocators: Map<ManifestObject, (path: YamlPath) => { abs: string; line: number } | undefined>;
}

const POD_SPEC_PATH: Record<string, YamlPath> = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Pod: ['spec'],
};

export function podSpecPath(kind: string): YamlPath | undefined {
  return POD_SPEC_PATH[kind];
}

function get(obj: any, path: YamlPath): any {
  return path.reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

export function envFacts(list: any, base: YamlPath): EnvFact[] {
  if (Array.isArray(list)) {
    return list.map((e: any, i: number) => ({
      name: String(e?.name),
      value: e?.value === undefined ? undefined : String(e.value),
      secret: e?.valueFrom?.secretKeyRef ? { name: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key } : undefined,
      path: [...base, i],
    }));
  }
  if (list && typeof list === 'object') {
    // Helm charts often take env as a map name → value
    return Object.entries(list).map(([name, value]) => ({ name, value: value == null ? undefined : String(value), path: [...base, name] }));
  }
  return [];
}

/** Containers of a pod spec (init containers included: they need an image and resources too). */
export function containerFacts(pod: any, base: YamlPath): ContainerFact[] {
  const out: ContainerFact[] = [];
  for (const field of ['initContainers', 'containers']) {
    (pod?.[field] ?? []).forEach((c: any, i: number) => {
      const p = [...base, field, i];
      out.push({
        name: c?.name,
        image: c?.image,
        imagePath: [...p, 'image'],
        ...resourceFacts(c?.resources),
        resourcesPath: [...p, 'resources'],
        env: envFacts(c?.env, [...p, 'env']),
        envFromSecrets: (c?.envFrom ?? []).map((e: any) => e?.secretRef?.name).filter(Boolean),
        ports: (c?.ports ?? []).map((x: any) => ({ containerPort: Number(x?.containerPort), name: x?.name })),
        runAsNonRoot: c?.securityContext?.runAsNonRoot,
        runAsUser: c?.securityContext?.runAsUser,
      });
    });
  }
  return out;
}

export function resourceFacts(r: any): Pick<ContainerFact, 'cpuRequestMillis' | 'memoryRequestBytes' | 'cpuLimitMillis' | 'memoryLimitBytes'> {
  return {
    cpuRequestMillis: cpuMillis(r?.requests?.cpu),
    memoryRequestBytes: parseQuantity(r?.requests?.memory),
    cpuLimitMillis: cpuMillis(r?.limits?.cpu),
    memoryLimitBytes: parseQuantity(r?.limits?.memory),
  };
}

export function buildDeployment(set: ManifestSet): Deployment {
  const d: Deployment = {
    set, objects: set.objects, workloads: [], claims: [], services: [], storageClasses: [], secretSources: [],
    secretRefs: [], exposures: [], images: [], configValues: [], chartValues: [], valueLocators: new Map(), valueFileIssues: [], installedCharts: [],
    locate: (o) => d.valueLocators.get(o.object)?.(o.path) ?? { abs: o.object.abs, line: o.object.lineAt(o.path) },
  };
  const view = repoView(set);
  for (const mo of set.objects) {
    const o = mo.object;
    const ns = o.metadata.namespace ?? 'default';
    const at = (path: YamlPath): Origin => ({ object: mo, path });
    const podPath = POD_SPEC_PATH[o.kind];
    if (podPath) addPodWorkload(d, mo, podPath);
    switch (o.kind) {
      case 'Service':
        d.services.push({
          namespace: ns, name: o.metadata.name, type: o.spec?.type ?? 'ClusterIP',
          ports: (o.spec?.ports ?? []).map((p: any) => ({ port: p.port, name: p.name })), origin: at(['spec']),
        });
        if (['NodePort', 'LoadBalancer'].includes(o.spec?.type) || (o.spec?.externalIPs ?? []).length) {
          d.exposures.push({ role: roleFromLabels(o) ?? '', how: `Service ${o.metadata.name} of type ${o.spec?.type}`, origin: at(['spec', 'type']) });
        }
        break;
      case 'PersistentVolumeClaim':
        d.claims.push(claimOf(ns, o.metadata.name, o.spec, 1, roleFromLabels(o), at(['spec'])));
        break;
      case 'StorageClass':
        d.storageClasses.push({ name: o.metadata.name, origin: at(['metadata', 'name']) });
        break;
      case 'Secret':
        d.secretSources.push({ namespace: ns, name: o.metadata.name, keys: [...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {})], kind: 'Secret', origin: at(['metadata', 'name']) });
        break;
      case 'VaultSecret':
        d.secretSources.push({ namespace: ns, name: o.metadata.name, keys: o.spec?.keys, kind: 'VaultSecret', origin: at(['metadata', 'name']) });
        break;
      case 'ExternalSecret':
        d.secretSources.push({
          namespace: ns, name: o.spec?.target?.name ?? o.metadata.name,
          keys: (o.spec?.data ?? []).map((x: any) => x.secretKey), kind: 'ExternalSecret', origin: at(['metadata', 'name']),
        });
        break;
      case 'ConfigMap':
        for (const [k, v] of Object.entries(o.data ?? {})) d.configValues.push({ key: k, value: v, origin: at(['data', k]) });
        break;
      case 'KafkaConnector':
        for (const [k, v] of Object.entries(o.spec?.config ?? {})) {
          d.configValues.push({ key: k, value: v, origin: at(['spec', 'config', k]) });
          // Strimzi's KubernetesSecretConfigProvider: ${secrets:<namespace>/<secret>:<key>}
          for (const m of String(v).matchAll(/\$\{secrets:([a-z0-9-]+)\/([a-z0-9.-]+):([A-Za-z0-9._-]+)\}/g)) {
            d.secretRefs.push({ namespace: m[1], name: m[2], key: m[3], what: `${k} of ${mo.ref}`, origin: at(['spec', 'config', k]) });
          }
        }
        break;
      case 'KafkaConnect':
        addKafkaConnect(d, mo);
        break;
      case 'Application':
        chartFacts(d, mo, view);
        break;
    }
  }
  return d;
}

function roleFromLabels(o: any): string | undefined {
  return o.metadata?.labels?.['app.kubernetes.io/component'] ?? o.metadata?.labels?.['app.kubernetes.io/name'];
}

export function claimOf(namespace: string, name: string, spec: any, count: number, role: string | undefined, origin: Origin): Claim {
  const size = spec?.resources?.requests?.storage;
  return { namespace, name, storageClass: spec?.storageClassName, size, sizeBytes: parseQuantity(size), count, role, origin };
}

function addPodWorkload(d: Deployment, mo: ManifestObject, podPath: YamlPath): void {
  const o = mo.object;
  const ns = o.metadata.namespace ?? 'default';
  const pod = get(o, podPath) ?? {};
  const replicas = o.kind === 'Deployment' || o.kind === 'StatefulSet' || o.kind === 'ReplicaSet' ? (o.spec?.replicas ?? 1) : o.kind === 'Job' ? (o.spec?.parallelism ?? 1) : 1;
  const containers = containerFacts(pod, podPath);
  const w: Workload = {
    kind: o.kind, namespace: ns, name: o.metadata.name, replicas, containers,
    podRunAsNonRoot: pod.securityContext?.runAsNonRoot, podRunAsUser: pod.securityContext?.runAsUser,
    serviceAccount: pod.serviceAccountName,
    secretVolumes: (pod.volumes ?? []).map((v: any) => v?.secret?.secretName).filter(Boolean),
    role: roleFromLabels(o), origin: { object: mo, path: podPath },
    podLabels: (o.kind === 'Pod' ? o.metadata.labels : get(o, [...podPath.slice(0, -1), 'metadata', 'labels'])) ?? {},
  };
  d.workloads.push(w);
  for (const c of containers) {
    d.images.push({ image: c.image, what: `container ${c.name} of ${mo.ref}`, origin: { object: mo, path: c.imagePath } });
    for (const e of c.env) if (e.secret) d.secretRefs.push({ namespace: ns, ...e.secret, what: `env ${e.name} of ${mo.ref}`, origin: { object: mo, path: e.path } });
    c.envFromSecrets.forEach((name, i) => d.secretRefs.push({ namespace: ns, name, what: `envFrom of container ${c.name} in ${mo.ref}`, origin: { object: mo, path: [...c.resourcesPath.slice(0, -1), 'envFrom', i] } }));
  }
  (pod.volumes ?? []).forEach((v: any, i: number) => {
    if (v?.secret?.secretName) d.secretRefs.push({ namespace: ns, name: v.secret.secretName, what: `volume ${v.name} of ${mo.ref}`, origin: { object: mo, path: [...podPath, 'volumes', i] } });
  });
  if (o.kind === 'StatefulSet') {
    (o.spec?.volumeClaimTemplates ?? []).forEach((t: any, i: number) =>
      d.claims.push(claimOf(ns, `${t?.metadata?.name}-${o.metadata.name}`, t?.spec, replicas, roleFromLabels(o), { object: mo, path: ['spec', 'volumeClaimTemplates', i, 'spec'] })),
    );
  }
}

function addKafkaConnect(d: Deployment, mo: ManifestObject): void {
  const o = mo.object;
  const ns = o.metadata.namespace ?? 'default';
  const spec = o.spec ?? {};
  const name = o.metadata.name;
  const pod = spec.template?.pod ?? {};
  d.workloads.push({
    kind: 'KafkaConnect', namespace: ns, name: `${name}-connect`, replicas: spec.replicas ?? 3,
    containers: [{
      name: 'kafka-connect', image: spec.image, imagePath: ['spec', 'image'], ...resourceFacts(spec.resources), resourcesPath: ['spec', 'resources'],
      env: envFacts(spec.template?.connectContainer?.env, ['spec', 'template', 'connectContainer', 'env']), envFromSecrets: [],
      ports: [{ containerPort: 8083, name: 'rest-api' }],
      runAsNonRoot: spec.template?.connectContainer?.securityContext?.runAsNonRoot,
    }],
    podRunAsNonRoot: pod.securityContext?.runAsNonRoot, secretVolumes: [], role: 'connect', origin: { object: mo, path: ['spec'] },
    // the labels Strimzi puts on Connect pods
    podLabels: { 'strimzi.io/cluster': name, 'strimzi.io/kind': 'KafkaConnect', 'strimzi.io/name': `${name}-connect`, ...(pod.metadata?.labels ?? {}) },
  });
  d.images.push({ image: spec.image, what: `Kafka Connect image of ${mo.ref}`, origin: { object: mo, path: ['spec', 'image'] } });
  d.services.push({ namespace: ns, name: `${name}-connect-api`, type: 'ClusterIP', ports: [{ port: 8083, name: 'rest-api' }], role: 'connect', origin: { object: mo, path: ['metadata', 'name'] } });
  for (const [k, v] of Object.entries(spec.config ?? {})) d.configValues.push({ key: k, value: v, origin: { object: mo, path: ['spec', 'config', k] } });
}
