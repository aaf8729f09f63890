// InfluxQL continuous queries as declared in init scripts and as SHOW CONTINUOUS QUERIES prints them:
//   CREATE CONTINUOUS QUERY "rollup_1m" ON "efd" RESAMPLE EVERY 1m FOR 2m BEGIN SELECT mean(*), min(*), max(*)
//     INTO "efd"."downsampled".:MEASUREMENT FROM "efd"."autogen"./^lsst\.sal\./ GROUP BY time(1m), * END
// Both forms parse to the same fields, so drift is judged on meaning (interval, source, target, select
// list), not on quoting or spacing.
import { influxDurationHours } from './pipeline.ts';

export interface ContinuousQuery {
  name: string;
  database: string;
  /** RESAMPLE EVERY, in seconds (defaults to the GROUP BY time interval) */
  everyS: number;
  /** RESAMPLE FOR, in seconds (defaults to the GROUP BY time interval) */
  forS: number;
  /** GROUP BY time(...) in seconds */
  groupByS: number;
  /** the select list, e.g. "mean(*), min(*), max(*)" */
  select: string;
  into: { database?: string; rp?: string; measurement: string };
  /** FROM: a measurement name, or a regex (kept with its slashes: /^lsst\.sal\./) */
  from: { database?: string; rp?: string; measurement: string; regex: boolean };
  /** the rest of GROUP BY after time(...), e.g. "*" */
  groupByRest: string;
  statement: string;
}

const IDENT = String.raw`(?:"((?:[^"\\]|\\.)+)"|([\w.:-]+))`;
const PART = String.raw`(?:"(?:[^"\\]|\\.)+"|/(?:[^/\\]|\\.)+/|[\w:.-]+?)`;

const unq = (a?: string, b?: string) => (a ?? b ?? '').replace(/\\(.)/g, '$1');

/** A duration literal (1m, 90s, 1h30m) in seconds; NaN when malformed. */
export function durationS(text: string): number {
  const h = influxDurationHours(text);
  return h === undefined || !Number.isFinite(h) ? NaN : Math.round(h * 3600 * 1000) / 1000;
}

/** "efd"."autogen".m → parts, honouring quotes and a /regex/ in the last position. */
function splitTarget(text: string): string[] {
  const parts: string[] = [];
  const re = new RegExp(`${PART}(?=\\.|$)`, 'y');
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return [text];
    parts.push(m[0]);
    pos = re.lastIndex + 1; // skip the dot
  }
  return parts;
}

function unquotePart(p: string): string {
  return /^".*"$/.test(p) ? p.slice(1, -1).replace(/\\(.)/g, '$1') : p;
}

/** Parses one CREATE CONTINUOUS QUERY statement; undefined when it is not one. */
export function parseContinuousQuery(statement: string): ContinuousQuery | undefined {
  const text = statement.trim().replace(/\s+/g, ' ');
  const head = new RegExp(`^CREATE CONTINUOUS QUERY ${IDENT} ON ${IDENT}(?: RESAMPLE(?: EVERY (\\w+))?(?: FOR (\\w+))?)? BEGIN (.*) END;?$`, 'i').exec(text);
  if (!head) return undefined;
  const [, n1, n2, d1, d2, every, forText, body] = head;
  const sel = /^SELECT (.+?) INTO (\S+) FROM (\S+)(?: WHERE .+?)? GROUP BY (.+)$/i.exec(body);
  if (!sel) return undefined;
  const [, select, intoText, fromText, groupBy] = sel;
  const gb = /^time\(\s*(\w+)\s*\)\s*(?:,\s*(.*))?$/i.exec(groupBy.trim());
  if (!gb) return undefined;
  const groupByS = durationS(gb[1]);
  const into = splitTarget(intoText).map(unquotePart);
  const from = splitTarget(fromText).map(unquotePart);
  const last = (a: string[]) => a[a.length - 1];
  return {
    name: unq(n1, n2),
    database: unq(d1, d2),
    everyS: every ? durationS(every) : groupByS,
    forS: forText ? durationS(forText) : groupByS,
    groupByS,
    select: select.replace(/\s*,\s*/g, ', ').replace(/(\w+)\s*\(/g, (_, f: string) => `${f.toLowerCase()}(`).trim(),
    into: { database: into.length === 3 ? into[0] : undefined, rp: into.length >= 2 ? into[into.length - 2] : undefined, measurement: last(into) },
    from: { database: from.length === 3 ? from[0] : undefined, rp: from.length >= 2 ? from[from.length - 2] : undefined, measurement: last(from), regex: /^\/.*\/$/.test(last(from)) },
    groupByRest: (gb[2] ?? '').replace(/\s*,\s*/g, ', ').trim(),
    statement: statement.trim(),
  };
}

const cqLines = (script: string) => script.split(/\n/).map((s) => s.trim()).filter((s) => /^CREATE\s+CONTINUOUS\s+QUERY\b/i.test(s));

/** The CQ statements of an init script, in order (one statement per line). */
export function continuousQueries(script: string): ContinuousQuery[] {
  return cqLines(script).map((s) => parseContinuousQuery(s)).filter((q): q is ContinuousQuery => q !== undefined);
}

/** CREATE CONTINUOUS QUERY lines this parser cannot read (a CQ split over lines, a form it does not know). */
export function unreadableCqs(script: string): string[] {
  return cqLines(script).filter((s) => !parseContinuousQuery(s));
}

/** The source measurement a CQ reads, as a RegExp (a plain name matches itself only). */
export function sourcePattern(q: ContinuousQuery): RegExp | undefined {
  if (!q.from.regex) return new RegExp(`^${q.from.measurement.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  try {
    return new RegExp(q.from.measurement.slice(1, -1));
  } catch {
    return undefined;
  }
}

/** The rolled-up measurement a CQ writes for a source measurement (`:MEASUREMENT` keeps the name). */
export function targetMeasurement(q: ContinuousQuery, source: string): string {
  return q.into.measurement === ':MEASUREMENT' ? source : q.into.measurement;
}

const FIELDS: Array<[string, (q: ContinuousQuery) => string]> = [
  ['database', (q) => q.database],
  ['RESAMPLE EVERY', (q) => `${q.everyS}s`],
  ['RESAMPLE FOR', (q) => `${q.forS}s`],
  ['GROUP BY time', (q) => `${q.groupByS}s`],
  ['GROUP BY', (q) => q.groupByRest],
  ['SELECT', (q) => q.select],
  ['INTO', (q) => [q.into.database ?? q.database, q.into.rp ?? '(default)', q.into.measurement].join('.')],
  ['FROM', (q) => [q.from.database ?? q.database, q.from.rp ?? '(default)', q.from.measurement].join('.')],
];

/** Every way two CQs of the same name differ: "GROUP BY time: declared 60s, live 300s". */
export function cqDifferences(declared: ContinuousQuery, live: ContinuousQuery): string[] {
  return FIELDS.flatMap(([label, get]) => {
    const [a, b] = [get(declared), get(live)];
    return a === b ? [] : [`${label}: declared ${a}, live ${b}`];
  });
}
