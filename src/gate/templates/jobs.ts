// Jobs and CronJobs (efd-health's own): no overlap, a deadline, a backoff limit, resources, non-root;
// and the Argo CD hooks that run them around a sync.
import type { ManifestObject } from '../../model/manifest-set.ts';
import { containerFacts, podSpecPath } from '../../model/deployment.ts';
import type { Hit, Template } from '../types.ts';

type Path = Array<string | number>;

/** Each Job spec of the manifests: Jobs themselves and CronJob job templates. */
function jobSpecs(objects: ManifestObject[]): Array<{ mo: ManifestObject; spec: any; path: Path }> {
  return objects.flatMap((mo) => {
    if (mo.object.kind === 'Job') return [{ mo, spec: mo.object.spec ?? {}, path: ['spec'] }];
    if (mo.object.kind === 'CronJob') return [{ mo, spec: mo.object.spec?.jobTemplate?.spec ?? {}, path: ['spec', 'jobTemplate', 'spec'] }];
    return [];
  });
}

export const cronjob_concurrency: Template = ({ d }, p) =>
  d.objects
    .filter((mo) => mo.object.kind === 'CronJob' && mo.object.spec?.concurrencyPolicy !== p.policy)
    .map((mo) => ({ message: `${mo.ref} has concurrencyPolicy ${mo.object.spec?.concurrencyPolicy ?? 'Allow (default)'}, not ${p.policy}: a slow run could overlap the next`, origin: { object: mo, path: ['spec', 'concurrencyPolicy'] } }));

/** Minutes between runs for `*\/N * * * *` and `M * * * *` schedules; undefined for anything else. */
export function scheduleMinutes(schedule: string): number | undefined {
  const f = schedule.trim().split(/\s+/);
  if (f.length !== 5 || f.slice(1).some((x) => x !== '*')) return f.length === 5 && /^\d+$/.test(f[0]) && /^\d+$/.test(f[1]) && f.slice(2).every((x) => x === '*') ? 1440 : undefined;
  if (/^\*\/\d+$/.test(f[0])) return Number(f[0].slice(2));
  if (/^\d+$/.test(f[0])) return 60;
  return undefined;
}

export const job_deadline: Template = ({ d }, p) =>
  jobSpecs(d.objects).flatMap(({ mo, spec, path }) => {
    const v = spec.activeDeadlineSeconds;
    const origin = { object: mo, path: [...path, 'activeDeadlineSeconds'] };
    if (typeof v !== 'number') return [{ message: `${mo.ref} has no activeDeadlineSeconds: a hung run would never end`, origin }];
    if (v > p.max_seconds) return [{ message: `${mo.ref} allows ${v} s (activeDeadlineSeconds), more than ${p.max_seconds} s`, origin }];
    const every = mo.object.kind === 'CronJob' ? scheduleMinutes(String(mo.object.spec?.schedule ?? '')) : undefined;
    if (every !== undefined && v > every * 60) return [{ message: `${mo.ref} allows ${v} s but runs every ${every} min: a run could outlive the interval`, origin }];
    return [];
  });

export const job_backoff: Template = ({ d }, p) =>
  jobSpecs(d.objects).flatMap(({ mo, spec, path }) => {
    const v = spec.backoffLimit;
    const origin = { object: mo, path: [...path, 'backoffLimit'] };
    if (typeof v !== 'number') return [{ message: `${mo.ref} has no backoffLimit (Kubernetes retries 6 times by default)`, origin }];
    return v > p.max ? [{ message: `${mo.ref} retries ${v} times (backoffLimit), more than ${p.max}`, origin }] : [];
  });

export const job_resources: Template = ({ d }) =>
  d.objects
    .filter((mo) => mo.object.kind === 'Job' || mo.object.kind === 'CronJob')
    .flatMap((mo) => {
      const podPath = podSpecPath(mo.object.kind)!;
      const pod = podPath.reduce((o: any, k) => o?.[k], mo.object);
      return containerFacts(pod, podPath).flatMap((c) => {
        const missing = [
          c.cpuRequestMillis === undefined && 'CPU request', c.memoryRequestBytes === undefined && 'memory request',
          c.cpuLimitMillis === undefined && 'CPU limit', c.memoryLimitBytes === undefined && 'memory limit',
        ].filter(Boolean);
        return missing.length ? [{ message: `container ${c.name} of ${mo.ref} has no ${missing.join(', ')}`, origin: { object: mo, path: c.resourcesPath }, keys: [c.name] }] : [];
      });
    });

export const job_non_root: Template = ({ d }) =>
  d.objects
    .filter((mo) => mo.object.kind === 'Job' || mo.object.kind === 'CronJob')
    .flatMap((mo) => {
      const podPath = podSpecPath(mo.object.kind)!;
      const pod = podPath.reduce((o: any, k) => o?.[k], mo.object) ?? {};
      const cs = containerFacts(pod, podPath);
      const hits: Hit[] = [];
      const podNonRoot = pod.securityContext?.runAsNonRoot === true;
      const rootUser = pod.securityContext?.runAsUser === 0 || cs.some((c) => c.runAsUser === 0);
      const everyContainer = cs.length > 0 && cs.every((c) => c.runAsNonRoot === true);
      const containerSaysRoot = cs.some((c) => c.runAsNonRoot === false);
      if ((!podNonRoot && !everyContainer) || containerSaysRoot) hits.push({ message: `${mo.ref} does not set runAsNonRoot: true for its pod (or every container)`, origin: { object: mo, path: [...podPath, 'securityContext'] } });
      if (rootUser) hits.push({ message: `${mo.ref} runs as user 0 (root)`, origin: { object: mo, path: [...podPath, 'securityContext'] } });
      return hits;
    });

const HOOK = 'argocd.argoproj.io/hook';
const DELETE = 'argocd.argoproj.io/hook-delete-policy';
const splitList = (s: unknown) => String(s ?? '').split(',').map((x) => x.trim()).filter(Boolean);

export const argocd_hooks: Template = ({ d, appOf }, p) => {
  const hits: Hit[] = [];
  const hooks = d.objects.filter((mo) => mo.object.metadata.annotations?.[HOOK] !== undefined);
  for (const mo of hooks) {
    const a = mo.object.metadata.annotations!;
    const phases = splitList(a[HOOK]);
    const at = (k: string) => ({ object: mo, path: ['metadata', 'annotations', k] });
    const badPhase = phases.filter((x) => !p.phases.includes(x));
    if (!phases.length || badPhase.length) hits.push({ message: `${mo.ref} has hook "${a[HOOK]}"; Argo CD knows ${p.phases.join(', ')}`, origin: at(HOOK) });
    if (!p.kinds.includes(mo.object.kind)) hits.push({ message: `${mo.ref} is a ${mo.object.kind} hook; hooks here must be ${p.kinds.join(' or ')} objects`, origin: at(HOOK) });
    const policies = splitList(a[DELETE]);
    const badPolicy = policies.filter((x) => !p.delete_policies.includes(x));
    if (badPolicy.length) hits.push({ message: `${mo.ref} has hook-delete-policy "${a[DELETE]}"; Argo CD knows ${p.delete_policies.join(', ')}`, origin: at(DELETE) });
    else if (!policies.includes(p.delete_policy)) hits.push({ message: `${mo.ref} lacks hook-delete-policy ${p.delete_policy}: the next sync cannot re-create the Job under the same name`, origin: at(a[DELETE] === undefined ? HOOK : DELETE) });
    // a hook runs before (PreSync) or outside the Sync phase of its own Application: what it uses must exist already
    const app = appOf(mo);
    const podPath = podSpecPath(mo.object.kind);
    const pod = podPath?.reduce((o: any, k) => o?.[k], mo.object) ?? {};
    const ns = mo.object.metadata.namespace;
    const uses: Array<[string, string]> = [
      ...(pod.serviceAccountName ? [['ServiceAccount', pod.serviceAccountName] as [string, string]] : []),
      ...(pod.volumes ?? []).flatMap((v: any) => (v?.configMap?.name ? [['ConfigMap', v.configMap.name] as [string, string]] : [])),
    ];
    for (const [kind, name] of uses) {
      const dep = d.objects.find((o) => o.object.kind === kind && o.object.metadata.name === name && o.object.metadata.namespace === ns);
      if (app && dep && !dep.object.metadata.annotations?.[HOOK] && appOf(dep) === app && phases.includes('PreSync')) {
        hits.push({ message: `PreSync hook ${mo.ref} uses ${dep.ref}, which the same Application (${app.object.metadata.name}) creates only in its Sync phase: the first sync would fail`, origin: { object: mo, path: [...podPath!, kind === 'ServiceAccount' ? 'serviceAccountName' : 'volumes'] } });
      }
    }
  }
  return hits;
};
