// Can the load generator hold 1.9 MB/s (MB = 10^6 bytes of Avro value) within ±2 % for N minutes, and at what
// CPU cost? The EFD-shaped traffic model (fixtures/traffic, Avro through the Summit registry) at a constant
// arrival rate against the local Summit broker; rate per window and overall, CPU of this process (the
// generator) as a percentage of one core, ack latency and send delay.
//   npx tsx scripts/bench/steady.ts [--minutes 10] [--rate 1.9MB/s] [--window 10] [--prefix lsst.bench.EFDHealthLoad]
// The default prefix is outside the replicator's lsst\.sal\..* so only the generator and the Summit broker are
// measured; --prefix lsst.sal.EFDHealthLoad loads the whole pipeline too. Holds the stack lock; removes its
// topics (or, under lsst.sal, their records) and subjects afterwards. Target (issue 8): ±2 % for 10 minutes
// using < 25 % of one core.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { withStackLock } from '../stack/lock.ts';
import { defaultProfilePath, loadProfile } from '../../src/config/profile.ts';
import { kafkaClient } from '../../src/probes/kafka.ts';
import { rest } from '../../src/probes/rest.ts';
import { Generator, type IntervalStats } from '../../src/load/generator.ts';
import { AdminSession } from '../../src/load/lag.ts';
import { preparePayloads } from '../../src/load/payloads.ts';
import { ProgressLine } from '../../src/load/progress.ts';
import { ensureTopics } from '../../src/load/topics.ts';
import { loadTrafficModel, scaleModel } from '../../src/load/traffic.ts';
import { formatRate, parseDuration, parseRate } from '../../src/load/units.ts';

const { values: a } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '1.9MB/s' },
    window: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '10s' },
    prefix: { type: 'string', default: 'lsst.bench.EFDHealthLoad' },
  },
});
const profile = loadProfile(defaultProfilePath());
const rate = parseRate(a.rate!);
const durationS = Number(a.minutes) * 60;
const warmupS = parseDuration(a.warmup!);
const windowS = Number(a.window);
const prefix = a.prefix!;
const bootstrap = profile.kafka.summit.bootstrap;
const registry = profile.registry.summit.url;

const specs = loadTrafficModel(prefix);
const topics = specs.map((s) => s.topic);

async function cleanup(): Promise<string> {
  const s = new AdminSession(bootstrap, 30_000);
  try {
    const existing = new Set(await s.call('list', (x) => x.listTopics()));
    const mine = topics.filter((t) => existing.has(t));
    if (prefix.startsWith('lsst.sal.')) {
      // carried by the replicator and the sink: delete the records only (see src/load/cleanup.ts)
      for (const t of mine) {
        const offs = await s.call('offsets', (x) => x.fetchTopicOffsets(t));
        await s.call('delete records', (x) => x.deleteTopicRecords({ topic: t, partitions: offs.map((o) => ({ partition: o.partition, offset: o.high })) }));
      }
    } else if (mine.length) await s.call('delete topics', (x) => x.deleteTopics({ topics: mine }));
    for (const t of topics) {
      await rest(`${registry}/subjects/${encodeURIComponent(`${t}-value`)}`, { timeoutMs: 5000, method: 'DELETE' }).catch(() => {});
      await rest(`${registry}/subjects/${encodeURIComponent(`${t}-value`)}?permanent=true`, { timeoutMs: 5000, method: 'DELETE' }).catch(() => {});
    }
    return prefix.startsWith('lsst.sal.') ? `records of ${mine.length} topics deleted` : `${mine.length} topics deleted`;
  } finally {
    await s.close();
  }
}

const run = await withStackLock(
  async () => {
    const sized = await preparePayloads(registry, specs, profile.timeout_ms);
    const model = scaleModel(sized, rate);
    const admin = new AdminSession(bootstrap, 30_000);
    await ensureTopics(admin, topics);
    await admin.close();
    const producer = kafkaClient(bootstrap, 30_000, 'efd-health-bench').producer({ allowAutoTopicCreation: false, idempotent: false });
    await producer.connect();
    const progress = new ProgressLine(durationS, process.stderr, 30_000);
    const payloadOf = new Map(sized.map((s) => [s.topic, s.payloads]));
    console.error(`steady: ${formatRate(rate)} over ${model.topics.length} topics ≈ ${Math.round(model.recordsPerS)} records/s for ${a.minutes} min (warm-up ${warmupS} s) under ${prefix}`);
    try {
      const gen = new Generator({
        producer,
        durationMs: durationS * 1000,
        warmupMs: warmupS * 1000,
        topics: model.topics.map((t) => ({ topic: t.topic, ratePerS: t.ratePerS, arrival: t.arrival, payloads: payloadOf.get(t.topic)! })),
        onInterval: (s) => progress.update(s, undefined),
      });
      const result = await gen.run();
      progress.end();
      return { result, model };
    } finally {
      await producer.disconnect();
      console.error(`steady: cleanup: ${await cleanup().catch((e) => `failed: ${(e as Error).message}`)}`);
    }
  },
  (s) => console.error(s),
);

const { result: r, model } = run;
const measured = r.intervals.filter((i) => !i.warmup);
// rate per window of `windowS` seconds (acknowledged bytes by ack time)
const windows: Array<{ bytes: number; secs: number }> = [];
let cur = { bytes: 0, secs: 0 };
for (const i of measured as IntervalStats[]) {
  cur.bytes += i.ackedBytes;
  cur.secs += i.seconds;
  if (cur.secs >= windowS - 0.01) {
    windows.push(cur);
    cur = { bytes: 0, secs: 0 };
  }
}
const dev = (b: number) => (100 * (b - rate)) / rate;
const rates = windows.map((w) => w.bytes / w.secs);
const within = rates.filter((x) => Math.abs(dev(x)) <= 2).length;
const overall = measured.reduce((s, i) => s + i.ackedBytes, 0) / measured.reduce((s, i) => s + i.seconds, 0);
console.log(`target ${formatRate(rate)} (MB = 10^6 bytes of Avro value), ${model.topics.length} topics, mean record ${Math.round(rate / model.recordsPerS)} B, ${a.minutes} min after a ${warmupS} s warm-up`);
console.log(`overall ${formatRate(overall)} (${dev(overall) >= 0 ? '+' : ''}${dev(overall).toFixed(2)} %)`);
console.log(`${windowS} s windows: ${within}/${windows.length} within ±2 %; min ${formatRate(Math.min(...rates))} (${dev(Math.min(...rates)).toFixed(2)} %), max ${formatRate(Math.max(...rates))} (+${dev(Math.max(...rates)).toFixed(2)} %)`);
console.log(`CPU of the generator: ${r.cpu.percentOfOneCore.toFixed(1)} % of one core (user ${r.cpu.userS.toFixed(1)} s + system ${r.cpu.systemS.toFixed(1)} s over ${r.cpu.wallS.toFixed(0)} s; target < 25 %)`);
console.log(`ack p50/p99/max ${r.ackLatency.p50_ms}/${r.ackLatency.p99_ms}/${r.ackLatency.max_ms} ms; send delay p99/max ${r.sendDelay.p99_ms}/${r.sendDelay.max_ms} ms; errors ${r.totals.errors}, dropped ${r.totals.dropped}, unsent ${r.totals.unsent}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(JSON.stringify({ target_bytes_per_s: rate, overall_bytes_per_s: overall, windows: windows.length, windows_within_2pct: within, cpu_percent_of_one_core: r.cpu.percentOfOneCore, ack_ms: r.ackLatency, send_delay_ms: r.sendDelay, errors: r.totals.errors }));
process.exit(0);
