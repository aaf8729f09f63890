// Constant-arrival-rate generator on kafkajs (OpenMessaging Benchmark's MessageProducer idea): a tick timer
// queues every record whose intended time has come (schedule.ts), then sends what is due in one
// sendBatch per tick, never waiting for earlier acks (bounded by maxInFlight). Per record it records the
// intended and actual send time; per batch the produce-ack latency. Warm-up is kept apart from the verdict.
import * as hdr from 'hdr-histogram-js';
import type { Producer, RecordMetadata, TopicMessages } from 'kafkajs';
import { Ledger } from './ledger.ts';
import { stampRecord, type PayloadSet } from './payloads.ts';
import { Scheduler, type Shape } from './schedule.ts';

export interface GeneratorTopic {
  topic: string;
  ratePerS: number;
  arrival: 'periodic' | 'poisson';
  payloads: PayloadSet;
  /** partitions of the topic; a topic's records of one tick go to one partition, rotating */
  partitions?: number;
}

export interface GeneratorOptions {
  producer: Producer;
  topics: GeneratorTopic[];
  durationMs: number;
  warmupMs?: number;
  shape?: Shape;
  /** 'open': constant arrival rate (the load test); 'saturate': send as fast as acks allow (benchmark max) */
  pacing?: 'open' | 'saturate';
  tickMs?: number;
  maxInFlight?: number;
  /** most bytes per topic-partition in one produce request (the broker's message.max.bytes is ~1 MB) */
  maxBatchBytes?: number;
  acks?: number;
  ackTimeoutMs?: number;
  intervalMs?: number;
  onInterval?: (s: IntervalStats, g: Generator) => void;
  /** stop early (ramp controller, user abort) */
  signal?: AbortSignal;
  now?: () => number;
}

/** What was sent and acknowledged over some seconds. */
export interface SendCounts {
  seconds: number;
  sentBytes: number;
  sentRecords: number;
  ackedBytes: number;
  ackedRecords: number;
  errors: number;
}

export interface IntervalStats extends SendCounts {
  /** ms since start, end of the interval */
  tMs: number;
  /** records queued but not yet sent at the end of the interval */
  backlog: number;
  inFlight: number;
  dropped: number;
  ackP99Ms: number;
  delayP99Ms: number;
  warmup: boolean;
  /** rate multiplier in force (shape) */
  level: number;
}

export interface LatencySummary {
  count: number;
  mean_ms: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  p999_ms: number;
  max_ms: number;
}

export interface GeneratorResult {
  startMs: number;
  endMs: number;
  warmupEndMs: number;
  intervals: IntervalStats[];
  /** over the measured window (after warm-up) */
  measured: SendCounts & { bytesPerS: number; recordsPerS: number; intendedBytesPerS: number };
  totals: { sentRecords: number; ackedRecords: number; sentBytes: number; ackedBytes: number; errors: number; dropped: number; unsent: number };
  /** produce → ack */
  ackLatency: LatencySummary;
  /** intended → actual send (the generator's own lateness) */
  sendDelay: LatencySummary;
  /** intended → ack (what a client with coordinated omission would hide) */
  intendedToAck: LatencySummary;
  cpu: { userS: number; systemS: number; wallS: number; percentOfOneCore: number };
  lastError?: string;
  ledger: Ledger;
}

interface Histograms {
  ack: hdr.Histogram;
  delay: hdr.Histogram;
  total: hdr.Histogram;
}

const newHist = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
const newHists = (): Histograms => ({ ack: newHist(), delay: newHist(), total: newHist() });

function summary(h: hdr.Histogram): LatencySummary {
  // over no record there is no latency: NaN, which no writer keeps
  const ms = (us: number) => (h.totalCount ? Math.round(us / 10) / 100 : NaN);
  return {
    count: h.totalCount,
    mean_ms: ms(h.mean),
    p50_ms: ms(h.getValueAtPercentile(50)),
    p95_ms: ms(h.getValueAtPercentile(95)),
    p99_ms: ms(h.getValueAtPercentile(99)),
    p999_ms: ms(h.getValueAtPercentile(99.9)),
    max_ms: ms(h.maxValue),
  };
}

const wallNow = () => performance.timeOrigin + performance.now();
const us = (ms: number) => Math.max(1, Math.round(ms * 1000));

interface Pending {
  sendMs: number;
  warm: boolean;
  parts: Array<{ topic: string; partition: number; intended: number[]; bytes: number }>;
  records: number;
  bytes: number;
}

export class Generator {
  readonly ledger = new Ledger();
  private readonly o: Required<Omit<GeneratorOptions, 'onInterval' | 'signal' | 'shape'>> & Pick<GeneratorOptions, 'onInterval' | 'signal' | 'shape'>;
  private scheduler!: Scheduler;
  private startMs = 0;
  private endMs = 0;
  private warmupEndMs = 0;
  private inFlight = 0;
  private readonly inFlightDone = new Set<() => void>();
  private readonly measuredH = newHists();
  private intervalH = newHists();
  private readonly intervals: IntervalStats[] = [];
  private cur = { sentBytes: 0, sentRecords: 0, ackedBytes: 0, ackedRecords: 0, errors: 0 };
  private readonly tot = { sentBytes: 0, sentRecords: 0, ackedBytes: 0, ackedRecords: 0, errors: 0 };
  private readonly meas = { sentBytes: 0, sentRecords: 0, ackedBytes: 0, ackedRecords: 0, errors: 0 };
  private variant = 0;
  private partitionCursor: number[] = [];
  private lastError?: string;
  private stopped = false;

  constructor(opts: GeneratorOptions) {
    this.o = {
      warmupMs: 0,
      pacing: 'open',
      tickMs: 20,
      maxInFlight: 32,
      maxBatchBytes: 512 * 1024,
      acks: -1,
      ackTimeoutMs: 30_000,
      intervalMs: 1000,
      now: wallNow,
      ...opts,
    };
  }

  /** Rate multiplier in force now (1 for steady). */
  level(): number {
    return this.o.shape ? this.o.shape((this.o.now() - this.startMs) / 1000) : 1;
  }

  /** Intended time of the oldest record still waiting for its turn (the generator's own backlog). */
  oldestQueuedMs(): number | undefined {
    return this.scheduler?.oldestQueued();
  }

  /** Acknowledged bytes per second over the intervals that ended in (fromMs, toMs] (epoch ms). */
  achievedBytesPerS(fromMs: number, toMs: number): number {
    let bytes = 0;
    let secs = 0;
    for (const i of this.intervals) {
      const end = this.startMs + i.tMs;
      if (end > fromMs && end <= toMs) {
        bytes += i.ackedBytes;
        secs += i.seconds;
      }
    }
    return secs > 0 ? bytes / secs : 0;
  }

  get startedAtMs(): number {
    return this.startMs;
  }

  get warmupEndsAtMs(): number {
    return this.warmupEndMs;
  }

  /**
   * Ends the warm-up now: the measured window (durationMs − warmupMs) starts here. The warm-up given in the
   * options is its bound; a run whose pipeline is steady earlier measures from then on.
   */
  endWarmup(now = this.o.now()): void {
    if (now >= this.warmupEndMs) return;
    this.warmupEndMs = now;
    this.endMs = now + this.o.durationMs - this.o.warmupMs;
    this.scheduler.endAt(this.endMs);
  }

  get warmupEnded(): boolean {
    return this.startMs > 0 && this.o.now() >= this.warmupEndMs;
  }

  async run(): Promise<GeneratorResult> {
    const cpu0 = process.cpuUsage();
    this.startMs = this.o.now();
    this.endMs = this.startMs + this.o.durationMs;
    this.warmupEndMs = this.startMs + this.o.warmupMs;
    this.partitionCursor = this.o.topics.map(() => 0);
    this.scheduler = new Scheduler(this.o.topics, {
      startMs: this.startMs,
      endMs: this.endMs,
      shape: this.o.shape,
      maxQueuedPerTopic: this.o.pacing === 'open' ? 2_000_000 : 0,
    });
    const intervalTimer = setInterval(() => this.closeInterval(), this.o.intervalMs);
    try {
      if (this.o.pacing === 'open') await this.runOpen();
      else await this.runSaturate();
      await this.drainInFlight(this.o.ackTimeoutMs + 5000);
    } finally {
      clearInterval(intervalTimer);
      this.closeInterval();
    }
    const cpu = process.cpuUsage(cpu0);
    const wallS = (this.o.now() - this.startMs) / 1000;
    const measuredS = Math.max(0.001, (Math.min(this.o.now(), this.endMs) - this.warmupEndMs) / 1000);
    const intendedBytes = this.o.topics.reduce((s, t) => s + t.ratePerS * t.payloads.meanBytes, 0);
    return {
      startMs: this.startMs,
      endMs: this.endMs,
      warmupEndMs: this.warmupEndMs,
      intervals: this.intervals,
      measured: {
        seconds: measuredS,
        ...this.meas,
        bytesPerS: this.meas.ackedBytes / measuredS,
        recordsPerS: this.meas.ackedRecords / measuredS,
        intendedBytesPerS: intendedBytes,
      },
      totals: { ...this.tot, dropped: this.scheduler.dropped(), unsent: this.scheduler.queued() },
      ackLatency: summary(this.measuredH.ack),
      sendDelay: summary(this.measuredH.delay),
      intendedToAck: summary(this.measuredH.total),
      cpu: {
        userS: cpu.user / 1e6,
        systemS: cpu.system / 1e6,
        wallS,
        percentOfOneCore: (100 * (cpu.user + cpu.system)) / 1e6 / Math.max(0.001, wallS),
      },
      lastError: this.lastError,
      ledger: this.ledger,
    };
  }

  private aborted(): boolean {
    return this.stopped || this.o.signal?.aborted === true;
  }

  private async runOpen(): Promise<void> {
    let nextTick = this.startMs;
    for (;;) {
      const now = this.o.now();
      const last = now >= this.endMs || this.aborted();
      this.scheduler.advance(now);
      if (this.inFlight < this.o.maxInFlight) this.sendDue(now);
      if (last) {
        // the records intended before the end still go out (bounded), then the run ends
        const until = now + this.o.ackTimeoutMs;
        while (this.scheduler.queued() > 0 && this.o.now() < until && !this.o.signal?.aborted) {
          if (this.inFlight < this.o.maxInFlight) this.sendDue(this.o.now());
          else await this.waitForAck();
        }
        return;
      }
      nextTick += this.o.tickMs;
      const wait = nextTick - this.o.now();
      if (wait < -10 * this.o.tickMs) nextTick = this.o.now(); // far behind: do not try to catch up tick by tick
      await sleep(Math.max(0, wait));
    }
  }

  /** Benchmark pacing: keep maxInFlight batches of maxBatchBytes per topic in the air until the end. */
  private async runSaturate(): Promise<void> {
    while (this.o.now() < this.endMs && !this.aborted()) {
      while (this.inFlight < this.o.maxInFlight) {
        const now = this.o.now();
        const parts = this.o.topics.map((t, i) => {
          const n = Math.max(1, Math.floor(this.o.maxBatchBytes / t.payloads.meanBytes));
          return { i, intended: new Array<number>(n).fill(now) };
        });
        this.send(now, parts);
      }
      await this.waitForAck();
    }
  }

  private waitForAck(): Promise<void> {
    return new Promise((res) => this.inFlightDone.add(res));
  }

  private sendDue(now: number): void {
    const parts: Array<{ i: number; intended: number[] }> = [];
    for (let i = 0; i < this.o.topics.length; i++) {
      const q = this.scheduler.queues[i];
      if (!q.length) continue;
      const max = Math.max(1, Math.floor(this.o.maxBatchBytes / this.o.topics[i].payloads.meanBytes));
      parts.push({ i, intended: q.take(max) });
    }
    if (parts.length) this.send(now, parts);
  }

  private send(sendMs: number, parts: Array<{ i: number; intended: number[] }>): void {
    const warm = sendMs < this.warmupEndMs;
    const topicMessages: TopicMessages[] = [];
    const pending: Pending = { sendMs, warm, parts: [], records: 0, bytes: 0 };
    const ts = String(Math.round(sendMs));
    for (const { i, intended } of parts) {
      const t = this.o.topics[i];
      const nParts = t.partitions ?? 1;
      const partition = this.partitionCursor[i]++ % nParts;
      let bytes = 0;
      const messages = intended.map((it) => {
        const value = stampRecord(t.payloads, this.variant++, it, sendMs);
        bytes += value.length;
        return { value, partition, timestamp: ts };
      });
      topicMessages.push({ topic: t.topic, messages });
      pending.parts.push({ topic: t.topic, partition, intended, bytes });
      pending.records += intended.length;
      pending.bytes += bytes;
    }
    this.count('sentBytes', pending.bytes, warm);
    this.count('sentRecords', pending.records, warm);
    this.inFlight++;
    this.o.producer
      .sendBatch({ topicMessages, acks: this.o.acks, timeout: this.o.ackTimeoutMs })
      .then((meta) => this.onAck(pending, meta))
      .catch((e: Error) => this.onError(pending, e))
      .finally(() => {
        this.inFlight--;
        for (const f of this.inFlightDone) f();
        this.inFlightDone.clear();
      });
  }

  private count(k: keyof typeof this.cur, n: number, warm: boolean): void {
    this.cur[k] += n;
    this.tot[k] += n;
    if (!warm) this.meas[k] += n;
  }

  private onAck(p: Pending, meta: RecordMetadata[]): void {
    const ackMs = this.o.now();
    const ackUs = us(ackMs - p.sendMs);
    const hs = p.warm ? [this.intervalH] : [this.intervalH, this.measuredH];
    for (const h of hs) h.ack.recordValueWithCount(ackUs, p.records);
    const saturate = this.o.pacing === 'saturate';
    for (const part of p.parts) {
      if (!saturate) {
        for (const it of part.intended) {
          const d = us(p.sendMs - it);
          const tot = us(ackMs - it);
          for (const h of hs) {
            h.delay.recordValue(d);
            h.total.recordValue(tot);
          }
        }
        this.ledger.countIntended(part.topic, part.intended);
      } else {
        for (const h of hs) {
          h.delay.recordValueWithCount(1, part.intended.length);
          h.total.recordValueWithCount(ackUs, part.intended.length);
        }
      }
      const m = meta.find((x) => x.topicName === part.topic && x.partition === part.partition);
      const base = m?.baseOffset ?? m?.offset;
      if (base !== undefined) this.ledger.addSegment(part.topic, part.partition, Number(base), part.intended.length, p.sendMs);
    }
    this.count('ackedRecords', p.records, p.warm);
    this.count('ackedBytes', p.bytes, p.warm);
  }

  private onError(p: Pending, e: Error): void {
    this.count('errors', p.records, p.warm);
    this.lastError = e.message;
  }

  private closeInterval(): void {
    const now = this.o.now();
    const last = this.intervals.at(-1);
    const from = last ? this.startMs + last.tMs : this.startMs;
    const seconds = (now - from) / 1000;
    if (seconds <= 0.05 && last) return;
    const ms = (h: hdr.Histogram) => (h.totalCount ? Math.round(h.getValueAtPercentile(99) / 10) / 100 : 0);
    this.intervals.push({
      tMs: now - this.startMs,
      seconds,
      ...this.cur,
      backlog: this.scheduler?.queued() ?? 0,
      inFlight: this.inFlight,
      dropped: this.scheduler?.dropped() ?? 0,
      ackP99Ms: ms(this.intervalH.ack),
      delayP99Ms: ms(this.intervalH.delay),
      warmup: now <= this.warmupEndMs,
      level: this.level(),
    });
    this.o.onInterval?.(this.intervals[this.intervals.length - 1], this);
    this.cur = { sentBytes: 0, sentRecords: 0, ackedBytes: 0, ackedRecords: 0, errors: 0 };
    this.intervalH = newHists();
  }

  private async drainInFlight(maxMs: number): Promise<void> {
    const until = this.o.now() + maxMs;
    while (this.inFlight > 0 && this.o.now() < until) await Promise.race([this.waitForAck(), sleep(100)]);
  }

  /** Ends the run at the next tick (the records already due still go out). */
  stop(): void {
    this.stopped = true;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
