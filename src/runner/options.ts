// Suite options are checked before anything runs, by the module that reads them, so a bad --rate or a
// load run against a production profile is an input error (exit 4) and not a finding halfway through.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SuiteName } from '../catalog/types.ts';
import type { Profile } from '../config/types.ts';

const LOAD_PLAN = new URL('../load/plan.ts', import.meta.url);

export async function checkSuiteOptions(profile: Profile, suites: readonly SuiteName[], options: Record<string, string | boolean>): Promise<void> {
  if (suites.includes('load') && existsSync(fileURLToPath(LOAD_PLAN))) {
    const { resolveLoadPlan } = (await import(LOAD_PLAN.href)) as { resolveLoadPlan: (p: Profile, o: Record<string, string | boolean>) => unknown };
    resolveLoadPlan(profile, options);
  }
}
