// InfluxDB databases and retention policies as the manifests declare them, as InfluxQL init statements:
// either in a ConfigMap data key ending in `.iql`, or in the helm values of an Argo CD Application (inline or
// in value files) under `initScripts.scripts.<name>.iql` (the influxdb chart's initScripts), e.g.
//   CREATE DATABASE efd WITH DURATION 4380h REPLICATION 1 SHARD DURATION 7d NAME autogen
import { relative } from 'node:path';
import { buildDeployment, type Origin } from './deployment.ts';
import { loadManifestSet } from './manifest-set.ts';
import { retentionPolicies } from './pipeline.ts';
import { continuousQueries, unreadableCqs, type ContinuousQuery } from './cq.ts';
import { InputError } from '../errors.ts';

export interface RetentionDecl {
  database: string;
  policy: string;
  /** duration in hours; 0 = infinite (INF) */
  hours: number;
  isDefault: boolean;
  /** SHARD DURATION as declared, if given */
  shardDuration?: string;
  file: string;
  line: number;
}

/**
 * Every `.iql` init script: ConfigMap data keys, and the influxdb chart's initScripts.scripts in the values
 * as Argo CD renders them (value files, values, valuesObject), each with the file and line that set it.
 */
export function loadRetention(dir: string): RetentionDecl[] {
  return initScripts(dir).flatMap(({ text, file, line }) =>
    retentionPolicies(text).map((rp) => ({
      database: rp.database,
      policy: rp.name,
      hours: rp.hours === undefined || rp.hours === Infinity ? 0 : rp.hours,
      isDefault: rp.isDefault,
      shardDuration: rp.shardDuration,
      file,
      line,
    })),
  );
}

export interface CqDecl extends ContinuousQuery {
  file: string;
  line: number;
}

/** Every continuous query the init scripts create (phase 2: roll-ups). */
export function loadContinuousQueries(dir: string): CqDecl[] {
  return initScripts(dir).flatMap(({ text, file, line }) => {
    const bad = unreadableCqs(text);
    if (bad.length) throw new InputError(`${file}:${line}: cannot read the continuous query "${bad[0].slice(0, 100)}…": write CREATE CONTINUOUS QUERY … BEGIN SELECT … INTO … FROM … GROUP BY time(…) … END on one line`);
    return continuousQueries(text).map((q) => ({ ...q, file, line }));
  });
}

/** The `.iql` init scripts with the file and line that set each. */
export function initScripts(dir: string): Array<{ text: string; file: string; line: number }> {
  const set = loadManifestSet(dir);
  const d = buildDeployment(set);
  const scripts: Array<{ text: string; origin: Origin }> = [];
  for (const mo of set.objects) {
    if (mo.object.kind !== 'ConfigMap') continue;
    for (const [k, v] of Object.entries<string>(mo.object.data ?? {})) if (k.endsWith('.iql')) scripts.push({ text: String(v), origin: { object: mo, path: ['data', k] } });
  }
  for (const c of d.chartValues) {
    for (const [k, v] of Object.entries<string>(c.values?.initScripts?.scripts ?? {})) {
      if (k.endsWith('.iql')) scripts.push({ text: String(v), origin: { object: c.origin.object, path: [...c.origin.path, 'initScripts', 'scripts', k] } });
    }
  }
  return scripts.map(({ text, origin }) => {
    const at = d.locate(origin);
    return { text, file: relative(set.root, at.abs), line: at.line };
  });
}

/** The default retention policy of a database, as declared. */
export function defaultRetention(decls: RetentionDecl[], database: string): RetentionDecl | undefined {
  const forDb = decls.filter((d) => d.database === database);
  return forDb.filter((d) => d.isDefault).pop() ?? forDb[0];
}
