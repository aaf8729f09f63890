// InfluxDB databases and retention policies as the manifests declare them, as InfluxQL init statements:
// either in a ConfigMap data key ending in `.iql`, or in an Argo CD Application's helm values under
// `initScripts.scripts.<name>.iql` (the influxdb chart's initScripts), e.g.
//   CREATE DATABASE efd WITH DURATION 4380h REPLICATION 1 SHARD DURATION 7d NAME autogen
import { parse } from 'yaml';
import { loadObjects, type K8sObject } from './k8s.ts';
import { retentionPolicies } from './pipeline.ts';

export interface RetentionDecl {
  database: string;
  policy: string;
  /** duration in hours; 0 = infinite (INF) */
  hours: number;
  isDefault: boolean;
  file: string;
  line: number;
}

function helmValues(app: K8sObject): any {
  const helm = app.spec?.source?.helm;
  if (helm?.valuesObject) return helm.valuesObject;
  if (typeof helm?.values === 'string') {
    try {
      return parse(helm.values);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Every InfluxQL init script in an object. */
function initScripts(object: K8sObject): string[] {
  if (object.kind === 'ConfigMap')
    return Object.entries<string>(object.data ?? {}).filter(([k]) => k.endsWith('.iql')).map(([, v]) => v);
  if (object.kind === 'Application') {
    const scripts = helmValues(object)?.initScripts?.scripts ?? {};
    return Object.entries<string>(scripts).filter(([k]) => k.endsWith('.iql')).map(([, v]) => String(v));
  }
  return [];
}

export function loadRetention(dir: string): RetentionDecl[] {
  const out: RetentionDecl[] = [];
  for (const { object, file, line } of loadObjects(dir))
    for (const script of initScripts(object))
      for (const rp of retentionPolicies(script))
        out.push({
          database: rp.database,
          policy: rp.name,
          hours: rp.hours === undefined || rp.hours === Infinity ? 0 : rp.hours,
          isDefault: rp.isDefault,
          file,
          line,
        });
  return out;
}

/** The default retention policy of a database, as declared. */
export function defaultRetention(decls: RetentionDecl[], database: string): RetentionDecl | undefined {
  const forDb = decls.filter((d) => d.database === database);
  return forDb.filter((d) => d.isDefault).pop() ?? forDb[0];
}
