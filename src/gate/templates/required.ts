// Absence fails: the objects a deployment must contain, as data (rules.yaml params.objects). Rules about
// CronJobs, hooks or RBAC judge only the objects that exist; these say which must exist, and where.
import type { ManifestObject } from '../../model/manifest-set.ts';
import type { Origin } from '../../model/deployment.ts';
import { namespaceOf } from '../context.ts';
import type { GateContext, Hit, Template } from '../types.ts';

/** One required object: a Kubernetes object (kind, namespace, name or labels/annotations) or chart values. */
interface Required {
  /** what it is, in words, for the message */
  what: string;
  kind?: string;
  namespace?: string;
  name?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** the Application that must sync it (its folder, or the chart it installs) */
  app?: string;
  /** chart values: `chart` must be installed with every dotted path of `values` set (non-empty) */
  chart?: string;
  values?: string[];
}

interface Provided {
  kind: string;
  namespace?: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** the Application that deploys it, if known */
  app?: string;
  origin: Origin;
}

/** Everything the deployment creates: its objects, and what its charts render (storage classes, Services). */
function provided({ d, appOf }: GateContext): Provided[] {
  const raw = d.objects.map((mo: ManifestObject): Provided => ({
    kind: mo.object.kind, namespace: namespaceOf(mo, appOf), name: mo.object.metadata.name,
    labels: mo.object.metadata.labels ?? {}, annotations: mo.object.metadata.annotations ?? {},
    app: appOf(mo)?.object.metadata.name, origin: { object: mo, path: [] },
  }));
  // a chart's renders belong to the Application installing it; an operator's to the folder of its resource
  const rendered = (kind: string, name: string, origin: Origin, namespace?: string): Provided => ({
    kind, name, namespace, labels: {}, annotations: {}, origin,
    app: origin.object.object.kind === 'Application' ? origin.object.object.metadata.name : appOf(origin.object)?.object.metadata.name,
  });
  return [
    ...raw,
    ...d.storageClasses.filter((s) => s.origin.object.object.kind === 'Application').map((s) => rendered('StorageClass', s.name, s.origin)),
    ...d.services.filter((s) => s.origin.object.object.kind !== 'Service').map((s) => rendered('Service', s.name, s.origin, s.namespace)),
  ];
}

const subset = (want: Record<string, string> | undefined, have: Record<string, string>) =>
  Object.entries(want ?? {}).every(([k, v]) => String(have[k] ?? '').split(',').map((x) => x.trim()).includes(v));

function describe(r: Required): string {
  if (r.chart) return `chart ${r.chart} with ${(r.values ?? []).join(', ')} set`;
  const sel = [...Object.entries(r.labels ?? {}), ...Object.entries(r.annotations ?? {})].map(([k, v]) => `${k}=${v}`);
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name ?? '*'}${sel.length ? ` (${sel.join(', ')})` : ''}`;
}

const get = (obj: any, dotted: string) => dotted.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
const isSet = (v: unknown) => v !== undefined && v !== null && v !== false && v !== '' && !(typeof v === 'object' && !Object.keys(v as object).length);

export const required_objects: Template = (ctx, p) => {
  const all = provided(ctx);
  const apps = ctx.d.objects.filter((o) => o.object.kind === 'Application');
  const hits: Hit[] = [];
  for (const r of p.objects as Required[]) {
    const app = r.app ? apps.find((a) => a.object.metadata.name === r.app) : undefined;
    const where = `${r.namespace ? ` in namespace ${r.namespace}` : ''}${r.app ? `, deployed by Application ${r.app}` : ''}`;
    // the finding points at the Application that should deploy it, else at the root
    const origin = app ? { object: app, path: ['spec', 'source'] } : undefined;
    const keys = [describe(r)];
    if (r.chart) {
      const charts = ctx.d.chartValues.filter((c) => c.chart === r.chart && (!r.app || c.origin.object.object.metadata.name === r.app));
      const ok = charts.some((c) => (r.values ?? []).every((path) => isSet(get(c.values, path))));
      if (!ok) hits.push({ message: `missing ${r.what}: expected ${describe(r)}${where}, none found`, origin: charts[0]?.origin ?? origin, keys });
      continue;
    }
    const found = all.filter((x) => x.kind === r.kind && (!r.name || x.name === r.name) && (!r.namespace || x.namespace === r.namespace) && subset(r.labels, x.labels) && subset(r.annotations, x.annotations));
    if (!found.length) {
      hits.push({ message: `missing ${r.what}: expected ${describe(r)}${where}, none found`, origin, keys });
    } else if (r.app && !found.some((x) => x.app === r.app)) {
      hits.push({ message: `${r.what} (${describe(r)}) is deployed by ${found.map((x) => (x.app ? `Application ${x.app}` : 'no Application')).join(', ')}, not Application ${r.app}`, origin: found[0].origin, keys });
    }
  }
  return hits;
};
