// What a suite knows about the run it is part of. The runner writes it as JSON (no secrets) and passes
// the path in EFD_HEALTH_CONTEXT; without a runner (the project's own tests) the local profile is used.
import { readFileSync } from 'node:fs';
import { thresholdOf } from './catalog/index.ts';
import { loadProfile, defaultProfilePath } from './config/profile.ts';
import type { Profile } from './config/types.ts';

export const CONTEXT_ENV = 'EFD_HEALTH_CONTEXT';

export interface RunContext {
  profile: Profile;
  /** folder this run writes to (reports/<time>-<env>-<vantage>/), or a temp folder */
  runDir?: string;
  /** free-form options from the command line, e.g. { k6: true, rate: '1.9MB/s' } */
  options: Record<string, string | boolean>;
}

let cached: RunContext | undefined;

export function runContext(): RunContext {
  if (cached) return cached;
  const file = process.env[CONTEXT_ENV];
  cached = file
    ? (JSON.parse(readFileSync(file, 'utf8')) as RunContext)
    : { profile: loadProfile(defaultProfilePath()), options: {} };
  return cached;
}

/** A threshold: the profile's override for this check, else the catalog default. */
export function threshold<T extends number | string | boolean>(checkId: string, name: string): T {
  return thresholdOf(runContext().profile.thresholds, checkId, name) as T;
}
