// Suite options are checked before anything runs, by the module that reads them, so a bad --rate or a
// load run against a production profile is an input error (exit 4) and not a finding halfway through.
import type { SuiteName } from '../catalog/types.ts';
import type { Profile } from '../config/types.ts';

export async function checkSuiteOptions(profile: Profile, suites: readonly SuiteName[], options: Record<string, string | boolean>): Promise<void> {
  if (suites.includes('load')) {
    const { resolveLoadPlan } = await import('../load/plan.ts');
    resolveLoadPlan(profile, options);
  }
  if (suites.includes('cluster')) {
    const { checkKubeconfig } = await import('../cluster/profile.ts');
    checkKubeconfig(profile);
  }
}
