// Where is each topic: Summit Kafka, LDF Kafka, InfluxDB measurement. Judged only for topics that hold (or
// held) records at the Summit: an empty topic has nothing to lose.

export interface CoverageInput {
  /** Summit topics in scope → high watermark summed over partitions (0 = never had a record) */
  summit: Map<string, number>;
  ldf: Set<string>;
  measurements: Set<string>;
  /** topics whose oldest record is younger than the grace period (may still be on their way) */
  young: Set<string>;
}

export interface CoverageVerdict {
  judged: number;
  missingAtLdf: string[];
  missingInInflux: string[];
  pending: string[];
  onlyLdf: string[];
  onlyInflux: string[];
  empty: number;
}

export function evaluateCoverage(i: CoverageInput, inScope: (t: string) => boolean): CoverageVerdict {
  const v: CoverageVerdict = { judged: 0, missingAtLdf: [], missingInInflux: [], pending: [], onlyLdf: [], onlyInflux: [], empty: 0 };
  for (const [topic, high] of i.summit) {
    if (high <= 0) {
      v.empty++;
      continue;
    }
    const atLdf = i.ldf.has(topic);
    const inInflux = i.measurements.has(topic);
    if (atLdf && inInflux) {
      v.judged++;
      continue;
    }
    if (i.young.has(topic)) {
      v.pending.push(topic);
      continue;
    }
    v.judged++;
    if (!atLdf) v.missingAtLdf.push(topic);
    if (!inInflux) v.missingInInflux.push(topic);
  }
  v.onlyLdf = [...i.ldf].filter((t) => inScope(t) && !i.summit.has(t)).sort();
  v.onlyInflux = [...i.measurements].filter((t) => inScope(t) && !i.summit.has(t)).sort();
  v.missingAtLdf.sort();
  v.missingInInflux.sort();
  v.pending.sort();
  return v;
}
