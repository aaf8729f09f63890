// The warm-up's end condition, stated and judged in one place: the pipeline is steady once every lag sample of
// the last `steadyS` seconds succeeded with replication and sink lag at most `lagS`. Pure: the run feeds it
// samples, it answers; no fixed guess of how long a cold pipeline needs.

export interface WarmupRule {
  /** how long both lags must stay low */
  steadyS: number;
  /** largest lag (s) that counts as steady */
  lagS: number;
  /** the warm-up's bound; 0: no warm-up */
  maxS: number;
}

export interface WarmupSample {
  tS: number;
  replicationLagS: number;
  sinkLagS: number;
  error?: string;
}

export interface WarmupOutcome {
  /** the condition held (always true without a warm-up) */
  steady: boolean;
  /** seconds from the start of the load to the end of the warm-up */
  endedAtS: number;
  rule: WarmupRule;
  /** the last sample before the end, for the message */
  last?: WarmupSample;
  /** largest lags seen during the warm-up */
  maxReplicationLagS: number;
  maxSinkLagS: number;
}

const calm = (s: WarmupSample, rule: WarmupRule) => !s.error && s.replicationLagS <= rule.lagS && s.sinkLagS <= rule.lagS;

/** Whether the samples up to `nowS` meet the rule: the last `steadyS` seconds hold only calm samples (at least 3). */
export function isSteady(samples: readonly WarmupSample[], rule: WarmupRule, nowS: number): boolean {
  let lastUnsteadyS = 0;
  let calmSince = 0;
  for (const s of samples) {
    if (s.tS > nowS) break;
    if (calm(s, rule)) calmSince++;
    else [lastUnsteadyS, calmSince] = [s.tS, 0];
  }
  return calmSince >= 3 && nowS - lastUnsteadyS >= rule.steadyS;
}

/** What the warm-up came to, for the run's facts. */
export function warmupOutcome(samples: readonly WarmupSample[], rule: WarmupRule, steady: boolean, endedAtS: number): WarmupOutcome {
  const during = samples.filter((s) => s.tS <= endedAtS && !s.error);
  return {
    steady,
    endedAtS,
    rule,
    last: samples.filter((s) => s.tS <= endedAtS).at(-1),
    maxReplicationLagS: Math.max(0, ...during.map((s) => s.replicationLagS)),
    maxSinkLagS: Math.max(0, ...during.map((s) => s.sinkLagS)),
  };
}
