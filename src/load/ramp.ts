// The ramp: the rate rises one step at a time (×stepFactor every stepS) and stops at the first step whose
// second half shows a lag growing or over its bound, or whose rate the generator itself could not reach.
import type { LoadPlan } from './plan.ts';
import type { LoadSettings, SampleAt } from './run.ts';
import type { RampLevel } from './schedule.ts';
import { formatRate } from './units.ts';
import { judgeLag } from './verdict.ts';

export interface RampStep {
  level: number;
  bytesPerS: number;
  achievedBytesPerS: number;
  ok: boolean;
  why: string;
}

export interface RampState {
  steps: RampStep[];
  stepStartMs: number;
  stoppedBecause: string;
}

/** What the ramp needs of the generator. */
export interface RampGenerator {
  readonly warmupEndsAtMs: number;
  readonly startedAtMs: number;
  achievedBytesPerS(fromMs: number, toMs: number): number;
  stop(): void;
}

/** Called after every lag sample: closes a step when it is over, then raises the level or stops the run. */
export function rampControl(
  ramp: RampLevel,
  state: RampState,
  gen: RampGenerator,
  plan: LoadPlan,
  settings: Pick<LoadSettings, 'replicationBounds' | 'sinkBounds'>,
  samples: Array<Pick<SampleAt, 'tS' | 'replicationLagS' | 'sinkLagS'>>,
  now: number,
): void {
  if (now < gen.warmupEndsAtMs || state.stoppedBecause) return;
  if (!state.stepStartMs) state.stepStartMs = gen.warmupEndsAtMs;
  if (now - state.stepStartMs < plan.ramp.stepS * 1000) return;
  // judge the second half of the step (the first half lets the pipeline settle at the new rate)
  const from = (state.stepStartMs - gen.startedAtMs) / 1000 + plan.ramp.stepS / 2;
  const pts = samples.filter((s) => s.tS >= from);
  const repl = judgeLag(pts.map((s) => ({ tS: s.tS, lagS: s.replicationLagS })), settings.replicationBounds);
  const sink = judgeLag(pts.map((s) => ({ tS: s.tS, lagS: s.sinkLagS })), settings.sinkBounds);
  const target = plan.rateBytesPerS * ramp.level;
  const achieved = gen.achievedBytesPerS(state.stepStartMs + (plan.ramp.stepS * 1000) / 2, now);
  const genOk = achieved >= 0.95 * target;
  const ok = repl.ok && sink.ok && genOk;
  const why = !genOk
    ? `the generator reached only ${formatRate(achieved)}`
    : !repl.ok ? `replication lag ${repl.why} (${repl.maxLagS.toFixed(1)} s, ${repl.slope.toFixed(2)} s/s)`
    : !sink.ok ? `sink lag ${sink.why} (${sink.maxLagS.toFixed(1)} s, ${sink.slope.toFixed(2)} s/s)`
    : 'kept up';
  state.steps.push({ level: ramp.level, bytesPerS: target, achievedBytesPerS: achieved, ok, why });
  if (!ok) {
    state.stoppedBecause = `${formatRate(target)}: ${why}`;
    gen.stop();
    return;
  }
  const nextRate = plan.rateBytesPerS * ramp.level * plan.ramp.stepFactor;
  if (nextRate > plan.ramp.maxBytesPerS) {
    state.stoppedBecause = `the next step (${formatRate(nextRate)}) would exceed the profile's cap ${formatRate(plan.ramp.maxBytesPerS)}`;
    gen.stop();
    return;
  }
  ramp.level *= plan.ramp.stepFactor;
  state.stepStartMs = now;
}

