// Turning a probe that could not gather its facts into a finding with its specific reason.
import { ProbeError } from '../probes/errors.ts';
import { SecretError } from '../config/secrets.ts';
import type { Outcome } from '../suite.ts';

export function errorOutcome(e: unknown, target?: string, what = 'facts could not be gathered'): Outcome {
  if (e instanceof ProbeError) return { status: 'error', reason: e.reason, message: e.message, target, hint: `${what}; nothing was judged` };
  if (e instanceof SecretError) return { status: 'error', reason: 'auth', message: e.message, target, hint: 'the profile names a secret that cannot be read' };
  return { status: 'error', reason: 'internal', message: `${what}: ${(e as Error)?.message ?? String(e)}`, target };
}

/** A check that depends on an earlier one: skip, pointing at the check that failed. */
export function skipBecause(checkId: string, why: string, target?: string): Outcome {
  return { status: 'skip', reason: 'skipped', message: `not judged: ${why} (see ${checkId})`, target };
}
