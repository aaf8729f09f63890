// Judging InfluxDB facts: version floor, retention against the manifests.

/** Compares dotted versions numerically ("1.8.10" > "1.8.5"); a leading "v" and suffixes ("-rc0") are ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^v/i, '').split(/[.-]/).map((x) => parseInt(x, 10)).map((n) => (Number.isFinite(n) ? n : 0));
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** InfluxDB's SHOW RETENTION POLICIES duration ("4380h0m0s", "0s" = infinite) → hours. */
export function influxDurationHours(text: string): number {
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(h|m|s)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) total += Number(m[1]) * (m[2] === 'h' ? 1 : m[2] === 'm' ? 1 / 60 : 1 / 3600);
  return total;
}

export interface LivePolicy {
  name: string;
  hours: number;
  shardHours: number;
  isDefault: boolean;
}

/** Rows of SHOW RETENTION POLICIES (columns name, duration, shardGroupDuration, replicaN, default). */
export function parseRetentionRows(columns: string[], values: unknown[][]): LivePolicy[] {
  const i = (c: string) => columns.indexOf(c);
  return values.map((row) => ({
    name: String(row[i('name')]),
    hours: influxDurationHours(String(row[i('duration')])),
    shardHours: influxDurationHours(String(row[i('shardGroupDuration')] ?? '')),
    isDefault: row[i('default')] === true,
  }));
}

export function hoursText(h: number): string {
  if (h === 0) return 'infinite';
  if (h % 24 === 0) return `${h}h (${h / 24} days)`;
  return `${h}h`;
}
