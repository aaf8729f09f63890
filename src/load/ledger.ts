// What the generator wrote, as the pipeline will see it: per topic-partition, which offsets hold which
// records (and when they were sent), and per topic how many records were intended in each second (the
// InfluxDB time is the intended time, so the sink's point counts can be compared second by second).

interface Segment {
  base: number;
  count: number;
  sendMs: number;
}

export class Ledger {
  private readonly segments = new Map<string, Segment[]>();
  /** topic → intended second (epoch s) → records acknowledged */
  private readonly perSecond = new Map<string, Map<number, number>>();
  /** topic → records acknowledged */
  readonly acked = new Map<string, number>();

  /** A batch of `count` records at base offset `base`, all sent at `sendMs`. */
  addSegment(topic: string, partition: number, base: number, count: number, sendMs: number): void {
    const key = `${topic}:${partition}`;
    let list = this.segments.get(key);
    if (!list) this.segments.set(key, (list = []));
    list.push({ base, count, sendMs });
    this.acked.set(topic, (this.acked.get(topic) ?? 0) + count);
  }

  countIntended(topic: string, intendedMs: number[]): void {
    let m = this.perSecond.get(topic);
    if (!m) this.perSecond.set(topic, (m = new Map()));
    for (const t of intendedMs) {
      const s = Math.floor(t / 1000);
      m.set(s, (m.get(s) ?? 0) + 1);
    }
  }

  /** Send time of the record at `offset`, or undefined when we did not write it. */
  sendTimeOf(topic: string, partition: number, offset: number): number | undefined {
    const list = this.segments.get(`${topic}:${partition}`);
    if (!list?.length) return undefined;
    // segments are appended in ack order, which may differ from offset order by a little: binary search
    // on a sorted copy is not needed when acks return in order (one connection); scan from the end otherwise
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid];
      if (offset < s.base) hi = mid - 1;
      else if (offset >= s.base + s.count) lo = mid + 1;
      else return s.sendMs;
    }
    return list.find((s) => offset >= s.base && offset < s.base + s.count)?.sendMs;
  }

  /** Send time of the first record we wrote at or after `offset` (records of others in between are skipped). */
  sendTimeAtOrAfter(topic: string, partition: number, offset: number): number | undefined {
    const exact = this.sendTimeOf(topic, partition, offset);
    if (exact !== undefined) return exact;
    const list = this.segments.get(`${topic}:${partition}`);
    let best: Segment | undefined;
    for (const s of list ?? []) if (s.base >= offset && (!best || s.base < best.base)) best = s;
    return best?.sendMs;
  }

  /** Highest offset + 1 we wrote to a partition (undefined when none). */
  endOffset(topic: string, partition: number): number | undefined {
    const list = this.segments.get(`${topic}:${partition}`);
    if (!list?.length) return undefined;
    return Math.max(...list.slice(-8).map((s) => s.base + s.count));
  }

  partitions(topic: string): number[] {
    const out: number[] = [];
    for (const key of this.segments.keys()) {
      const i = key.lastIndexOf(':');
      if (key.slice(0, i) === topic) out.push(Number(key.slice(i + 1)));
    }
    return out;
  }

  /** Records acknowledged for `topic` whose intended time lies in [fromMs, toMs). Whole seconds only. */
  intendedIn(topic: string, fromMs: number, toMs: number): number {
    const m = this.perSecond.get(topic);
    if (!m) return 0;
    let n = 0;
    for (const [s, c] of m) if (s * 1000 >= fromMs && (s + 1) * 1000 <= toMs) n += c;
    return n;
  }

  topics(): string[] {
    return [...this.acked.keys()];
  }

  /** Drops segments wholly below `offset` (both the replicator and the sink are past them). */
  prune(topic: string, partition: number, offset: number): void {
    const list = this.segments.get(`${topic}:${partition}`);
    if (!list) return;
    let k = 0;
    while (k < list.length - 1 && list[k].base + list[k].count <= offset) k++;
    if (k > 0) list.splice(0, k);
  }
}
