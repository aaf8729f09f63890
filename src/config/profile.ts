// Profile loading. (Minimal first version: YAML + defaults + relative paths; schema validation with
// file, line and key path is the runner's job — issue 3.)
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { InputError } from '../errors.ts';
import type { Profile } from './types.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function defaultProfilePath(): string {
  return resolve(REPO_ROOT, 'profiles/local.yaml');
}

export function loadProfile(file: string): Profile {
  let raw: any;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const base = dirname(resolve(file));
  const abs = (p: string | undefined) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(base, p));
  return {
    ...raw,
    file: resolve(file),
    manifests: abs(raw.manifests)!,
    production: raw.production ?? false,
    phase: raw.phase ?? 'deployed',
    timeout_ms: raw.timeout_ms ?? 5000,
    thresholds: raw.thresholds ?? {},
    report: raw.report ?? {},
    ingress: { ...raw.ingress, ca_bundle: abs(raw.ingress?.ca_bundle), resolve: raw.ingress?.resolve ?? {}, extra_hosts: raw.ingress?.extra_hosts ?? [] },
  } as Profile;
}
