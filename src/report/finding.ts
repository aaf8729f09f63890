// The one record every check produces. Every writer (console, JSON, JUnit, HTML, Markdown, InfluxDB)
// reads these, so they can never disagree.

export const STATUSES = ['pass', 'warn', 'fail', 'error', 'skip'] as const;
export type Status = (typeof STATUSES)[number];

/** Why a check did not pass (or `ok` when it did). Keep the list closed so reports can group by it. */
export const REASONS = [
  'ok',
  // reachability
  'dns', 'connect', 'refused', 'timeout', 'unreachable',
  // TLS and HTTP
  'tls_handshake', 'cert_expired', 'cert_not_yet_valid', 'cert_expiring', 'hostname_mismatch', 'untrusted',
  'incomplete_chain', 'weak_crypto', 'old_protocol', 'default_cert', 'no_hsts', 'no_redirect', 'http_status', 'auth',
  // markers and data
  'not_arrived', 'late', 'lost', 'unobserved', 'duplicate', 'stale', 'incomplete', 'missing', 'lag',
  // services, conformance, capacity, load
  'state', 'drift', 'parity', 'policy', 'schema', 'capacity', 'keep_up',
  // phase 2 roll-ups, the Replicator licence
  'mismatch', 'licence_expiring', 'licence_expired',
  // the suite itself; not_applicable: the whole suite does not apply to the target (writers show it once)
  'skipped', 'not_applicable', 'internal',
] as const;
export type Reason = (typeof REASONS)[number];

/** A series a writer may plot: a latency distribution or a timeline. Units go in the name. */
export interface Series {
  name: string;
  kind: 'histogram' | 'timeline';
  unit: string;
  /** histogram: [bucket upper bound, count]; timeline: [ms since run start, value] */
  points: Array<[number, number]>;
}

export interface Finding {
  /** Stable, dotted: `replication.marker.e2e_latency`, `ingress.tls.expiry`. Must be in the catalog. */
  id: string;
  suite: string;
  target: string;
  status: Status;
  reason: Reason;
  /** One readable sentence. */
  message: string;
  /** What to look at next. */
  hint?: string;
  /** Numbers with their unit in the name: `latency_ms_p99`, `days_left`. */
  measurements?: Record<string, number>;
  /** Small facts behind the verdict; never secrets. */
  evidence?: Record<string, unknown>;
  series?: Series[];
  duration_ms?: number;
}

export function isFailing(status: Status): boolean {
  return status === 'fail' || status === 'error';
}
