// A Burrow-like evaluation of a consumer group's lag (linkedin/Burrow core/internal/evaluator, rules in
// anchors.md), adapted to a bounded run: instead of a sliding window of commits kept by a daemon, the check
// takes a few samples of committed and end offsets while it runs. Commit timestamps are not visible through
// OffsetFetch, so "the consumer stopped committing" (Burrow's STOP) is read from the group itself: no active
// member while the offsets stand still and lag remains.

export type LagStatus = 'OK' | 'WARN' | 'STALL' | 'STOP' | 'REWIND';

/** Worst first. */
export const SEVERITY: Record<LagStatus, number> = { OK: 0, WARN: 1, STALL: 2, STOP: 3, REWIND: 4 };

export interface LagSample {
  /** ms */
  t: number;
  /** committed offset; a partition never committed counts as committed at its log start */
  committed: number;
  /** high watermark */
  end: number;
}

export function lagOf(s: LagSample): number {
  return Math.max(0, s.end - s.committed);
}

/**
 * Rules, in Burrow's order:
 * 1. OK if the lag is ≤ allowedLag in any sample (the consumer caught up at some point);
 * 2. REWIND if the committed offset went backwards between samples;
 * 3. offsets unchanged in every sample while lag > 0: STOP if the group has no active member, else STALL;
 * 4. WARN if the offsets move but the lag grows between every two samples (the consumer falls behind);
 * 5. OK otherwise: catching up, or a steady lag behind a live stream (records arrive while the sink commits).
 */
export function evaluatePartition(samples: LagSample[], groupActive: boolean, allowedLag = 0): LagStatus {
  if (!samples.length) return 'OK';
  const lags = samples.map(lagOf);
  if (lags.some((l) => l <= allowedLag)) return 'OK';
  for (let i = 1; i < samples.length; i++) if (samples[i].committed < samples[i - 1].committed) return 'REWIND';
  const still = samples.every((s) => s.committed === samples[0].committed);
  if (still) return groupActive ? 'STALL' : 'STOP';
  // Burrow's "consistently increasing": a lag that holds level while offsets move is a live stream, not a fall
  for (let i = 1; i < lags.length; i++) if (lags[i] <= lags[i - 1]) return 'OK';
  return 'WARN';
}

/**
 * Whether a group's WARN is worth a warning: a partition fed 50 times a second shows a lag that grows over a
 * few samples by chance; a sink falling behind also lets its oldest unconsumed record age. So WARN counts
 * only once that age is at least `minAgeMs`.
 */
export function warnsOn(status: LagStatus, oldestUnconsumedAgeMs: number, minAgeMs: number): boolean {
  return status === 'WARN' && oldestUnconsumedAgeMs >= minAgeMs;
}

export function worstStatus(statuses: Iterable<LagStatus>): LagStatus {
  let w: LagStatus = 'OK';
  for (const s of statuses) if (SEVERITY[s] > SEVERITY[w]) w = s;
  return w;
}

/** Group states that mean a consumer is connected (classic protocol: Stable, PreparingRebalance, CompletingRebalance). */
export function isGroupActive(state: string, members: number): boolean {
  return members > 0 && state !== 'Empty' && state !== 'Dead';
}
