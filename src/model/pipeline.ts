// The pipeline semantics the gate needs from connector configs: which topics MirrorMaker 2 copies and
// under which name, which topics a sink subscribes to, KCQL statements, and InfluxQL retention.

/** Kafka Connect and MM2 take Java regexes that must match the whole topic name. */
export function fullMatch(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return undefined;
  }
}

function regexList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

const MM2_DEFAULT_EXCLUDE = '.*[\\-\\.]internal,.*\\.replica,__.*';

/** MirrorSourceConnector: does this source topic get replicated (DefaultTopicFilter semantics)? */
export function mm2Replicates(config: Record<string, string>, topic: string): boolean {
  const include = regexList(config['topics'] ?? '.*');
  const exclude = regexList(config['topics.exclude'] ?? config['topics.blacklist'] ?? MM2_DEFAULT_EXCLUDE);
  const hit = (list: string[]) => list.some((p) => fullMatch(p)?.test(topic));
  return hit(include) && !hit(exclude);
}

/** The name a replicated topic gets on the target cluster under the connector's replication policy. */
export function mm2TargetName(config: Record<string, string>, topic: string): string {
  const policy = config['replication.policy.class'] ?? 'org.apache.kafka.connect.mirror.DefaultReplicationPolicy';
  if (policy.endsWith('.IdentityReplicationPolicy')) return topic;
  const alias = config['source.cluster.alias'] ?? '';
  const sep = config['replication.policy.separator'] ?? '.';
  return alias === '' && sep === '' ? topic : `${alias}${sep}${topic}`;
}

/** A sink connector's subscription: `topics` (a list) or `topics.regex`. */
export function sinkSubscribes(config: Record<string, string>, topic: string): boolean {
  if (config['topics.regex'] !== undefined) return fullMatch(config['topics.regex'])?.test(topic) ?? false;
  return regexList(config['topics']).includes(topic);
}

export interface KcqlStatement {
  text: string;
  into: string;
  from: string;
  timestamp?: string;
  timestampUnit?: string;
}

const unquote = (s: string) => s.replace(/^`(.*)`$/, '$1');

export function parseKcql(kcql: string | undefined): KcqlStatement[] {
  return (kcql ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((text) => {
      const m = /^INSERT\s+INTO\s+(\S+)\s+SELECT\s+.+?\s+FROM\s+(\S+)(.*)$/is.exec(text);
      const rest = m?.[3] ?? '';
      return {
        text,
        into: m ? unquote(m[1]) : '',
        from: m ? unquote(m[2]) : '',
        timestamp: /WITHTIMESTAMP\s+(\S+)/i.exec(rest)?.[1],
        timestampUnit: /TIMESTAMPUNIT\s*=\s*(\w+)/i.exec(rest)?.[1]?.toUpperCase(),
      };
    });
}

/**
 * The KCQL statement that handles a topic. One statement per topic is the connector's own form; `*` stands
 * for "each subscribed topic", the template kafka-connect-manager expanded per topic at the EFD.
 */
export function kcqlFor(statements: KcqlStatement[], topic: string): KcqlStatement | undefined {
  return statements.find((s) => s.from === topic) ?? statements.find((s) => s.from === '*');
}

// ---- InfluxQL retention --------------------------------------------------------------------------

const UNIT_HOURS: Record<string, number> = { ns: 1 / 3.6e12, u: 1 / 3.6e9, 'µ': 1 / 3.6e9, ms: 1 / 3.6e6, s: 1 / 3600, m: 1 / 60, h: 1, d: 24, w: 168 };

/** An InfluxQL duration in hours (Infinity for INF or 0), or undefined when malformed. */
export function influxDurationHours(text: string): number | undefined {
  if (/^(INF|0[a-z]*)$/i.test(text)) return Infinity;
  const parts = [...text.matchAll(/(\d+)(ns|u|µ|ms|s|m|h|d|w)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((acc, p) => acc + Number(p[1]) * UNIT_HOURS[p[2]], 0);
}

export interface RetentionPolicy {
  database: string;
  name: string;
  duration: string;
  hours: number | undefined;
  isDefault: boolean;
  /** SHARD DURATION as written, when the statement gives one */
  shardDuration?: string;
  statement: string;
}

const ident = String.raw`(?:"([^"]+)"|(\w+))`;

/** Retention policies created by InfluxQL init statements, in order; later statements win. */
export function retentionPolicies(script: string): RetentionPolicy[] {
  const rps: RetentionPolicy[] = [];
  const setDefault = (db: string, name: string) => rps.forEach((r) => r.database === db && (r.isDefault = r.name === name));
  for (const raw of script.split(/;|\n/).map((s) => s.trim()).filter(Boolean)) {
    let m = new RegExp(`^CREATE\\s+DATABASE\\s+${ident}(.*)$`, 'i').exec(raw);
    if (m) {
      const db = m[1] ?? m[2];
      const rest = m[3];
      const dur = /DURATION\s+(\S+)/i.exec(rest.replace(/SHARD\s+DURATION\s+\S+/i, ''))?.[1] ?? 'INF';
      const name = new RegExp(`NAME\\s+${ident}`, 'i').exec(rest);
      const rpName = name ? (name[1] ?? name[2]) : 'autogen';
      rps.push({ database: db, name: rpName, duration: dur, hours: influxDurationHours(dur), isDefault: false, shardDuration: /SHARD\s+DURATION\s+(\S+)/i.exec(rest)?.[1], statement: raw });
      setDefault(db, rpName);
      continue;
    }
    m = new RegExp(`^(CREATE|ALTER)\\s+RETENTION\\s+POLICY\\s+${ident}\\s+ON\\s+${ident}(.*)$`, 'i').exec(raw);
    if (m) {
      const [, verb, n1, n2, d1, d2, rest] = m;
      const name = n1 ?? n2;
      const db = d1 ?? d2;
      const dur = /(?<!SHARD\s+)DURATION\s+(\S+)/i.exec(rest)?.[1];
      const shard = /SHARD\s+DURATION\s+(\S+)/i.exec(rest)?.[1];
      let rp = rps.find((r) => r.database === db && r.name === name);
      if (!rp || verb.toUpperCase() === 'CREATE') {
        rp = { database: db, name, duration: dur ?? 'INF', hours: influxDurationHours(dur ?? 'INF'), isDefault: false, shardDuration: shard, statement: raw };
        rps.push(rp);
      } else {
        if (dur) {
          rp.duration = dur;
          rp.hours = influxDurationHours(dur);
        }
        if (shard) rp.shardDuration = shard;
        rp.statement = raw;
      }
      if (/\bDEFAULT\b/i.test(rest)) setDefault(db, name);
    }
  }
  return rps;
}
