// Facts several rules share: the efd-health profile the manifests carry, which Application syncs an
// object, and how an in-cluster address maps to a Service.
import { dirname } from 'node:path';
import { parse } from 'yaml';
import type { Deployment, ServiceFact } from '../model/deployment.ts';
import type { ManifestObject } from '../model/manifest-set.ts';
import { chartOf } from '../model/charts.ts';
import type { GateContext } from './types.ts';

/** The efd-health profile: a ConfigMap labelled app.kubernetes.io/name=efd-health, component=profile. */
export function findProfile(d: Deployment): GateContext['profile'] {
  for (const mo of d.objects) {
    const o = mo.object;
    const labels = o.metadata.labels ?? {};
    if (o.kind !== 'ConfigMap' || labels['app.kubernetes.io/name'] !== 'efd-health' || labels['app.kubernetes.io/component'] !== 'profile') continue;
    const [key, text] = Object.entries(o.data ?? {})[0] ?? [];
    if (!key) continue;
    try {
      const data = parse(String(text));
      if (data && typeof data === 'object') return { data, origin: { object: mo, path: ['data', key] } };
    } catch {
      // a profile that does not parse is reported by profile.endpoints as missing
    }
  }
  return undefined;
}

/** Directory Applications (no chart) and the folder each syncs, as written in spec.source.path. */
export function directoryApps(d: Deployment): Array<{ app: ManifestObject; path: string }> {
  return d.objects
    .filter((mo) => mo.object.kind === 'Application' && !chartOf(mo.object) && mo.object.spec?.source?.path)
    .map((app) => ({ app, path: String(app.object.spec.source.path).replace(/\/+$/, '') }));
}

/** The manifests folder (relative to the manifests root) an Application path designates, if present. */
export function folderMatches(appPath: string, relDir: string): boolean {
  if (relDir === '.') return false;
  return appPath === relDir || appPath.endsWith(`/${relDir}`);
}

/** The namespace an object lands in: its own, else its Application's destination namespace (Argo CD). */
export function namespaceOf(mo: ManifestObject, appOf: (o: ManifestObject) => ManifestObject | undefined): string {
  return mo.object.metadata.namespace ?? appOf(mo)?.object.spec?.destination?.namespace ?? 'default';
}

export function makeAppOf(d: Deployment): (o: ManifestObject) => ManifestObject | undefined {
  const apps = directoryApps(d);
  return (o) => apps.find((a) => folderMatches(a.path, dirname(o.file)))?.app;
}

/**
 * The line of `needle` inside a multi-line string value (a block scalar like a ConfigMap's embedded YAML),
 * or undefined when it is not there.
 */
export function lineInBlock(mo: ManifestObject, path: Array<string | number>, needle: string): number | undefined {
  const text = path.reduce((o: any, k) => o?.[k], mo.object);
  if (typeof text !== 'string') return undefined;
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  // a block scalar starts on the line after its key
  return i < 0 ? undefined : mo.lineAt(path) + 1 + i;
}

/** `name.namespace[.svc[.cluster.local]][:port]` or a URL → the Service it designates, if in-cluster. */
export function parseInClusterAddress(address: string): { name: string; namespace: string; port?: number } | undefined {
  let hostPort = address.trim().replace(/^[A-Z]+:\/\//i, '').replace(/\/.*$/, '');
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?(?::(\d+))?$/.exec(hostPort);
  if (!m) return undefined;
  let port = m[3] ? Number(m[3]) : undefined;
  if (port === undefined && /^https:/i.test(address)) port = 443;
  if (port === undefined && /^http:/i.test(address)) port = 80;
  return { name: m[1], namespace: m[2], port };
}

export function findService(d: Deployment, name: string, namespace: string): ServiceFact | undefined {
  return d.services.find((s) => s.name === name && s.namespace === namespace);
}
