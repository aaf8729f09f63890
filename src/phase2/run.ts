// Phase 2 facts gathered once per run from the profile, judged with the catalog's thresholds.
import { readCredentials } from '../config/secrets.ts';
import type { Profile } from '../config/types.ts';
import { threshold } from '../context.ts';
import { errorOutcome } from '../services/outcome.ts';
import type { Outcome } from '../suite.ts';
import { gatherPhase2, type Phase2Facts } from './facts.ts';
import { PHASE2_CHECK_IDS, phase2Verdicts, type Phase2CheckId } from './verdicts.ts';

export async function runPhase2(profile: Profile): Promise<{ facts?: Phase2Facts; verdicts: Record<Phase2CheckId, Outcome[]> }> {
  try {
    const { influxdb } = profile;
    const facts = await gatherPhase2({
      url: influxdb.url,
      timeoutMs: profile.timeout_ms,
      manifests: profile.manifests,
      read: influxdb.read ? readCredentials(influxdb.read) : undefined,
      admin: influxdb.admin ? readCredentials(influxdb.admin) : undefined,
      windowS: threshold<number>('services.influxdb.rollup_freshness', 'window_s'),
      sampleMeasurements: threshold<number>('services.influxdb.rollup_correctness', 'sample_measurements'),
      enforcementSlackS: threshold<number>('services.influxdb.retention_tiers', 'enforcement_slack_s'),
    });
    const verdicts = phase2Verdicts(facts, {
      slackS: threshold<number>('services.influxdb.rollup_freshness', 'slack_s'),
      relTolerance: threshold<number>('services.influxdb.rollup_correctness', 'rel_tolerance'),
      absTolerance: threshold<number>('services.influxdb.rollup_correctness', 'abs_tolerance'),
      rateBytesPerS: threshold<number>('services.influxdb.tier_capacity', 'rate_bytes_per_s'),
      budgetBytes: threshold<number>('services.influxdb.tier_capacity', 'budget_bytes'),
      accepted: threshold<boolean>('services.influxdb.tier_capacity', 'accepted'),
    });
    return { facts, verdicts };
  } catch (e) {
    const o = { ...errorOutcome(e, 'influxdb', 'phase 2 facts could not be gathered') };
    return { verdicts: Object.fromEntries(PHASE2_CHECK_IDS.map((id) => [id, [o]])) as Record<Phase2CheckId, Outcome[]> };
  }
}
