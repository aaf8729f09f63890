// Facts for the Replicator licence clock: every live connector's class and `confluent.license` (from
// Connect's REST API), and when each connector was created: the timestamp of the first record keyed
// `connector-<name>` in Connect's config topic, read from the broker Connect stores its state on.
import { allConnectors } from '../probes/connect.ts';
import { withBatchKafka } from '../probes/kafka-batch.ts';

/** Confluent Replicator's connector classes (ReplicatorSourceConnector and friends). */
export const CONFLUENT_REPLICATOR = /^io\.confluent\.connect\.replicator\./;

export interface JwtClaims {
  exp?: number;
  iat?: number;
  sub?: string;
}

export interface ConnectorLicence {
  name: string;
  className: string;
  confluent: boolean;
  /** the licence as configured: absent, a JWT (decoded claims, never the token), a config-provider reference, or unreadable */
  licence: { kind: 'absent' } | { kind: 'jwt'; claims: JwtClaims } | { kind: 'reference'; text: string } | { kind: 'unreadable'; why: string };
  /** creation time from the config topic (ms); undefined when no record names the connector */
  createdMs?: number;
  createdOffset?: number;
}

export interface LicenceFacts {
  /** where the config topic's name came from, or why it is unknown */
  configTopic?: string;
  configTopicSource: string;
  /** records of the config topic read to find creation times (undefined: not read) */
  scanned?: number;
  scanError?: string;
  connectors: ConnectorLicence[];
  nowMs: number;
  durationMs: number;
}

/** Decodes a JWT's payload without verifying its signature (Confluent's key is not ours to have). */
export function decodeJwt(token: string): JwtClaims {
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw new Error(`a JWT has 3 dot-separated parts, this has ${parts.length}`);
  const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  if (typeof payload !== 'object' || payload === null) throw new Error('its payload is not a JSON object');
  return { exp: typeof payload.exp === 'number' ? payload.exp : undefined, iat: typeof payload.iat === 'number' ? payload.iat : undefined, sub: typeof payload.sub === 'string' ? payload.sub : undefined };
}

/** One connector's licence facts from its live config and the creation times found in the config topic. */
export function connectorLicence(name: string, config: Record<string, string>, created: Map<string, { ms: number; offset: number }>): ConnectorLicence {
  const className = config['connector.class'] ?? '';
  const raw = config['confluent.license'];
  let licence: ConnectorLicence['licence'] = { kind: 'absent' };
  if (raw !== undefined && raw.trim() !== '') {
    if (/^\$\{.*\}$/.test(raw.trim())) licence = { kind: 'reference', text: raw.trim() };
    else {
      try {
        licence = { kind: 'jwt', claims: decodeJwt(raw) };
      } catch (e) {
        licence = { kind: 'unreadable', why: (e as Error).message };
      }
    }
  }
  const c = created.get(name);
  return { name, className, confluent: CONFLUENT_REPLICATOR.test(className), licence, createdMs: c?.ms, createdOffset: c?.offset };
}

/** The first record of each `connector-<name>` key in the config topic (Connect writes one per creation or update). */
export async function creationTimes(bootstrap: string[], timeoutMs: number, topic: string): Promise<{ created: Map<string, { ms: number; offset: number }>; scanned: number }> {
  const created = new Map<string, { ms: number; offset: number }>();
  const scanned = await withBatchKafka(bootstrap, timeoutMs, (k) =>
    k.scanPartition(topic, 0, (r) => {
      const m = /^connector-(.+)$/.exec(r.key ?? '');
      if (m && !created.has(m[1])) created.set(m[1], { ms: r.timestamp, offset: r.offset });
    }),
  );
  return { created, scanned };
}

export interface LicenceOptions {
  connectUrl: string;
  /** the brokers Connect keeps its config topic on */
  bootstrap: string[];
  configTopic?: string;
  configTopicSource: string;
  timeoutMs: number;
}

export async function gatherLicence(o: LicenceOptions): Promise<LicenceFacts> {
  const started = Date.now();
  const live = await allConnectors(o.connectUrl, o.timeoutMs);
  let created = new Map<string, { ms: number; offset: number }>();
  let scanned: number | undefined;
  let scanError: string | undefined;
  // the creation-time lookup runs whatever the connectors are: it is the evidence for the trial clock
  if (o.configTopic && live.length) {
    try {
      ({ created, scanned } = await creationTimes(o.bootstrap, o.timeoutMs, o.configTopic));
    } catch (e) {
      scanError = (e as Error).message;
    }
  }
  const connectors = live.map((c) => connectorLicence(c.info.name, c.info.config, created));
  return { configTopic: o.configTopic, configTopicSource: o.configTopicSource, scanned, scanError, connectors, nowMs: Date.now(), durationMs: Date.now() - started };
}
