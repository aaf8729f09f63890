// End to end through the real local stack (brought up by test/global-setup.ts): an EFD-shaped Avro record
// produced at Summit reaches LDF Kafka under the same topic and InfluxDB `efd` with time = private_efdStamp,
// and its schema id is the same in both registries.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ports, state } from '../scripts/stack/paths.ts';

const TOPIC = 'lsst.sal.Test.logevent_heartbeat';
const SUBJECT = `${TOPIC}-value`;
const p = ports();
const summitRegistry = `http://127.0.0.1:${p.registry_summit}/apis/ccompat/v7`;
const ldfRegistry = `http://127.0.0.1:${p.registry_ldf}/apis/ccompat/v7`;
const schemaText = readFileSync(new URL('../fixtures/avro/lsst.sal.Test.logevent_heartbeat.avsc', import.meta.url), 'utf8');

const kafka = (port: number) => new Kafka({ clientId: 'efd-health-e2e', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
const secret = (name: string) => readFileSync(join(state.secrets, name), 'utf8').trim();

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The record's row in InfluxDB efd (read-only user), time in µs. */
async function influxRow(seqNum: number): Promise<{ time: number; row: Record<string, unknown> } | undefined> {
  const q = `SELECT * FROM "${TOPIC}" WHERE private_seqNum = ${seqNum}`;
  const url = `http://127.0.0.1:${p.influxdb}/query?db=efd&epoch=u&q=${encodeURIComponent(q)}`;
  const auth = Buffer.from(`${secret('influx-read-user')}:${secret('influx-read-password')}`).toString('base64');
  const res = await fetch(url, { headers: { authorization: `Basic ${auth}` }, signal: AbortSignal.timeout(3000) });
  const body = (await res.json()) as any;
  const series = body?.results?.[0]?.series?.[0];
  if (!series) return undefined;
  const row = Object.fromEntries(series.columns.map((c: string, i: number) => [c, series.values[0][i]]));
  return { time: Number(row.time), row };
}

describe('EFD pipeline: Summit → MirrorMaker 2 → LDF → Telegraf → InfluxDB', () => {
  const registry = new SchemaRegistry({ host: summitRegistry });
  const ldf = new SchemaRegistry({ host: ldfRegistry });
  const producer = kafka(p.kafka_summit).producer({ allowAutoTopicCreation: true });
  const groupId = `efd-health-e2e-${process.pid}-${Date.now()}`;
  const consumer = kafka(p.kafka_ldf).consumer({ groupId });
  let schemaId = 0;

  beforeAll(async () => {
    // SAL producers create their topics explicitly (1 partition), they do not rely on auto-creation
    const admin = kafka(p.kafka_summit).admin();
    await admin.connect();
    if (!(await admin.listTopics()).includes(TOPIC)) {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: 1 }] }).catch(() => {});
    }
    await admin.disconnect();
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect().catch(() => {});
    await consumer.disconnect().catch(() => {});
    const admin = kafka(p.kafka_ldf).admin();
    await admin.connect().then(() => admin.deleteGroups([groupId])).catch(() => {});
    await admin.disconnect();
  });

  it('registers the schema at Summit and LDF serves the same id', async () => {
    ({ id: schemaId } = await registry.register({ type: SchemaType.AVRO, schema: schemaText }, { subject: SUBJECT }));
    // the LDF registry learns the schema from the mirrored journal: wait for it before producing (race, local-stack.md §S3)
    await until('schema id at the LDF registry', 60_000, async () => {
      const res = await fetch(`${ldfRegistry}/schemas/ids/${schemaId}`, { signal: AbortSignal.timeout(3000) });
      return res.status === 200 ? true : undefined;
    });
    expect(await ldf.getLatestSchemaId(SUBJECT)).toBe(schemaId);
    expect(await registry.getLatestSchemaId(SUBJECT)).toBe(schemaId);
  });

  it('a record produced at Summit appears at LDF Kafka and in InfluxDB efd at its private_efdStamp', async () => {
    expect(schemaId).toBeGreaterThan(0);
    const micros = Date.now() * 1000 + Math.floor(Math.random() * 1000);
    const efdStamp = micros / 1e6;
    const seqNum = Math.floor(Math.random() * 2 ** 31);
    const record = {
      private_efdStamp: efdStamp,
      private_kafkaStamp: efdStamp + 37.001,
      salIndex: 1,
      private_revCode: 'e2e00001',
      private_sndStamp: efdStamp + 37,
      private_rcvStamp: efdStamp + 37.0005,
      private_seqNum: seqNum,
      private_identity: 'Test:1',
      private_origin: process.pid,
      heartbeat: true,
    };
    const value = await registry.encode(schemaId, record);
    const t0 = Date.now();
    await producer.send({ topic: TOPIC, acks: -1, messages: [{ value }] });

    // LDF Kafka, same topic name (MirrorMaker 2 creates it there within its refresh interval)
    let seenAtLdf: number | undefined;
    const ldfAdmin = kafka(p.kafka_ldf).admin();
    await ldfAdmin.connect();
    await until('topic at LDF', 60_000, async () => ((await ldfAdmin.listTopics()).includes(TOPIC) ? true : undefined));
    await ldfAdmin.disconnect();
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    const found = new Promise<Record<string, unknown>>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (!message.value || message.value[0] !== 0) return;
          const decoded = await ldf.decode(message.value).catch(() => undefined);
          if (decoded?.private_seqNum === seqNum) {
            seenAtLdf ??= Date.now();
            resolve(decoded);
          }
        },
      });
    });
    const atLdf = await Promise.race([found, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('record not at LDF within 60 s')), 60_000))]);
    expect(atLdf).toMatchObject({ private_seqNum: seqNum, private_efdStamp: efdStamp, heartbeat: true });
    expect(atLdf.private_efdStamp).toBe(efdStamp);

    // InfluxDB efd: measurement = topic, time = private_efdStamp at µs precision
    const { time, row } = await until('record in InfluxDB efd', 90_000, () => influxRow(seqNum));
    const latencyMs = Date.now() - t0;
    expect(time).toBe(micros);
    expect(row).toMatchObject({ private_seqNum: seqNum, salIndex: 1, private_identity: 'Test:1', heartbeat: true });
    console.log(`e2e: Summit produce → LDF Kafka ${seenAtLdf! - t0} ms (consumer-observed), → InfluxDB ≤ ${latencyMs} ms (200 ms polling)`);
  });
});
