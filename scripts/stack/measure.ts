// Measures the local stack's figures (stated in README):
//   memory   sum of the resident memory of every stack process (and children), MiB = 2^20 bytes
//   latency  one EFD-shaped record at a time: Summit produce (acked) → visible in InfluxDB efd (50 ms polling)
//   start    (--start) a second, throw-away stack on shifted ports: first start (fresh data) and the start of
//            the installed, formatted stack, then removed again; the shared stack is not touched
// Usage: npx tsx scripts/stack/measure.ts [--records N] [--fresh] [--start]
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from 'kafkajs';
import { salPrivateValues } from '../../src/avro/sal.ts';
import { COMPONENTS } from './components.ts';
import { DEFAULT_PORTS, REPO, ports, state } from './paths.ts';
import { ourPid } from './proc.ts';

const args = process.argv.slice(2);
const records = Number(args[args.indexOf('--records') + 1] || 20);

function rssKb(pid: number, seen = new Set<number>()): number {
  if (seen.has(pid)) return 0;
  seen.add(pid);
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return kb + children.reduce((s, c) => s + rssKb(Number(c), seen), 0);
  } catch {
    return 0;
  }
}

function memory(): void {
  let total = 0;
  for (const c of COMPONENTS) {
    const kb = c.procs.reduce((s, proc) => s + (ourPid(proc) ? rssKb(ourPid(proc)!) : 0), 0);
    total += kb;
    console.log(`memory ${c.name.padEnd(23)} ${(kb / 1024).toFixed(0).padStart(5)} MiB`);
  }
  console.log(`memory ${'total'.padEnd(23)} ${(total / 1024).toFixed(0).padStart(5)} MiB (${(total * 1024 / 2 ** 30).toFixed(2)} GiB)`);
}

async function latency(n: number): Promise<void> {
  const p = ports();
  // --fresh: a topic never seen before, so the first record also shows how long a new topic takes end to end
  const topic = args.includes('--fresh') ? `lsst.sal.EFDHealthBench.logevent_fresh${Date.now()}` : 'lsst.sal.EFDHealthBench.logevent_heartbeat';
  const schema = JSON.parse(readFileSync(join(REPO, 'fixtures/avro/lsst.sal.Test.logevent_heartbeat.avsc'), 'utf8'));
  schema.name = topic;
  const summit = new SchemaRegistry({ host: `http://127.0.0.1:${p.registry_summit}/apis/ccompat/v7` });
  const { id } = await summit.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject: `${topic}-value` });
  for (let i = 0; i < 300; i++) {
    if ((await fetch(`http://127.0.0.1:${p.registry_ldf}/apis/ccompat/v7/schemas/ids/${id}`)).status === 200) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const kafka = new Kafka({ clientId: 'efd-stack-measure', brokers: [`127.0.0.1:${p.kafka_summit}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  if (!(await admin.listTopics()).includes(topic)) await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const user = readFileSync(join(state.secrets, 'influx-read-user'), 'utf8').trim();
  const pass = readFileSync(join(state.secrets, 'influx-read-password'), 'utf8').trim();
  const auth = 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64');
  const seen = async (seq: number) => {
    const q = encodeURIComponent(`SELECT private_seqNum FROM "${topic}" WHERE private_seqNum = ${seq}`);
    const body = (await (await fetch(`http://127.0.0.1:${p.influxdb}/query?db=efd&q=${q}`, { headers: { authorization: auth } })).json()) as any;
    return Boolean(body?.results?.[0]?.series);
  };
  const out: number[] = [];
  const base = Math.floor(Math.random() * 2 ** 30);
  // the first record of a new topic also waits for MirrorMaker 2's topic refresh and the sink's reload: report it apart
  for (let i = 0; i <= n; i++) {
    const now = Date.now() / 1000;
    const value = await summit.encode(id, {
      ...salPrivateValues(now, { seqNum: base + i, revCode: 'bench', identity: 'EFDHealthBench' }),
      salIndex: 1,
      heartbeat: true,
    });
    const t0 = performance.now();
    await producer.send({ topic, acks: -1, messages: [{ value }] });
    while (!(await seen(base + i))) {
      if (performance.now() - t0 > 120_000) throw new Error(`record ${i} not in InfluxDB after 120 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const ms = performance.now() - t0;
    if (i === 0) console.log(`latency first record     ${ms.toFixed(0)} ms (includes new-topic discovery)`);
    else out.push(ms);
  }
  await producer.disconnect();
  out.sort((a, b) => a - b);
  const pct = (q: number) => out[Math.min(out.length - 1, Math.floor(q * out.length))].toFixed(0);
  console.log(`latency Summit → InfluxDB over ${out.length} records: min ${out[0].toFixed(0)} ms, p50 ${pct(0.5)} ms, p90 ${pct(0.9)} ms, max ${out[out.length - 1].toFixed(0)} ms`);
}

async function startTimes(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'efd-stack-measure-'));
  process.env.EFD_STACK_DIR = dir;
  process.env.EFD_STACK_LOCK = join(dir, 'lock');
  for (const [k, v] of Object.entries(DEFAULT_PORTS)) process.env[`EFD_STACK_PORT_${k.toUpperCase()}`] = String(v + 100);
  const stack = await import('./index.ts');
  try {
    let t0 = Date.now();
    await stack.up({ quiet: true });
    console.log(`start fresh stack (format, create users and topics): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    memory();
    await stack.down({ quiet: true });
    t0 = Date.now();
    await stack.up({ quiet: true });
    console.log(`start installed stack: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await stack.down({ quiet: true, purge: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

if (args.includes('--start')) {
  await startTimes();
} else {
  memory();
  await latency(records);
}
process.exit(0);
