// Live connector config against the declared one: every differing key, with secret-looking values masked.

/**
 * Keys whose values must never appear in a report. Broader than an exact list (password, secret, token,
 * credential, sasl.jaas.config) plus key material named `…key` (ssl.key, api.key, private.key); `key.converter`
 * and friends (a key segment followed by more segments) are configuration, not secrets, and stay readable.
 */
const SECRET_KEY = /password|passwd|secret|token|credential|sasl\.jaas|(^|[._-])[a-z]*key$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export const MASK = '***';

function shown(key: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return isSecretKey(key) ? MASK : value;
}

export interface KeyDiff {
  key: string;
  kind: 'missing' | 'extra' | 'changed';
  /** declared value (masked if secret) */
  declared?: string;
  /** live value (masked if secret) */
  live?: string;
}

/**
 * missing: declared but absent live; extra: live but not declared; changed: both, different values.
 * `ignore` lists keys the live side adds by itself (Connect adds `name`).
 */
export function diffConfig(declared: Record<string, string>, live: Record<string, string>, ignore: string[] = ['name']): KeyDiff[] {
  const out: KeyDiff[] = [];
  const keys = [...new Set([...Object.keys(declared), ...Object.keys(live)])].filter((k) => !ignore.includes(k)).sort();
  for (const key of keys) {
    const d = declared[key];
    const l = live[key];
    if (d !== undefined && l === undefined) out.push({ key, kind: 'missing', declared: shown(key, d) });
    else if (d === undefined && l !== undefined) out.push({ key, kind: 'extra', live: shown(key, l) });
    else if (d !== l) out.push({ key, kind: 'changed', declared: shown(key, d), live: shown(key, l) });
  }
  return out;
}

/** "changed emit.heartbeats.interval.seconds: 1 → 2; missing tasks.max (1); extra foo (bar)" */
export function describeDiffs(diffs: KeyDiff[]): string {
  return diffs
    .map((d) =>
      d.kind === 'changed'
        ? `changed ${d.key}: ${d.declared} → ${d.live}`
        : d.kind === 'missing'
          ? `missing ${d.key} (declared ${d.declared})`
          : `extra ${d.key} (live ${d.live})`,
    )
    .join('; ');
}
