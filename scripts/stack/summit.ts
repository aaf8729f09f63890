// The living Summit: a stack component that publishes SAL-shaped records to the Summit Kafka for as long as
// the stack runs (fixtures/stack/summit.yaml), the way the CSCs feed the real Summit EFD. Declares every
// topic (topic + schema), silent ones included, then sends each published topic at its cadence.
// A CSC named in <state>/summit/stopped sends nothing (the fault `stop-csc`), as when a CSC goes offline.
// Usage: node --import tsx summit.ts <state dir> <summit kafka port> <summit registry port> <ldf registry port>
import type { SummitTopic } from './summit-model.ts';

const [stateDir, kafkaPort, registryPort, ldfRegistryPort] = process.argv.slice(2);
process.env.EFD_STACK_DIR = stateDir;
const { sleep } = await import('./proc.ts');
const { loadSummitModel } = await import('./summit-model.ts');
const { stoppedCscs } = await import('./summit-control.ts');
const { createTopics } = await import('../../src/data/synthetic.ts');
const { preparePayloads, stampRecord } = await import('../../src/load/payloads.ts');
const { Scheduler } = await import('../../src/load/schedule.ts');
const { kafkaClient } = await import('../../src/probes/kafka.ts');
const { mapLimit } = await import('../../src/probes/registry.ts');
const { waitForSchemaIds } = await import('../../src/load/topics.ts');

const bootstrap = [`127.0.0.1:${kafkaPort}`];
const registry = `http://127.0.0.1:${registryPort}/apis/ccompat/v7`;
const ldfRegistry = `http://127.0.0.1:${ldfRegistryPort}/apis/ccompat/v7`;
const TICK_MS = 100;
const log = (s: string) => console.log(`${new Date().toISOString()} ${s}`);

/** Retries a set-up step while the brokers or the registry are still starting. */
async function retrying<T>(what: string, fn: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= 30) throw e;
      log(`${what} failed (${(e as Error).message}); again in 2 s`);
      await sleep(2000);
    }
  }
}

const model = loadSummitModel();
await retrying('creating the topics', () => createTopics(bootstrap, model.map((t) => t.topic)));
// one registration at a time takes a second or more at a busy registry: several in flight
const prepared = (await retrying('registering the schemas', () => mapLimit(model, 8, (t) => preparePayloads(registry, [t], 30_000, 8)))).flat();
// preparePayloads keeps each spec's own fields: csc and silent come through
const live = (prepared as Array<(typeof prepared)[number] & SummitTopic>).filter((t) => !t.silent);
// the sink decodes with the LDF registry, which learns ids through replication: a record sent before its
// schema id is known there would be dropped by the sink, so publishing waits for them (as a CSC's first
// records would be lost on a real EFD whose registries are not in step)
const unknownAtLdf = await waitForSchemaIds(ldfRegistry, [...new Set(prepared.map((p) => p.payloads.schemaId))], 180_000, 5000);
if (unknownAtLdf.length) log(`the LDF registry still does not know schema ids ${unknownAtLdf.join(', ')}: the sink will drop those records`);
const bytesPerS = live.reduce((s, t) => s + t.naturalRatePerS * t.bytesPerRecord, 0);
const recordsPerS = live.reduce((s, t) => s + t.naturalRatePerS, 0);
log(
  `producing ${live.length} topics of ${new Set(model.map((t) => t.csc)).size} CSCs (${model.length - live.length} declared and silent) ` +
    `≈ ${Math.round(recordsPerS)} records/s, ${(bytesPerS / 1000).toFixed(1)} kB/s to ${bootstrap[0]}`,
);

const producer = kafkaClient(bootstrap, 30_000, 'efd-summit').producer({ allowAutoTopicCreation: false });
await retrying('connecting the producer', () => producer.connect());
const scheduler = new Scheduler(
  live.map((t) => ({ ratePerS: t.naturalRatePerS, arrival: t.arrival })),
  { startMs: Date.now(), endMs: Number.POSITIVE_INFINITY, maxQueuedPerTopic: 10_000 },
);
const variant = live.map(() => 0);
let sent = 0;
let lastError = '';
let stopped = stoppedCscs();
let lastReport = Date.now();

for (let tick = 0; ; tick++) {
  const now = Date.now();
  if (tick % 10 === 0) stopped = stoppedCscs();
  scheduler.advance(now);
  const topicMessages = live.flatMap((t, i) => {
    const due = scheduler.queues[i].take(Number.MAX_SAFE_INTEGER);
    if (!due.length || stopped.has(t.csc)) return []; // a stopped CSC's records are never sent, not sent late
    const messages = due.map((intended) => ({ value: stampRecord(t.payloads, variant[i]++, intended, now), timestamp: String(Math.floor(intended)) }));
    return [{ topic: t.topic, messages }];
  });
  if (topicMessages.length) {
    try {
      await producer.sendBatch({ topicMessages, acks: -1 });
      sent += topicMessages.reduce((s, m) => s + m.messages.length, 0);
    } catch (e) {
      if ((e as Error).message !== lastError) log(`send failed: ${(lastError = (e as Error).message)}`);
    }
  }
  if (now - lastReport >= 60_000) {
    log(`sent ${sent} records in the last ${Math.round((now - lastReport) / 1000)} s${stopped.size ? `; stopped: ${[...stopped].join(', ')}` : ''}`);
    [sent, lastReport, lastError] = [0, now, ''];
  }
  await sleep(Math.max(0, now + TICK_MS - Date.now()));
}
