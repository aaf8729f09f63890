// Puts markers in at the Summit: registers the marker schema (subject `<topic>-value`) with
// @kafkajs/confluent-schema-registry, and produces the markers over every partition, recording the
// send and ack times on the runner's monotonic clock.
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Partitioners } from 'kafkajs';
import TimeoutMiddleware from 'mappersmith/middleware/timeout';
import { ProbeError } from '../probes/errors.ts';
import { kafkaClient, withDeadline } from '../probes/kafka.ts';
import { buildMarker, efdStampMicros, encodeWire, markerSchema, markerType } from './schema.ts';
import type { MarkerTracker } from './tracker.ts';

/** Maps a schema-registry client error to a ProbeError whose reason the suite reports. */
function registryError(e: unknown, url: string): ProbeError {
  if (e instanceof ProbeError) return e;
  const err = e as { status?: number; message?: string; name?: string };
  const host = new URL(url).host;
  const text = (err.message ?? String(e)).replace(/^Confluent_Schema_Registry - /, '');
  if (err.name === 'TimeoutError' || /timeout|timed out/i.test(text)) return new ProbeError('unreachable', `schema registry ${host} did not answer in time`, host);
  if (/ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|socket hang up/i.test(text))
    return new ProbeError('unreachable', `schema registry ${host} is unreachable (${/E[A-Z_]+/.exec(text)?.[0] ?? text})`, host);
  if (err.status === 401 || err.status === 403) return new ProbeError('auth', `schema registry ${host} refused the credentials (HTTP ${err.status})`, host);
  if (err.status === 409 || err.status === 422) return new ProbeError('schema', `schema registry ${host} rejected the marker schema: ${text}`, host);
  return new ProbeError('http_status', `schema registry ${host}: ${text}`, host);
}

/**
 * Registers the marker schema under `<topic>-value` at `url` and returns its id. The subject's compatibility
 * setting is kept as it is (never written): when it is set, registration asks for that same level.
 */
export async function registerMarkerSchema(url: string, timeoutMs: number, topic: string): Promise<number> {
  const registry = new SchemaRegistry({ host: url, retry: { retries: 0 }, middlewares: [TimeoutMiddleware(timeoutMs) as any] });
  const schema = { type: SchemaType.AVRO, schema: JSON.stringify(markerSchema(topic)) } as const;
  const register = (compatibility?: string) =>
    withDeadline(
      registry.register(schema, { subject: `${topic}-value`, updateConfig: false, ...(compatibility ? { compatibility: compatibility as any } : {}) }),
      timeoutMs,
      url,
    );
  try {
    let res;
    try {
      res = await register();
    } catch (e) {
      // "Compatibility does not match the configuration (BACKWARD != FORWARD)": ask for the subject's own level
      const level = (e as Error).name === 'ConfluentSchemaRegistryCompatibilityError' ? /!= (\w+)\)/.exec((e as Error).message)?.[1] : undefined;
      if (!level) throw e;
      res = await register(level);
    }
    const id = Number(res.id);
    if (!Number.isInteger(id)) throw new ProbeError('schema', `schema registry ${new URL(url).host} answered the registration without an id`, url);
    return id;
  } catch (e) {
    throw registryError(e, url);
  }
}

export interface InjectOptions {
  bootstrap: string[];
  timeoutMs: number;
  topic: string;
  partitions: number[];
  schemaId: number;
  runId: string;
  identity: string;
  count: number;
  /** ms between two sends, so markers spread in time as well as over partitions */
  spacingMs: number;
  tracker: MarkerTracker;
}

/** Produces `count` markers, marker i to partition i mod P; never throws (send failures go to the tracker). */
export async function injectMarkers(o: InjectOptions): Promise<{ error?: ProbeError }> {
  const type = markerType(o.topic);
  const target = o.bootstrap.join(',');
  // idempotent: a retried send inside the client must not show up as a duplicate at LDF
  const producer = kafkaClient(o.bootstrap, o.timeoutMs, 'efd-health-markers').producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  try {
    await withDeadline(producer.connect(), o.timeoutMs, target);
  } catch (e) {
    const err = e instanceof ProbeError ? e : new ProbeError('connect', `Summit Kafka ${target}: ${(e as Error).message}`, target);
    return { error: err };
  }
  let lastError: ProbeError | undefined;
  try {
    for (let i = 0; i < o.count; i++) {
      const partition = o.partitions[i % o.partitions.length];
      const sentAt = performance.now();
      const wallMs = performance.timeOrigin + sentAt;
      const marker = buildMarker(o.topic, o.runId, i, o.identity, wallMs);
      o.tracker.sent(i, partition, sentAt, efdStampMicros(marker));
      try {
        await withDeadline(
          producer.send({
            topic: o.topic,
            acks: -1,
            timeout: o.timeoutMs,
            // CreateTime = the send time: MirrorMaker 2's replication-latency-ms counts from it
            messages: [{ partition, key: `${o.runId}:${i}`, value: encodeWire(type, o.schemaId, marker), timestamp: String(Math.floor(wallMs)) }],
          }),
          o.timeoutMs,
          `produce to ${o.topic}`,
        );
        o.tracker.acked(i, performance.now());
      } catch (e) {
        lastError = new ProbeError('connect', `produce of marker ${i} to ${o.topic} at ${target} failed: ${(e as Error).message}`, target);
        o.tracker.failed(i, lastError.message);
      }
      const wait = o.spacingMs - (performance.now() - sentAt);
      if (i < o.count - 1 && wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  } finally {
    await producer.disconnect().catch(() => {});
  }
  return { error: lastError };
}
