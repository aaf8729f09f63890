// What each Helm chart the EFD installs renders from its values, as far as the gate's rules need:
// pods (replicas, resources, images), volume claims, services, exposures, secret references.
// One adapter per chart; values are merged as Argo CD hands them to Helm (value files, values,
// valuesObject, parameters: values.ts), so nothing is rendered at gate time. Defaults below are the
// charts' own defaults.
import type { ManifestObject, YamlPath } from './manifest-set.ts';
import { claimOf, envFacts, resourceFacts, type ContainerFact, type Deployment, type Origin, type Workload } from './deployment.ts';
import { chartMeta, chartSources, localChartDir, type RepoView } from './argocd-sources.ts';
import { renderValues } from './values.ts';

interface Ctx {
  d: Deployment;
  mo: ManifestObject;
  values: any;
  /** path of the values inside the Application */
  vpath: YamlPath;
  release: string;
  ns: string;
  chart: string;
}

const at = (c: Ctx, ...keys: YamlPath): Origin => ({ object: c.mo, path: [...c.vpath, ...keys] });
const val = (obj: any, ...keys: string[]) => keys.reduce((o, k) => (o == null ? undefined : o[k]), obj);

/** Helm's usual fullname: the release name if it already contains the chart name, else release-chart. */
function fullname(release: string, chart: string, values: any): string {
  if (values?.fullnameOverride) return values.fullnameOverride;
  const name = values?.nameOverride ?? chart;
  return release.includes(name) ? release : `${release}-${name}`;
}

function image(repo: unknown, tag: unknown): string | undefined {
  if (typeof repo !== 'string' || !repo) return undefined;
  return tag === undefined || tag === null || tag === '' ? repo : `${repo}:${tag}`;
}

function container(c: Ctx, name: string, img: string | undefined, imgKeys: YamlPath, resKeys: YamlPath, extra: Partial<ContainerFact> = {}): ContainerFact {
  const res = val(c.values, ...(resKeys as string[]));
  c.d.images.push({ image: img, what: `${name} image of chart ${c.chart} (release ${c.release})`, origin: at(c, ...imgKeys) });
  return {
    name, image: img, imagePath: [...c.vpath, ...imgKeys], ...resourceFacts(res), resourcesPath: [...c.vpath, ...resKeys],
    env: [], envFromSecrets: [], ...extra,
  };
}

function workload(c: Ctx, kind: string, name: string, replicas: number, containers: ContainerFact[], role: string, sc?: any): Workload {
  const w: Workload = {
    kind: `${kind} (chart ${c.chart})`, namespace: c.ns, name, replicas, containers,
    podRunAsNonRoot: sc?.runAsNonRoot, podRunAsUser: sc?.runAsUser, secretVolumes: [], role, origin: at(c),
  };
  c.d.workloads.push(w);
  return w;
}

function service(c: Ctx, name: string, type: string, ports: number[], role: string, origin = at(c)): void {
  c.d.services.push({ namespace: c.ns, name, type, ports: ports.map((port) => ({ port })), role, origin });
}

function jmxSidecar(c: Ctx, base: string[]): ContainerFact[] {
  const jmx = val(c.values, ...base, 'prometheus', 'jmx') ?? {};
  if (jmx.enabled === false) return [];
  return [container(c, 'prometheus-jmx-exporter', image(jmx.image, jmx.imageTag), [...base, 'prometheus', 'jmx', 'image'], [...base, 'prometheus', 'jmx', 'resources'])];
}

/** cp-helm-charts cp-kafka (with its cp-zookeeper subchart). */
function cpKafka(c: Ctx): void {
  const v = c.values ?? {};
  const full = fullname(c.release, 'cp-kafka', v);
  const brokers = v.brokers ?? 3;
  workload(c, 'StatefulSet', full, brokers, [
    container(c, 'cp-kafka-broker', image(v.image, v.imageTag), ['image'], ['resources'], { runAsNonRoot: v.securityContext?.runAsNonRoot, runAsUser: v.securityContext?.runAsUser }),
    ...jmxSidecar(c, []),
  ], 'kafka', v.podSecurityContext);
  const p = v.persistence ?? {};
  if (p.enabled !== false) {
    const disks = p.disksPerBroker ?? 1;
    c.d.claims.push(claimOf(c.ns, `datadir-${full}`, { storageClassName: p.storageClass, resources: { requests: { storage: p.size ?? '1Gi' } } }, brokers * disks, 'kafka', at(c, 'persistence')));
  }
  service(c, full, 'ClusterIP', [9092], 'kafka');
  service(c, `${full}-headless`, 'ClusterIP', [9092], 'kafka');
  if (v.nodeport?.enabled) c.d.exposures.push({ role: 'kafka', how: 'nodeport.enabled renders one NodePort Service per broker', origin: at(c, 'nodeport', 'enabled') });
  if (v.external?.enabled) c.d.exposures.push({ role: 'kafka', how: `external.enabled renders ${v.external.type ?? 'LoadBalancer'} Services`, origin: at(c, 'external', 'enabled') });
  const overrides = v.configurationOverrides ?? {};
  for (const key of ['advertised.listeners', 'listeners']) {
    const text = overrides[key];
    if (typeof text === 'string' && /EXTERNAL|\$\{HOST_IP\}|:31\d{3}/.test(text)) {
      c.d.exposures.push({ role: 'kafka', how: `configurationOverrides "${key}" declares an external listener (${text.trim()})`, origin: at(c, 'configurationOverrides', key) });
    }
  }
  for (const [k, value] of Object.entries(overrides)) c.d.configValues.push({ key: k, value, origin: at(c, 'configurationOverrides', k) });
  const zk = v['cp-zookeeper'] ?? {};
  if (zk.enabled !== false) {
    const zfull = fullname(c.release, 'cp-zookeeper', zk);
    const servers = zk.servers ?? 3;
    workload(c, 'StatefulSet', zfull, servers, [
      container(c, 'cp-zookeeper-server', image(zk.image, zk.imageTag), ['cp-zookeeper', 'image'], ['cp-zookeeper', 'resources']),
      ...jmxSidecar(c, ['cp-zookeeper']),
    ], 'zookeeper', zk.podSecurityContext);
    const zp = zk.persistence ?? {};
    if (zp.enabled !== false) {
      c.d.claims.push(claimOf(c.ns, `datadir-${zfull}`, { storageClassName: zp.dataDirStorageClass, resources: { requests: { storage: zp.dataDirSize ?? '5Gi' } } }, servers, 'zookeeper', at(c, 'cp-zookeeper', 'persistence', 'dataDirSize')));
      c.d.claims.push(claimOf(c.ns, `datalogdir-${zfull}`, { storageClassName: zp.dataLogDirStorageClass, resources: { requests: { storage: zp.dataLogDirSize ?? '5Gi' } } }, servers, 'zookeeper', at(c, 'cp-zookeeper', 'persistence', 'dataLogDirSize')));
    }
    service(c, zfull, 'ClusterIP', [2181], 'zookeeper', at(c, 'cp-zookeeper'));
    service(c, `${zfull}-headless`, 'ClusterIP', [2181], 'zookeeper', at(c, 'cp-zookeeper'));
  }
}

function cpSchemaRegistry(c: Ctx): void {
  const v = c.values ?? {};
  const full = fullname(c.release, 'cp-schema-registry', v);
  workload(c, 'Deployment', full, v.replicaCount ?? 1, [
    container(c, 'cp-schema-registry-server', image(v.image, v.imageTag), ['image'], ['resources']),
    ...jmxSidecar(c, []),
  ], 'schema-registry', v.securityContext);
  service(c, full, 'ClusterIP', [v.servicePort ?? 8081], 'schema-registry');
  for (const [k, value] of Object.entries(v.configurationOverrides ?? {})) c.d.configValues.push({ key: k, value, origin: at(c, 'configurationOverrides', k) });
}

function influxdb(c: Ctx): void {
  const v = c.values ?? {};
  const full = fullname(c.release, 'influxdb', v);
  workload(c, 'StatefulSet', full, 1, [
    container(c, 'influxdb', image(v.image?.repository, v.image?.tag), ['image'], ['resources'], { env: envFacts(v.env, [...c.vpath, 'env']) }),
  ], 'influxdb', v.securityContext);
  const p = v.persistence ?? {};
  if (p.enabled !== false) c.d.claims.push(claimOf(c.ns, full, { storageClassName: p.storageClass, resources: { requests: { storage: p.size ?? '8Gi' } } }, 1, 'influxdb', at(c, 'persistence')));
  service(c, full, v.service?.type ?? 'ClusterIP', [8086, 8088], 'influxdb');
  if (['NodePort', 'LoadBalancer'].includes(v.service?.type)) c.d.exposures.push({ role: 'influxdb', how: `service.type ${v.service.type}`, origin: at(c, 'service', 'type') });
  const user = v.setDefaultUser ?? {};
  if (user.enabled) {
    // a Helm hook Job: its image counts, its resources are transient
    c.d.images.push({ image: typeof user.image === 'string' ? user.image : undefined, what: `setDefaultUser job image of chart influxdb (release ${c.release})`, origin: at(c, 'setDefaultUser', 'image') });
    if (user.user?.existingSecret) {
      for (const key of ['influxdb-user', 'influxdb-password']) {
        c.d.secretRefs.push({ namespace: c.ns, name: user.user.existingSecret, key, what: `setDefaultUser.user.existingSecret of ${c.mo.ref}`, origin: at(c, 'setDefaultUser', 'user', 'existingSecret') });
      }
    }
  }
  for (const [k, value] of Object.entries(v.env ?? {})) c.d.configValues.push({ key: k, value, origin: at(c, 'env', k) });
}

function chronograf(c: Ctx): void {
  const v = c.values ?? {};
  const full = fullname(c.release, 'chronograf', v);
  const envFromSecrets = v.envFromSecret ? [v.envFromSecret] : [];
  workload(c, 'Deployment', full, v.service?.replicas ?? 1, [
    container(c, 'chronograf', image(v.image?.repository, v.image?.tag), ['image'], ['resources'], { env: envFacts(v.env, [...c.vpath, 'env']), envFromSecrets }),
  ], 'chronograf', v.securityContext);
  if (v.envFromSecret) c.d.secretRefs.push({ namespace: c.ns, name: v.envFromSecret, what: `envFromSecret of ${c.mo.ref}`, origin: at(c, 'envFromSecret') });
  const p = v.persistence ?? {};
  if (p.enabled) c.d.claims.push(claimOf(c.ns, full, { storageClassName: p.storageClass, resources: { requests: { storage: p.size ?? '8Gi' } } }, 1, 'chronograf', at(c, 'persistence')));
  service(c, full, v.service?.type ?? 'ClusterIP', [80], 'chronograf');
  for (const [k, value] of Object.entries(v.env ?? {})) c.d.configValues.push({ key: k, value, origin: at(c, 'env', k) });
  const flat = (o: any, prefix: YamlPath): void => {
    for (const [k, value] of Object.entries(o ?? {})) {
      if (value && typeof value === 'object') flat(value, [...prefix, k]);
      else c.d.configValues.push({ key: k, value, origin: at(c, ...prefix, k) });
    }
  };
  flat(v.oauth, ['oauth']);
}

function localPathProvisioner(c: Ctx): void {
  const v = c.values ?? {};
  const full = fullname(c.release, 'local-path-provisioner', v);
  workload(c, 'Deployment', full, v.replicaCount ?? 1, [
    container(c, 'local-path-provisioner', image(v.image?.repository, v.image?.tag), ['image'], ['resources']),
  ], 'local-path-provisioner', v.securityContext);
  c.d.images.push({ image: image(v.helperImage?.repository, v.helperImage?.tag), what: `helper pod image of chart local-path-provisioner (release ${c.release})`, origin: at(c, 'helperImage') });
  if (v.storageClass?.create !== false) c.d.storageClasses.push({ name: v.storageClass?.name ?? 'local-path', origin: at(c, 'storageClass') });
}

function strimziOperator(c: Ctx): void {
  const v = c.values ?? {};
  const tag = v.image?.tag ?? v.defaultImageTag;
  const repo = `${v.defaultImageRegistry ?? 'quay.io'}/${v.defaultImageRepository ?? 'strimzi'}/${v.image?.name ?? 'operator'}`;
  workload(c, 'Deployment', 'strimzi-cluster-operator', v.replicas ?? 1, [
    container(c, 'strimzi-cluster-operator', tag ? `${repo}:${tag}` : undefined, v.image?.tag ? ['image', 'tag'] : ['defaultImageTag'], ['resources']),
  ], 'strimzi-operator');
}

const ADAPTERS: Record<string, (c: Ctx) => void> = {
  'cp-kafka': cpKafka,
  'cp-schema-registry': cpSchemaRegistry,
  influxdb,
  chronograf,
  'local-path-provisioner': localPathProvisioner,
  'strimzi-kafka-operator': strimziOperator,
};

export const KNOWN_CHARTS = Object.keys(ADAPTERS);

/** The Helm chart an Application installs (its first chart source), or undefined for a plain folder. */
export function chartOf(app: any): string | undefined {
  const src = chartSources(app)[0]?.source;
  if (!src) return undefined;
  if (src.chart) return src.chart;
  if (src.helm && src.path) return String(src.path).split('/').filter(Boolean).pop();
  return undefined;
}

/**
 * Origins of merged values point at `<helm path>/valuesObject/<keys>`; `locate` finds the layer that set
 * them. A chart kept in this repository whose Chart.yaml lists dependencies is an umbrella chart (the EFD's
 * Argo CD repositories' layout): each subchart reads the values under its alias or name.
 */
export function chartFacts(d: Deployment, mo: ManifestObject, view: RepoView): void {
  const app = mo.object;
  const cs = chartSources(app)[0];
  const chart = chartOf(app);
  if (!cs || !chart) return;
  const r = renderValues(mo, cs, view, d.set.root, d.set.valueFiles);
  const vpath: YamlPath = [...cs.helmPath, 'valuesObject'];
  d.valueLocators.set(mo, (path) => {
    const inValues = path.length >= vpath.length && vpath.every((k, i) => path[i] === k);
    return inValues ? r.locate(path.slice(vpath.length)) ?? { abs: mo.abs, line: mo.lineAt(cs.helmPath) } : undefined;
  });
  for (const issue of r.issues) d.valueFileIssues.push({ message: issue.message, origin: { object: mo, path: issue.path }, keys: [issue.entry] });
  const values = r.values ?? {};
  const release = cs.source.helm?.releaseName ?? app.metadata.name;
  const ns = app.spec?.destination?.namespace ?? 'default';
  const dir = localChartDir(cs, view, d.set.root);
  const meta = dir ? chartMeta(dir) : undefined;
  const enabled = (condition?: string) => !condition || condition.split(',').map((c) => c.trim().split('.').reduce((o: any, k) => o?.[k], values)).find((v) => v !== undefined) !== false;
  const parts = meta?.dependencies.length
    ? meta.dependencies.filter((dep) => enabled(dep.condition)).map((dep) => ({ chart: dep.name, key: dep.alias ?? dep.name }))
    : [{ chart: meta?.name ?? chart, key: undefined }];
  for (const part of parts) {
    const sub = part.key ? (values[part.key] ?? {}) : values;
    const subPath = part.key ? [...vpath, part.key] : vpath;
    d.installedCharts.push({ app: mo, chart: part.chart });
    d.chartValues.push({ chart: part.chart, release, namespace: ns, values: sub, origin: { object: mo, path: subPath } });
    ADAPTERS[part.chart]?.({ d, mo, values: sub, vpath: subPath, release, ns, chart: part.chart });
  }
}
