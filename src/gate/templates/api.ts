// What the API server or the controllers would refuse, or accept and never make work, as far as it can be
// known offline (kubectl apply --dry-run=server catches only part of it, and needs a cluster).
import type { ManifestObject } from '../../model/manifest-set.ts';
import type { Workload } from '../../model/deployment.ts';
import { cronError } from '../../model/cron.ts';
import { formatBytes, formatCpu } from '../../model/quantity.ts';
import { formatLabels, isEmptySelector, selects, serviceSelects } from '../../model/selectors.ts';
import { namespaceOf } from '../context.ts';
import type { GateContext, Hit, Template } from '../types.ts';

const get = (obj: any, path: Array<string | number>) => path.reduce((o, k) => (o == null ? undefined : o[k]), obj);
const label = (w: Workload) => `${w.kind} ${w.namespace}/${w.name}`;

export const requests_limits: Template = ({ d }) =>
  d.workloads.flatMap((w) =>
    w.containers.flatMap((c) => {
      const over: string[] = [];
      if (c.cpuRequestMillis !== undefined && c.cpuLimitMillis !== undefined && c.cpuRequestMillis > c.cpuLimitMillis) over.push(`CPU request ${formatCpu(c.cpuRequestMillis)} > limit ${formatCpu(c.cpuLimitMillis)}`);
      if (c.memoryRequestBytes !== undefined && c.memoryLimitBytes !== undefined && c.memoryRequestBytes > c.memoryLimitBytes) over.push(`memory request ${formatBytes(c.memoryRequestBytes)} > limit ${formatBytes(c.memoryLimitBytes)}`);
      return over.length ? [{ message: `container ${c.name} of ${label(w)}: ${over.join(', ')}; the API server refuses a request above its limit`, origin: { object: w.origin.object, path: c.resourcesPath }, keys: [c.name] }] : [];
    }),
  );

const SELECTOR_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];

export const selector_template: Template = ({ d }) =>
  d.objects.flatMap((mo): Hit[] => {
    const o = mo.object;
    const manual = o.kind === 'Job' && o.spec?.manualSelector === true;
    if (!SELECTOR_KINDS.includes(o.kind) && !manual && !(o.kind === 'Job' && o.spec?.selector)) return [];
    const sel = o.spec?.selector;
    const labels = o.spec?.template?.metadata?.labels ?? {};
    const origin = { object: mo, path: ['spec', 'selector'] };
    if (o.kind === 'Job' && !manual) return [{ message: `${mo.ref} sets spec.selector without manualSelector: true; the API server refuses it (it generates the Job's selector)`, origin }];
    if (isEmptySelector(sel)) return [{ message: `${mo.ref} has an empty selector; the API server refuses it`, origin }];
    if (!selects(sel, labels)) return [{ message: `${mo.ref}'s selector does not match its pod template's labels (${formatLabels(labels)}); the API server refuses it`, origin }];
    return [];
  });

/** Pods of a namespace; `known` is false when some pod's labels cannot be known offline (a chart's). */
function podsIn(d: GateContext['d'], namespace: string): { pods: Workload[]; known: boolean } {
  const pods = d.workloads.filter((w) => w.namespace === namespace);
  return { pods: pods.filter((w) => w.podLabels), known: pods.every((w) => w.podLabels) };
}

function services(d: GateContext['d']): ManifestObject[] {
  return d.objects.filter((mo) => mo.object.kind === 'Service' && mo.object.spec?.type !== 'ExternalName' && Object.keys(mo.object.spec?.selector ?? {}).length);
}

export const service_selector: Template = ({ d }) =>
  services(d).flatMap((mo) => {
    const ns = mo.object.metadata.namespace ?? 'default';
    const sel: Record<string, string> = mo.object.spec.selector;
    const { pods, known } = podsIn(d, ns);
    if (pods.some((w) => serviceSelects(sel, w.podLabels)) || !known) return [];
    return [{ message: `${mo.ref} selects ${formatLabels(sel)}, which no pod template in namespace ${ns} carries: it would never have endpoints`, origin: { object: mo, path: ['spec', 'selector'] }, keys: [formatLabels(sel)] }];
  });

export const target_ports: Template = ({ d }) =>
  services(d).flatMap((mo) => {
    const ns = mo.object.metadata.namespace ?? 'default';
    const { pods, known } = podsIn(d, ns);
    const selected = pods.filter((w) => serviceSelects(mo.object.spec.selector, w.podLabels));
    if (!known || !selected.length) return [];
    const containers = selected.flatMap((w) => w.containers);
    return (mo.object.spec.ports ?? []).flatMap((p: any, i: number) => {
      const target = p?.targetPort ?? p?.port;
      const exposed = containers.some((c) => (c.ports ?? []).some((x) => (typeof target === 'string' ? x.name === target : x.containerPort === Number(target))));
      if (exposed) return [];
      return [{
        message: `${mo.ref} port ${p?.name ?? p?.port} targets ${typeof target === 'string' ? `the port named ${target}` : `port ${target}`}, which no container of the pods it selects (${selected.map(label).join(', ')}) exposes`,
        origin: { object: mo, path: ['spec', 'ports', i, p?.targetPort !== undefined ? 'targetPort' : 'port'] }, keys: [String(target)],
      }];
    });
  });

export const claim_storage: Template = ({ d }) =>
  d.objects.flatMap((mo) => {
    const o = mo.object;
    const claims: Array<{ name: string; spec: any; path: Array<string | number> }> =
      o.kind === 'PersistentVolumeClaim' ? [{ name: o.metadata.name, spec: o.spec, path: ['spec'] }]
      : o.kind === 'StatefulSet' ? (o.spec?.volumeClaimTemplates ?? []).map((t: any, i: number) => ({ name: t?.metadata?.name ?? `#${i}`, spec: t?.spec, path: ['spec', 'volumeClaimTemplates', i, 'spec'] }))
      : [];
    return claims
      .filter((c) => get(c.spec, ['resources', 'requests', 'storage']) === undefined && !c.spec?.dataSource && !c.spec?.dataSourceRef)
      .map((c) => ({ message: `${o.kind === 'StatefulSet' ? `volume claim template ${c.name} of ` : ''}${mo.ref} requests no storage (resources.requests.storage); the API server refuses it`, origin: { object: mo, path: [...c.path, 'resources'] }, keys: [c.name] }));
  });

const CLUSTER_SCOPED = new Set(['Namespace', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'IngressClass', 'PriorityClass']);

export const duplicate_names: Template = ({ d, appOf }) => {
  const seen = new Map<string, ManifestObject>();
  const hits: Hit[] = [];
  for (const mo of d.objects) {
    const o = mo.object;
    const group = String(o.apiVersion).includes('/') ? String(o.apiVersion).split('/')[0] : '';
    // an object without a namespace lands in its Application's destination namespace
    const ns = CLUSTER_SCOPED.has(o.kind) ? '' : namespaceOf(mo, appOf);
    const id = `${group}/${o.kind}/${ns}/${o.metadata.name}`;
    const first = seen.get(id);
    if (!first) {
      seen.set(id, mo);
      continue;
    }
    hits.push({ message: `${mo.ref} is declared twice (also at ${first.file}:${first.line}); one would overwrite the other`, origin: { object: mo, path: ['metadata', 'name'] }, keys: [`${o.kind} ${ns ? `${ns}/` : ''}${o.metadata.name}`] });
  }
  return hits;
};

export const cron_schedule: Template = ({ d }) =>
  d.objects
    .filter((mo) => mo.object.kind === 'CronJob')
    .flatMap((mo) => {
      const why = cronError(mo.object.spec?.schedule);
      return why ? [{ message: `${mo.ref} has schedule "${mo.object.spec?.schedule ?? ''}": ${why}; the API server refuses it`, origin: { object: mo, path: ['spec', 'schedule'] }, keys: [String(mo.object.spec?.schedule ?? '')] }] : [];
    });
