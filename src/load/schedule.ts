// Open-model scheduling (constant arrival rate): every record has an *intended* send time that depends only
// on the clock and the rates, never on how fast earlier sends completed. A sender that falls behind leaves
// records queued with old intended times, so the delay shows in the results (no coordinated omission).
import { rng } from './traffic.ts';

/** Rate multiplier at `tS` seconds after the start (1 = the base rate). */
export type Shape = (tS: number) => number;

export interface ScheduledTopic {
  ratePerS: number;
  arrival: 'periodic' | 'poisson';
}

/** Intended times of one topic's records not sent yet, oldest first (a queue with a moving head). */
export class IntendedQueue {
  private items: number[] = [];
  private head = 0;
  dropped = 0;

  constructor(private readonly max: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  push(t: number): void {
    if (this.length >= this.max) {
      this.dropped++;
      return;
    }
    this.items.push(t);
  }

  /** Removes and returns up to n intended times. */
  take(n: number): number[] {
    const k = Math.min(n, this.length);
    const out = this.items.slice(this.head, this.head + k);
    this.head += k;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  oldest(): number | undefined {
    return this.length ? this.items[this.head] : undefined;
  }
}

export interface SchedulerOptions {
  startMs: number;
  endMs: number;
  shape?: Shape;
  seed?: number;
  /** most records a topic may have queued; beyond that new ones are dropped (counted), like k6's dropped_iterations */
  maxQueuedPerTopic?: number;
}

export class Scheduler {
  readonly queues: IntendedQueue[];
  private readonly next: number[];
  private readonly random: () => number;
  private readonly shape: Shape;
  /** records scheduled so far, per topic */
  readonly scheduled: number[];

  constructor(
    private readonly topics: ScheduledTopic[],
    private readonly opts: SchedulerOptions,
  ) {
    this.random = rng(opts.seed ?? 7);
    this.shape = opts.shape ?? (() => 1);
    this.queues = topics.map(() => new IntendedQueue(opts.maxQueuedPerTopic ?? 1_000_000));
    this.scheduled = topics.map(() => 0);
    // a random phase per topic so periodic topics do not all fire on the same millisecond
    this.next = topics.map((t, i) => opts.startMs + this.gap(i, opts.startMs) * (t.arrival === 'periodic' ? this.random() : 1));
  }

  /** Milliseconds to the next record of topic i, given the rate in force at time t. */
  private gap(i: number, tMs: number): number {
    const t = this.topics[i];
    const rate = t.ratePerS * this.shape((tMs - this.opts.startMs) / 1000);
    if (!(rate > 0)) return 100; // paused: look again in 100 ms
    const mean = 1000 / rate;
    return t.arrival === 'periodic' ? mean : -Math.log(1 - this.random()) * mean;
  }

  /** Queues every record whose intended time is ≤ nowMs (and before the end). Returns how many were queued. */
  advance(nowMs: number): number {
    const until = Math.min(nowMs, this.opts.endMs);
    let n = 0;
    for (let i = 0; i < this.topics.length; i++) {
      let t = this.next[i];
      while (t <= until && t < this.opts.endMs) {
        const rate = this.topics[i].ratePerS * this.shape((t - this.opts.startMs) / 1000);
        if (rate > 0) {
          this.queues[i].push(t);
          this.scheduled[i]++;
          n++;
        }
        t += this.gap(i, t);
      }
      this.next[i] = t;
    }
    return n;
  }

  /** Moves the end of the schedule (the warm-up ended early, so the measured window starts now). */
  endAt(endMs: number): void {
    this.opts.endMs = endMs;
  }

  queued(): number {
    return this.queues.reduce((s, q) => s + q.length, 0);
  }

  dropped(): number {
    return this.queues.reduce((s, q) => s + q.dropped, 0);
  }

  /** Intended time of the oldest record still waiting to be sent (undefined when none waits). */
  oldestQueued(): number | undefined {
    let min: number | undefined;
    for (const q of this.queues) {
      const o = q.oldest();
      if (o !== undefined && (min === undefined || o < min)) min = o;
    }
    return min;
  }
}

/** steady: the base rate throughout. */
export const steady: Shape = () => 1;

/** bursts: `factor` × the base rate for `lengthS`, starting at `startS`, repeating every `everyS` when given. */
export function burst(factor: number, startS: number, lengthS: number, everyS?: number): Shape {
  return (t) => {
    if (t < startS) return 1;
    const into = everyS ? (t - startS) % everyS : t - startS;
    return into < lengthS ? factor : 1;
  };
}

/** A ramp whose level the controller raises between steps (the ramp stops when lag grows). */
export class RampLevel {
  constructor(public level = 1) {}
  readonly shape: Shape = () => this.level;
}
