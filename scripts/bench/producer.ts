// Maximum produce throughput of the load generator against Kafka's own ProducerPerformance
// (kafka-producer-perf-test, from the same jars as the stack), on the local Summit broker, in one run:
// same topic, record size and acks (all), each tool unthrottled, one after the other. Prints MB/s (10^6 bytes)
// and MiB/s, records/s, and CPU per MB of each process (user + system, from bash's `times`, JVM start-up and
// tsx start-up included).
//   npx tsx scripts/bench/producer.ts [--record-size 1000] [--seconds 20] [--partitions 1] [--in-flight 8]
// Holds the stack lock while it loads the broker. Targets (issue 8): generator ≥ 10 × 1.9 MB/s on loopback,
// ≥ 0.5 × ProducerPerformance.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { withStackLock } from '../stack/lock.ts';
import { findJava } from '../stack/install.ts';
import { cache, FIXTURES } from '../stack/paths.ts';
import { defaultProfilePath, loadProfile } from '../../src/config/profile.ts';
import { kafkaClient } from '../../src/probes/kafka.ts';
import { formatRate, REQUIRED_BYTES_PER_S } from '../../src/load/units.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const { values: a } = parseArgs({
  options: {
    'record-size': { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '20' },
    partitions: { type: 'string', default: '1' },
    'in-flight': { type: 'string', default: '8' },
    'batch-bytes': { type: 'string', default: '262144' },
    'java-records': { type: 'string' },
  },
});
const size = Number(a['record-size']);
const partitions = Number(a.partitions);
const profile = loadProfile(defaultProfilePath());
const bootstrap = profile.kafka.summit.bootstrap;
// outside the replicator's lsst\.sal\..* so only the Summit broker sees it
const TOPIC = 'efdhealth.bench.producer';

interface Measured {
  tool: string;
  records: number;
  bytesPerS: number;
  recordsPerS: number;
  cpuS: number;
  seconds: number;
  note: string;
}

/** Runs a command under bash and returns its stdout plus the CPU its children used (bash `times`). */
function timed(cmd: string[]): Promise<{ stdout: string; stderr: string; cpuS: number; code: number | null }> {
  const quoted = cmd.map((c) => `'${c.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((done) => {
    const child = spawn('bash', ['-c', `${quoted}; rc=$?; echo "__TIMES__"; times; exit $rc`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const [stdout, times = ''] = out.split('__TIMES__');
      // times: line 1 the shell's own user/sys, line 2 its children's
      const secs = (t: string) => {
        const m = /(\d+)m([\d.]+)s/.exec(t);
        return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
      };
      const children = times.trim().split('\n')[1] ?? '';
      const [u = '', s = ''] = children.trim().split(/\s+/);
      done({ stdout, stderr: err, cpuS: secs(u) + secs(s), code });
    });
  });
}

async function withTopic<T>(fn: () => Promise<T>): Promise<T> {
  const admin = kafkaClient(bootstrap, 30_000).admin();
  await admin.connect();
  try {
    if ((await admin.listTopics()).includes(TOPIC)) await admin.deleteTopics({ topics: [TOPIC] });
    await new Promise((r) => setTimeout(r, 1000));
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: TOPIC, numPartitions: partitions, replicationFactor: 1 }] });
    return await fn();
  } finally {
    await admin.deleteTopics({ topics: [TOPIC] }).catch(() => {});
    await admin.disconnect();
  }
}

async function generator(): Promise<Measured> {
  const r = await timed([process.execPath, '--import', 'tsx', 'scripts/bench/producer-gen.ts', '--bootstrap', bootstrap.join(','), '--topic', TOPIC,
    '--record-size', String(size), '--seconds', a.seconds!, '--acks=-1', '--in-flight', a['in-flight']!, '--batch-bytes', a['batch-bytes']!,
    '--partitions', String(partitions)]);
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  let j: { records: number; bytes: number; seconds: number; errors: number; ack_p99_ms: number; cpu_s: number; last_error?: string };
  try {
    j = JSON.parse(line);
  } catch {
    throw new Error(`generator run failed (exit ${r.code}): ${r.stderr.slice(-800)}`);
  }
  return {
    tool: 'efd-health generator (kafkajs)',
    records: j.records,
    bytesPerS: j.bytes / j.seconds,
    recordsPerS: j.records / j.seconds,
    cpuS: r.cpuS,
    seconds: j.seconds,
    note: `errors ${j.errors}, ack p99 ${j.ack_p99_ms} ms, in-run CPU ${j.cpu_s.toFixed(1)} s${j.last_error ? `, last error ${j.last_error}` : ''}`,
  };
}

async function producerPerformance(records: number): Promise<Measured> {
  const java = (await findJava(17, 'java')) ?? 'java';
  const r = await timed([java, '-Xmx512m', `-Dlog4j2.configurationFile=${join(FIXTURES, 'log4j2.properties')}`, '-cp', join(cache.kafkaLibs, '*'),
    'org.apache.kafka.tools.ProducerPerformance', '--topic', TOPIC, '--num-records', String(records), '--record-size', String(size),
    '--throughput', '-1', '--producer-props', `bootstrap.servers=${bootstrap.join(',')}`, 'acks=all']);
  // "N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max latency, p50 ms 50th, …"
  const final = r.stdout.split('\n').filter((l) => /records sent/.test(l)).at(-1) ?? '';
  const m = /([\d.]+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency(?:, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th)?/.exec(final);
  if (!m) throw new Error(`ProducerPerformance gave no result (exit ${r.code}): ${(r.stdout + r.stderr).slice(-800)}`);
  const recordsPerS = Number(m[2]);
  return {
    tool: 'Kafka ProducerPerformance (Java)',
    records: Number(m[1]),
    bytesPerS: recordsPerS * size,
    recordsPerS,
    cpuS: r.cpuS,
    seconds: Number(m[1]) / recordsPerS,
    note: `avg ${m[4]} ms, max ${m[5]} ms${m[8] ? `, p99 ${m[8]} ms` : ''}; its own "MB/sec" is MiB: ${m[3]}`,
  };
}

const fmt = (x: Measured) =>
  `${x.tool.padEnd(34)} ${formatRate(x.bytesPerS).padEnd(26)} ${Math.round(x.recordsPerS).toString().padStart(8)} rec/s  ` +
  `CPU ${x.cpuS.toFixed(1).padStart(5)} s over ${x.seconds.toFixed(1)} s = ${((1000 * x.cpuS) / (x.records * size / 1e6)).toFixed(1)} CPU-ms per MB  (${x.note})`;

const result = await withStackLock(
  () =>
    withTopic(async () => {
      const gen = await generator();
      const javaRecords = a['java-records'] ? Number(a['java-records']) : Math.min(Math.max(4 * gen.records, 200_000), Math.floor(4e9 / size));
      const jp = await producerPerformance(javaRecords);
      return { gen, jp };
    }),
  (s) => console.error(s),
);

const { gen, jp } = result;
console.log(`record size ${size} B, acks=all, topic ${TOPIC} (${partitions} partition${partitions > 1 ? 's' : ''}) on ${bootstrap.join(',')}; MB = 10^6 bytes`);
console.log(fmt(gen));
console.log(fmt(jp));
const ratio = gen.bytesPerS / jp.bytesPerS;
const cpuPerMb = (x: Measured) => (1000 * x.cpuS) / ((x.records * size) / 1e6);
console.log(
  `generator / ProducerPerformance: throughput ${ratio.toFixed(2)}× (target ≥ 0.5), CPU per MB ${(cpuPerMb(gen) / cpuPerMb(jp)).toFixed(2)}×; ` +
    `generator max = ${(gen.bytesPerS / REQUIRED_BYTES_PER_S).toFixed(1)}× the 1.9 MB/s requirement (target ≥ 10); load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`,
);
console.log(JSON.stringify({ record_size: size, generator: gen, producer_performance: jp, throughput_ratio: ratio, cpu_per_mb_ratio: cpuPerMb(gen) / cpuPerMb(jp) }));
process.exit(0);
