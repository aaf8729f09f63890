// InfluxDB databases and retention policies as the manifests declare them: InfluxQL statements in a
// ConfigMap data key ending in `.iql` (what the influxdb Helm chart's initScripts mount), e.g.
//   CREATE DATABASE efd WITH DURATION 4380h REPLICATION 1 SHARD DURATION 7d NAME autogen
//   CREATE RETENTION POLICY "mid_term" ON "efd" DURATION 26w REPLICATION 1 DEFAULT
import { loadObjects } from './k8s.ts';

export interface RetentionDecl {
  database: string;
  policy: string;
  /** duration in hours; 0 = infinite (INF) */
  hours: number;
  isDefault: boolean;
  file: string;
  line: number;
}

const UNIT_HOURS: Record<string, number> = { h: 1, d: 24, w: 168, m: 1 / 60, s: 1 / 3600 };

/** InfluxQL duration literal (`4380h`, `26w`, `180d`, `INF`) → hours (0 for INF). */
export function durationHours(text: string): number {
  if (/^inf$/i.test(text)) return 0;
  let total = 0;
  const re = /(\d+)(w|d|h|m|s)/g;
  let m: RegExpExecArray | null;
  let matched = '';
  while ((m = re.exec(text))) {
    total += Number(m[1]) * UNIT_HOURS[m[2]];
    matched += m[0];
  }
  if (matched !== text) throw new Error(`not an InfluxQL duration: ${text}`);
  return total;
}

const unq = (s: string) => s.replace(/^"|"$/g, '');

export function parseRetention(iql: string, file: string, line: number): RetentionDecl[] {
  const out: RetentionDecl[] = [];
  for (const stmt of iql.split(/;|\n/).map((s) => s.trim()).filter(Boolean)) {
    let m = /^CREATE\s+DATABASE\s+("?[\w.-]+"?)(.*)$/i.exec(stmt);
    if (m) {
      const rest = m[2];
      const dur = /DURATION\s+(\w+)/i.exec(rest);
      const name = /NAME\s+("?[\w.-]+"?)/i.exec(rest);
      out.push({ database: unq(m[1]), policy: name ? unq(name[1]) : 'autogen', hours: dur ? durationHours(dur[1]) : 0, isDefault: true, file, line });
      continue;
    }
    m = /^CREATE\s+RETENTION\s+POLICY\s+("?[\w.-]+"?)\s+ON\s+("?[\w.-]+"?)\s+DURATION\s+(\w+)(.*)$/i.exec(stmt);
    if (m) out.push({ database: unq(m[2]), policy: unq(m[1]), hours: durationHours(m[3]), isDefault: /\bDEFAULT\b/i.test(m[4]), file, line });
  }
  return out;
}

export function loadRetention(dir: string): RetentionDecl[] {
  const out: RetentionDecl[] = [];
  for (const { object, file, line } of loadObjects(dir)) {
    if (object.kind !== 'ConfigMap') continue;
    for (const [key, value] of Object.entries<string>(object.data ?? {}))
      if (key.endsWith('.iql')) out.push(...parseRetention(value, file, line));
  }
  return out;
}

/** The default retention policy of a database, as declared. */
export function defaultRetention(decls: RetentionDecl[], database: string): RetentionDecl | undefined {
  const forDb = decls.filter((d) => d.database === database);
  return forDb.filter((d) => d.isDefault).pop() ?? forDb[0];
}
