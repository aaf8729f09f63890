// The ingress policy: the catalog's stated defaults, with the profile's thresholds.<check id>.<name>
// overrides, checked once so a bad override is an input error naming its key.
import { thresholdOf } from '../catalog/index.ts';
import type { Profile } from '../config/types.ts';
import { InputError } from '../errors.ts';
import { TLS_VERSIONS, type TlsVersion } from '../probes/tls.ts';

export interface IngressPolicy {
  warnDays: number;
  failDays: number;
  minVersion: TlsVersion;
  rsaMinBits: number;
  ecMinBits: number;
  weakHashes: string[];
  defaultSubject: string;
  hstsMinAgeS: number;
  registryPath: string;
}

export function ingressPolicy(profile: Pick<Profile, 'file' | 'thresholds'>): IngressPolicy {
  const value = (id: string, name: string): unknown => thresholdOf(profile.thresholds, id, name);
  const where = (id: string, name: string) => `${profile.file}: thresholds.${id}.${name}`;
  const num = (id: string, name: string): number => {
    const v = value(id, name);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InputError(`${where(id, name)} must be a number ≥ 0 (got ${JSON.stringify(v)})`);
    return v;
  };
  const str = (id: string, name: string): string => {
    const v = value(id, name);
    if (typeof v !== 'string' || !v) throw new InputError(`${where(id, name)} must be a non-empty string (got ${JSON.stringify(v)})`);
    return v;
  };
  const minVersion = str('ingress.tls.protocol', 'min_version');
  if (!(TLS_VERSIONS as readonly string[]).includes(minVersion)) {
    throw new InputError(`${where('ingress.tls.protocol', 'min_version')} must be one of ${TLS_VERSIONS.join(', ')} (got "${minVersion}")`);
  }
  const registryPath = str('ingress.http.phase_answer', 'registry_path');
  if (!registryPath.startsWith('/')) throw new InputError(`${where('ingress.http.phase_answer', 'registry_path')} must start with / (got "${registryPath}")`);
  const policy: IngressPolicy = {
    warnDays: num('ingress.tls.expiry', 'warn_days'),
    failDays: num('ingress.tls.expiry', 'fail_days'),
    minVersion: minVersion as TlsVersion,
    rsaMinBits: num('ingress.tls.key_strength', 'rsa_min_bits'),
    ecMinBits: num('ingress.tls.key_strength', 'ec_min_bits'),
    weakHashes: str('ingress.tls.signature', 'weak_hashes').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean),
    defaultSubject: str('ingress.tls.default_cert', 'default_subject'),
    hstsMinAgeS: num('ingress.http.hsts', 'min_max_age_s'),
    registryPath,
  };
  if (policy.failDays > policy.warnDays) {
    throw new InputError(`${where('ingress.tls.expiry', 'fail_days')} (${policy.failDays}) is larger than warn_days (${policy.warnDays})`);
  }
  return policy;
}
