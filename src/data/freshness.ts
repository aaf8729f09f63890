// Two freshness questions per topic: is the producer still publishing (source), and does InfluxDB hold what
// the Summit holds (sink). Times in ms.

export interface SourceStale {
  topic: string;
  /** ms since the newest record known (Summit Kafka, else InfluxDB's newest point) */
  ageMs: number;
}

/**
 * Live topics whose newest record is older than maxAgeMs. The newest record is the Summit's last offset; when
 * Kafka holds no record any more (retention), InfluxDB's newest point stands in. Topics with neither are
 * counted as `unknown` (never published), not judged.
 */
export function staleSources(
  topics: string[],
  newestAtSummit: Map<string, number>,
  newestInInflux: Map<string, number>,
  now: number,
  maxAgeMs: number,
): { stale: SourceStale[]; judged: number; unknown: string[] } {
  const stale: SourceStale[] = [];
  const unknown: string[] = [];
  let judged = 0;
  for (const topic of topics) {
    const newest = newestAtSummit.get(topic) ?? newestInInflux.get(topic);
    if (newest === undefined) {
      unknown.push(topic);
      continue;
    }
    judged++;
    const ageMs = now - newest;
    if (ageMs > maxAgeMs) stale.push({ topic, ageMs });
  }
  stale.sort((a, b) => b.ageMs - a.ageMs);
  return { stale, judged, unknown };
}

export interface SinkBehind {
  topic: string;
  /** newest at Summit − newest in InfluxDB */
  gapMs: number;
  /** how long the Summit's newest record has waited */
  waitingMs: number;
}

/**
 * Topics whose newest point in InfluxDB is more than maxGapMs older than the Summit's newest record, once
 * that record has had maxGapMs to arrive (a record produced a moment ago is in flight, not late).
 * Topics without a measurement are data.topics.coverage's business and are skipped here.
 */
export function sinkBehind(
  newestAtSummit: Map<string, number>,
  newestInInflux: Map<string, number>,
  now: number,
  maxGapMs: number,
): { behind: SinkBehind[]; judged: number; inFlight: number } {
  const behind: SinkBehind[] = [];
  let judged = 0;
  let inFlight = 0;
  for (const [topic, summit] of newestAtSummit) {
    const influx = newestInInflux.get(topic);
    if (influx === undefined) continue;
    judged++;
    const gapMs = summit - influx;
    if (gapMs <= maxGapMs) continue;
    const waitingMs = now - summit;
    if (waitingMs <= maxGapMs) {
      inFlight++;
      continue;
    }
    behind.push({ topic, gapMs, waitingMs });
  }
  behind.sort((a, b) => b.gapMs - a.gapMs);
  return { behind, judged, inFlight };
}
