// Child process of scripts/bench/producer.ts: the load generator's send path (src/load/generator.ts, pacing
// 'saturate') with fixed-size records, for `seconds`, then one JSON line with what it sent. Run alone:
//   npx tsx scripts/bench/producer-gen.ts --bootstrap 127.0.0.1:19092 --topic T --record-size 1000 --seconds 20
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { STAMP_FIELDS, type StampField } from '../../src/avro/sal.ts';
import { kafkaClient } from '../../src/probes/kafka.ts';
import { Generator } from '../../src/load/generator.ts';
import type { PayloadSet } from '../../src/load/payloads.ts';

const { values: a } = parseArgs({
  options: {
    bootstrap: { type: 'string', default: '127.0.0.1:19092' },
    topic: { type: 'string' },
    'record-size': { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '20' },
    acks: { type: 'string', default: '-1' },
    'in-flight': { type: 'string', default: '8' },
    'batch-bytes': { type: 'string', default: '262144' },
    partitions: { type: 'string', default: '1' },
  },
});
if (!a.topic) throw new Error('--topic is required');
const size = Number(a['record-size']);
if (size < 32) throw new Error('--record-size must be at least 32 (room for the four stamps)');

// the same per-record work as a load run: copy a pre-encoded variant, write four stamps
const payloads: PayloadSet = {
  topic: a.topic,
  schemaId: 0,
  variants: Array.from({ length: 16 }, () => randomBytes(size)),
  offsets: Object.fromEntries(STAMP_FIELDS.map((s, i) => [s, i * 8])) as Record<StampField, number>,
  meanBytes: size,
};

const producer = kafkaClient(a.bootstrap.split(','), 30_000, 'efd-health-bench').producer({ allowAutoTopicCreation: false, idempotent: false });
await producer.connect();
const gen = new Generator({
  producer,
  pacing: 'saturate',
  durationMs: Number(a.seconds) * 1000,
  acks: Number(a.acks),
  maxInFlight: Number(a['in-flight']),
  maxBatchBytes: Number(a['batch-bytes']),
  topics: [{ topic: a.topic, ratePerS: 1, arrival: 'periodic', payloads, partitions: Number(a.partitions) }],
});
const r = await gen.run();
await producer.disconnect();
const seconds = (r.intervals.at(-1)?.tMs ?? r.cpu.wallS * 1000) / 1000;
process.stdout.write(
  JSON.stringify({
    records: r.totals.ackedRecords,
    bytes: r.totals.ackedBytes,
    errors: r.totals.errors,
    seconds,
    cpu_s: r.cpu.userS + r.cpu.systemS,
    ack_p50_ms: r.ackLatency.p50_ms,
    ack_p99_ms: r.ackLatency.p99_ms,
    last_error: r.lastError,
  }) + '\n',
);
process.exit(0);
