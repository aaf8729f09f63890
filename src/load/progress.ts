// The live progress line: one line rewritten in place on a terminal, a line every 5 s otherwise (CI logs),
// like kafka-producer-perf-test's interim lines. Suites run in vitest workers whose stderr is a pipe to the
// runner, so when stderr is not a terminal the line goes to the controlling terminal (/dev/tty) if there is
// one; without a terminal, lines every 5 s go to stderr prefixed "⟳ " (PROGRESS_TAG) for the runner to pass on.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { IntervalStats } from './generator.ts';
import type { LagSample } from './lag.ts';
import { formatRate } from './units.ts';

export const PROGRESS_TAG = '⟳ ';

interface Out {
  write(s: string): void;
  tty: boolean;
  close(): void;
}

function openOut(stream: NodeJS.WriteStream): Out {
  if (stream.isTTY) return { write: (s) => stream.write(s), tty: true, close: () => {} };
  if (process.env.EFD_HEALTH_NO_TTY !== '1') {
    try {
      const fd = openSync('/dev/tty', 'w');
      return { write: (s) => writeSync(fd, s), tty: true, close: () => closeSync(fd) };
    } catch {
      // no controlling terminal (CI, CronJob): plain lines
    }
  }
  // in a vitest worker only console output reaches the runner (as a user console log), not raw stderr writes
  const write = stream === process.stderr ? (s: string) => console.error(s.replace(/\n$/, '')) : (s: string) => stream.write(s);
  return { write, tty: false, close: () => {} };
}

export class ProgressLine {
  private lastPrint = 0;
  private shown = false;
  private out?: Out;

  constructor(
    private readonly totalS: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly everyMs = 5000,
    private readonly enabled = process.env.EFD_HEALTH_QUIET !== '1',
  ) {}

  private get o(): Out {
    return (this.out ??= openOut(this.stream));
  }

  static line(s: IntervalStats, lag: LagSample | undefined, totalS: number): string {
    const t = (ms: number) => {
      const x = Math.round(ms / 1000);
      return `${Math.floor(x / 60)}:${String(x % 60).padStart(2, '0')}`;
    };
    const parts = [
      `load ${t(s.tMs)}/${t(totalS * 1000)}${s.warmup ? ' warm-up' : ''}${s.level !== 1 ? ` ×${+s.level.toFixed(2)}` : ''}`,
      formatRate(s.ackedBytes / s.seconds),
      `${Math.round(s.ackedRecords / s.seconds)} rec/s`,
      `ack p99 ${s.ackP99Ms} ms`,
      `send delay p99 ${s.delayP99Ms} ms`,
      `errors ${s.errors}`,
    ];
    if (s.backlog) parts.push(`queued ${s.backlog}`);
    if (lag && !lag.error) parts.push(`replication lag ${lag.replicationLagS.toFixed(1)} s`, `sink lag ${lag.sinkLagS.toFixed(1)} s`);
    else if (lag?.error) parts.push(`lag unknown (${lag.error})`);
    return parts.join('  ');
  }

  update(s: IntervalStats, lag: LagSample | undefined): void {
    if (!this.enabled) return;
    const line = ProgressLine.line(s, lag, this.totalS);
    if (this.o.tty) {
      this.o.write(`\r\x1b[2K${line}`);
      this.shown = true;
    } else if (Date.now() - this.lastPrint >= this.everyMs) {
      this.o.write(PROGRESS_TAG + line + '\n');
      this.lastPrint = Date.now();
    }
  }

  /** A line of its own (setup steps, cleanup), on the same output as the progress line. */
  note(text: string): void {
    if (!this.enabled) return;
    this.end();
    this.o.write((this.o.tty ? '' : PROGRESS_TAG) + text + '\n');
  }

  end(): void {
    if (this.shown) this.o.write('\n');
    this.shown = false;
  }

  close(): void {
    this.end();
    this.out?.close();
    this.out = undefined;
  }
}
