// Records at the Summit in a time window against points in InfluxDB in the same window.

export interface WindowCounts {
  topic: string;
  /** records at the Summit whose timestamp falls in the window (offset difference) */
  records: number;
  /** points in InfluxDB whose time falls in the window */
  points: number;
  /** the sink has not consumed past the window end yet: judged by data.sink.lag, not here */
  pending: boolean;
}

export interface Incomplete {
  topic: string;
  records: number;
  points: number;
  ratio: number;
}

export interface CompletenessVerdict {
  judged: number;
  pending: number;
  records: number;
  points: number;
  /** Σ points / Σ records over judged topics (1 when there were no records) */
  ratio: number;
  incomplete: Incomplete[];
}

/** Per topic, points/records below minRatio is incomplete. Points above records (clock edges) count as complete. */
export function evaluateCompleteness(rows: WindowCounts[], minRatio: number): CompletenessVerdict {
  const v: CompletenessVerdict = { judged: 0, pending: 0, records: 0, points: 0, ratio: 1, incomplete: [] };
  for (const r of rows) {
    if (r.records <= 0) continue;
    if (r.pending) {
      v.pending++;
      continue;
    }
    v.judged++;
    const points = Math.min(r.points, r.records);
    v.records += r.records;
    v.points += points;
    const ratio = points / r.records;
    if (ratio < minRatio) v.incomplete.push({ topic: r.topic, records: r.records, points: r.points, ratio });
  }
  v.ratio = v.records ? v.points / v.records : 1;
  v.incomplete.sort((a, b) => a.ratio - b.ratio);
  return v;
}
