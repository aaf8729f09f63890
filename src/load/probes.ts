// Probe records sent during the load and timed through to InfluxDB on the runner's own clock (t0 = produce
// ack, t1 = first InfluxDB query that returns it; the poll interval is the resolution). They stand in for the
// replication suite's markers: same idea, EFD-shaped, on a topic of the load namespace.
import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { probeIdsSince, type InfluxTarget } from './influx.ts';
import { salPrivateValues } from '../avro/sal.ts';
import type { Encode } from './payloads.ts';
import type { TopicSpec } from './traffic.ts';

export interface ProbeRecord {
  id: string;
  sentMs: number;
  ackMs?: number;
  seenMs?: number;
  error?: string;
}

export interface ProbeOptions {
  producer: Producer;
  spec: TopicSpec;
  encode: Encode;
  influx: InfluxTarget;
  runId: string;
  everyMs: number;
  pollMs: number;
  now?: () => number;
}

export class ProbeTracker {
  readonly probes: ProbeRecord[] = [];
  private seq = 0;
  private sendTimer?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private readonly now: () => number;
  private firstMs = 0;
  private polling = false;
  pollErrors = 0;
  lastPollError?: string;

  constructor(private readonly o: ProbeOptions) {
    this.now = o.now ?? Date.now;
  }

  start(): void {
    this.firstMs = this.now() - 1000;
    void this.sendOne();
    this.sendTimer = setInterval(() => void this.sendOne(), this.o.everyMs);
    this.pollTimer = setInterval(() => void this.poll(), this.o.pollMs);
  }

  /** Stops sending; keeps polling until every probe arrived or `waitMs` passed. */
  async finish(waitMs: number): Promise<void> {
    clearInterval(this.sendTimer);
    const until = this.now() + waitMs;
    while (this.now() < until && this.probes.some((p) => p.ackMs !== undefined && p.seenMs === undefined)) {
      await new Promise((r) => setTimeout(r, this.o.pollMs));
    }
    clearInterval(this.pollTimer);
    await this.poll();
  }

  stop(): void {
    clearInterval(this.sendTimer);
    clearInterval(this.pollTimer);
  }

  private async sendOne(): Promise<void> {
    const p: ProbeRecord = { id: `${this.o.runId}-${++this.seq}-${randomUUID().slice(0, 8)}`, sentMs: this.now() };
    this.probes.push(p);
    try {
      const s = p.sentMs / 1000;
      const value = await this.o.encode({
        ...salPrivateValues(s, { seqNum: this.seq, revCode: 'efdhload', identity: 'EFDHealthLoad' }),
        probe_id: p.id,
        run_id: this.o.runId,
      });
      await this.o.producer.send({ topic: this.o.spec.topic, acks: -1, messages: [{ value }] });
      p.ackMs = this.now();
    } catch (e) {
      p.error = (e as Error).message;
    }
  }

  private async poll(): Promise<void> {
    if (this.polling || !this.probes.some((p) => p.ackMs !== undefined && p.seenMs === undefined)) return;
    this.polling = true;
    try {
      const ids = new Set(await probeIdsSince(this.o.influx, this.o.spec.topic, this.firstMs));
      const t = this.now();
      for (const p of this.probes) if (p.seenMs === undefined && ids.has(p.id)) p.seenMs = t;
    } catch (e) {
      this.pollErrors++;
      this.lastPollError = (e as Error).message;
    } finally {
      this.polling = false;
    }
  }
}
