// What several commands share: which suites, which profile.
import { SUITES, type SuiteName } from '../catalog/types.ts';
import { defaultProfilePath, loadProfile, profilePathForEnv } from '../config/profile.ts';
import type { Profile } from '../config/types.ts';
import { InputError } from '../errors.ts';

export function parseSuites(list: string | undefined): SuiteName[] {
  if (list === undefined) return [...SUITES];
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  if (!names.length) throw new InputError(`--suite ${JSON.stringify(list)} names no suite (valid: ${SUITES.join(', ')})`);
  for (const n of names) {
    if (!(SUITES as readonly string[]).includes(n)) throw new InputError(`--suite: unknown suite "${n}" (valid: ${SUITES.join(', ')})`);
  }
  return [...new Set(names)] as SuiteName[];
}

/** The profile chosen by --profile or --env (default profiles/local.yaml). */
export function chooseProfile(flags: { profile?: string; env?: string }): Profile {
  if (flags.profile !== undefined && flags.env !== undefined) {
    throw new InputError('use either --profile FILE or --env NAME, not both');
  }
  const file = flags.profile ?? (flags.env !== undefined ? profilePathForEnv(flags.env) : defaultProfilePath());
  return loadProfile(file);
}
