// Per-marker, per-hop tracker (KMinion's message tracker with an SLA-bound expiry, Xinfra's outcomes):
// insert on produce ack, mark each sighting, and at the end classify every marker per hop as
// arrived (within the SLA), late (after the SLA, before the deadline) or lost (not by the deadline);
// a second sighting at LDF Kafka is a duplicate. One ledger serves every hop, so the hops cannot contradict
// each other: a marker seen at a later hop was not lost at an earlier one, only unobserved there.
// All times are the runner's own monotonic clock (ms).

export interface TrackerOptions {
  /** replication hop (produce ack → seen at LDF Kafka) SLA */
  replicationSlaMs: number;
  /** end to end (produce ack → first InfluxDB query that returns it) SLA */
  e2eSlaMs: number;
  /** a marker not seen by ack + deadline is lost (for both hops) */
  deadlineMs: number;
}

export interface Sighting {
  at: number;
  partition: number;
  offset: string;
}

export interface MarkerState {
  id: number;
  partition: number;
  /** when send() was called */
  sentAt: number;
  ackAt?: number;
  sendError?: string;
  /** µs since the epoch InfluxDB must show as the time */
  efdUs: number;
  ldf: Sighting[];
  influxAt?: number;
  /** time InfluxDB returned for the point, µs */
  influxTimeUs?: number;
}


export interface HopReport {
  /** markers this hop was asked to carry */
  expected: number;
  arrived: number;
  late: number;
  lost: number;
  /** not seen at this hop, yet seen at a later one: it passed, untimed (the tail lost sight of the topic) */
  unobserved: number;
  /** the longest a lost marker was waited for (ms after its ack): the deadline, unless the run ended first */
  waitedMs?: number;
  latenciesMs: number[];
  /** [ms since the first send, latency ms] */
  timeline: Array<[number, number]>;
  /** marker ids per outcome, for evidence */
  lostIds: number[];
  lateIds: number[];
  unobservedIds: number[];
}

export interface TrackerReport {
  sent: number;
  sendFailed: number;
  replication: HopReport;
  sink: HopReport;
  e2e: HopReport;
  duplicates: number;
  duplicateIds: number[];
  /** records on the marker topic that were not this run's markers (other runs, other producers) */
  foreign: number;
  /** markers whose InfluxDB time differs from private_efdStamp (µs) */
  timeMismatches: Array<{ id: number; expected_us: number; got_us: number }>;
  /** time of the last arrival anywhere, and the first send */
  firstSentAt?: number;
  lastArrivalAt?: number;
}

const emptyHop = (): HopReport => ({
  expected: 0, arrived: 0, late: 0, lost: 0, unobserved: 0, latenciesMs: [], timeline: [], lostIds: [], lateIds: [], unobservedIds: [],
});

export class MarkerTracker {
  private readonly markers = new Map<number, MarkerState>();
  private foreign = 0;

  constructor(
    readonly runId: string,
    readonly opts: TrackerOptions,
  ) {}

  sent(id: number, partition: number, at: number, efdUs: number): void {
    this.markers.set(id, { id, partition, sentAt: at, efdUs, ldf: [] });
  }

  acked(id: number, at: number): void {
    const m = this.markers.get(id);
    if (m) m.ackAt = at;
  }

  failed(id: number, error: string): void {
    const m = this.markers.get(id);
    if (m) m.sendError = error;
  }

  /** A record read at LDF Kafka. Records of another run, or unknown ids, only count as foreign. */
  seenAtLdf(runId: string | undefined, id: number | undefined, s: Sighting): 'first' | 'duplicate' | 'foreign' {
    const m = runId === this.runId && id !== undefined ? this.markers.get(id) : undefined;
    if (!m) {
      this.foreign++;
      return 'foreign';
    }
    // the same offset read again (a consumer re-fetch) is not a second delivery
    if (m.ldf.some((x) => x.partition === s.partition && x.offset === s.offset)) return 'duplicate';
    m.ldf.push(s);
    return m.ldf.length === 1 ? 'first' : 'duplicate';
  }

  seenInInflux(id: number, at: number, timeUs: number): void {
    const m = this.markers.get(id);
    if (m && m.influxAt === undefined) {
      m.influxAt = at;
      m.influxTimeUs = timeUs;
    }
  }

  get(id: number): MarkerState | undefined {
    return this.markers.get(id);
  }

  /** acked markers, the only ones the hops are judged on */
  private tracked(): MarkerState[] {
    return [...this.markers.values()].filter((m) => m.ackAt !== undefined);
  }

  deadlineOf(m: MarkerState): number {
    return (m.ackAt ?? m.sentAt) + this.opts.deadlineMs;
  }

  /** ids still expected in InfluxDB (not yet returned, deadline not passed) */
  pendingInflux(now: number): number[] {
    return this.tracked().filter((m) => m.influxAt === undefined && now <= this.deadlineOf(m)).map((m) => m.id);
  }

  pendingAtLdf(now: number): number[] {
    return this.tracked().filter((m) => !m.ldf.length && now <= this.deadlineOf(m)).map((m) => m.id);
  }

  /** Nothing more can change the verdict: every marker is in InfluxDB or past its deadline. */
  settled(now: number): boolean {
    return this.pendingInflux(now).length === 0;
  }

  /** Every marker is at LDF Kafka or past its deadline (the replication hop's verdict is final). */
  replicationSettled(now: number): boolean {
    return this.pendingAtLdf(now).length === 0;
  }

  /** `timeToleranceUs`: a double seconds stamp rounds to ±1 µs on its way into InfluxDB. `endedAt`: when the
   * run stopped looking (default: now), so a loss states the wait that actually happened. */
  report(timeToleranceUs = 1, endedAt = performance.now()): TrackerReport {
    const all = [...this.markers.values()];
    const tracked = this.tracked();
    const t0 = Math.min(...all.map((m) => m.sentAt));
    const r: TrackerReport = {
      sent: tracked.length,
      sendFailed: all.length - tracked.length,
      replication: emptyHop(),
      sink: emptyHop(),
      e2e: emptyHop(),
      duplicates: 0,
      duplicateIds: [],
      foreign: this.foreign,
      timeMismatches: [],
      firstSentAt: all.length ? t0 : undefined,
    };
    const classify = (hop: HopReport, m: MarkerState, from: number, to: number | undefined, slaMs: number | undefined, seenLater = false) => {
      hop.expected++;
      const deadline = this.deadlineOf(m);
      if (to === undefined || to > deadline) {
        if (seenLater) {
          hop.unobserved++;
          hop.unobservedIds.push(m.id);
          return;
        }
        hop.lost++;
        hop.lostIds.push(m.id);
        hop.waitedMs = Math.max(hop.waitedMs ?? 0, Math.min(this.opts.deadlineMs, endedAt - (m.ackAt ?? m.sentAt)));
        return;
      }
      const latency = Math.max(0, to - from);
      hop.latenciesMs.push(latency);
      hop.timeline.push([from - t0, latency]);
      if (slaMs !== undefined && latency > slaMs) {
        hop.late++;
        hop.lateIds.push(m.id);
      } else hop.arrived++;
    };
    let last = -Infinity;
    for (const m of tracked) {
      const ack = m.ackAt!;
      const atLdf = m.ldf[0]?.at;
      const inInflux = m.influxAt !== undefined && m.influxAt <= this.deadlineOf(m);
      classify(r.replication, m, ack, atLdf, this.opts.replicationSlaMs, inInflux);
      // the sink hop is judged only on markers that reached LDF Kafka in time
      if (atLdf !== undefined && atLdf <= this.deadlineOf(m)) classify(r.sink, m, atLdf, m.influxAt, undefined);
      classify(r.e2e, m, ack, m.influxAt, this.opts.e2eSlaMs);
      if (m.ldf.length > 1) {
        r.duplicates += m.ldf.length - 1;
        r.duplicateIds.push(m.id);
      }
      if (m.influxTimeUs !== undefined && Math.abs(m.influxTimeUs - m.efdUs) > timeToleranceUs)
        r.timeMismatches.push({ id: m.id, expected_us: m.efdUs, got_us: m.influxTimeUs });
      for (const t of [atLdf, m.influxAt]) if (t !== undefined && t > last) last = t;
    }
    if (last > -Infinity) r.lastArrivalAt = last;
    return r;
  }
}
