// Argo CD structure (every object deployed by an Application), the efd-health profile's endpoints, and
// the exemptions themselves.
import { dirname } from 'node:path';
import { KNOWN_CHARTS } from '../../model/charts.ts';
import { directoryApps, findService, folderMatches, lineInBlock, parseInClusterAddress } from '../context.ts';
import { isValid, MIN_REASON, NOT_EXEMPTABLE } from '../exemptions.ts';
import type { Hit, Template } from '../types.ts';

export const argocd_apps: Template = ({ d, appOf }) => {
  const hits: Hit[] = [];
  const folders = new Set(d.objects.map((o) => dirname(o.file)));
  for (const { app, path } of directoryApps(d)) {
    if (![...folders].some((f) => folderMatches(path, f))) {
      hits.push({ message: `${app.ref} syncs ${path}, a folder with no manifests here`, origin: { object: app, path: ['spec', 'source', 'path'] } });
    }
  }
  for (const { app, chart } of d.installedCharts) {
    if (!KNOWN_CHARTS.includes(chart)) {
      hits.push({ message: `${app.ref} installs chart ${chart}, which the gate cannot read (known: ${KNOWN_CHARTS.join(', ')}); its pods, images and volumes would go unchecked`, origin: { object: app, path: ['spec', app.object.spec?.sources ? 'sources' : 'source'] }, keys: [chart] });
    }
  }
  for (const mo of d.objects) {
    // Applications at the top are roots (applied by hand, like the parent app); everything else needs an app
    if (mo.object.kind === 'Application' && dirname(mo.file) === '.') continue;
    if (!appOf(mo)) hits.push({ message: `${mo.ref} (${mo.file}) is in a folder no Application syncs, so Argo CD never deploys it`, origin: { object: mo, path: [] } });
  }
  return hits;
};

/** Value files Argo CD would pass to Helm that are missing, or that the gate cannot read offline. */
export const value_files: Template = ({ d }) => d.valueFileIssues.map((i) => ({ message: i.message, origin: i.origin, keys: i.keys }));

export const profile_endpoints: Template = ({ d, profile }) => {
  if (!profile) return [{ message: 'no efd-health profile ConfigMap (labels app.kubernetes.io/name=efd-health, app.kubernetes.io/component=profile) in the manifests' }];
  const p = profile.data;
  const endpoints: Array<[string, unknown]> = [
    ...((p.kafka?.ldf?.bootstrap ?? []) as string[]).map((b): [string, unknown] => ['kafka.ldf.bootstrap', b]),
    ['registry.ldf.url', p.registry?.ldf?.url],
    ['connect.url', p.connect?.url],
    ['influxdb.url', p.influxdb?.url],
    ['report.influxdb.url', p.report?.influxdb?.url],
  ];
  const at = (value: string) => lineInBlock(profile.origin.object, profile.origin.path, value);
  return endpoints.flatMap(([key, value]) => {
    if (typeof value !== 'string' || !value) return key === 'report.influxdb.url' ? [] : [{ message: `the efd-health profile has no ${key}`, origin: profile.origin }];
    const a = parseInClusterAddress(value);
    if (!a) return [];
    const svc = findService(d, a.name, a.namespace);
    if (!svc) return [{ message: `the efd-health profile's ${key} ${value} names Service ${a.namespace}/${a.name}, which the manifests do not create`, origin: profile.origin, line: at(value) }];
    if (a.port !== undefined && !svc.ports.some((x) => x.port === a.port)) return [{ message: `the efd-health profile's ${key} ${value} uses port ${a.port}; Service ${a.namespace}/${a.name} exposes ${svc.ports.map((x) => x.port).join(', ')}`, origin: profile.origin, line: at(value) }];
    return [];
  });
};

export const exemption_reasons: Template = ({ exemptions, ruleIds }) =>
  exemptions.flatMap((e) => {
    const origin = { object: e.object, path: ['metadata', 'annotations', e.annotation] };
    const keys = [e.rule];
    if (!ruleIds.includes(e.rule)) return [{ message: `${e.object.ref} exempts itself from ${e.rule}, which is not a rule (see efd-health list)`, origin, keys }];
    if (NOT_EXEMPTABLE.includes(e.rule)) return [{ message: `${e.object.ref} exempts itself from ${e.rule}, which cannot be exempted`, origin, keys }];
    const hits: Hit[] = [];
    if (!e.keys.length) hits.push({ message: `${e.object.ref}'s exemption from ${e.rule} names no finding keys (keys: […]); it would excuse nothing`, origin, keys });
    if (e.reason.length < MIN_REASON) hits.push({ message: `${e.object.ref} is exempted from ${e.rule} without a written reason`, origin, keys });
    return hits;
  });

/** Runs after every other rule: a listed key that excused no finding is stale, like an unused `# noqa`. */
export const exemption_stale: Template = ({ exemptions, ruleIds }) =>
  exemptions
    .filter((e) => isValid(e, ruleIds))
    .flatMap((e) =>
      e.keys
        .filter((k) => !e.used.has(k))
        .map((k) => ({
          message: `${e.object.ref}'s exemption from ${e.rule} lists ${k}, which no finding of that rule on this object has any more; drop it from keys`,
          origin: { object: e.object, path: ['metadata', 'annotations', e.annotation] }, keys: [`${e.rule} ${k}`],
        })),
    );
