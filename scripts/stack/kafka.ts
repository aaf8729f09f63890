// The two KRaft clusters: storage format, start, readiness, and the topics the stack pre-creates.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { $ } from 'zx';
import { StackError } from './errors.ts';
import { PROBE_MS, JOURNAL_TOPIC, SNAPSHOTS_TOPIC, FIXTURES, state } from './paths.ts';
import { startDaemon } from './proc.ts';
import { renderConf } from './render.ts';

export const JVM_COMMON = ['-server', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent', '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true'];

export function logOpts(): string[] {
  return [`-Dlog4j2.configurationFile=${join(FIXTURES, 'log4j2.properties')}`, `-Dkafka.logs.dir=${state.logs}`];
}

export async function withAdmin<T>(port: number, fn: (admin: Admin) => Promise<T>, timeoutMs = PROBE_MS): Promise<T> {
  const kafka = new Kafka({
    clientId: 'efd-stack',
    brokers: [`127.0.0.1:${port}`],
    connectionTimeout: 2500,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`kafka 127.0.0.1:${port} did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    return await Promise.race([admin.connect().then(() => fn(admin)), deadline]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => {});
  }
}

/** A broker is ready when it answers a metadata request naming itself as a live broker. */
export async function kafkaReady(port: number): Promise<boolean> {
  return withAdmin(port, async (a) => (await a.describeCluster()).brokers.length > 0).catch(() => false);
}

/** Formats the node's storage once (a fresh random cluster id per cluster), then starts kafka.Kafka. */
export async function startKafka(name: string, port: number, controllerPort: number, java: string, classpath: string): Promise<void> {
  const dataDir = join(state.data, name);
  mkdirSync(dataDir, { recursive: true });
  const conf = renderConf('server.properties', `${name}.properties`, { PORT: port, CONTROLLER_PORT: controllerPort, DATA_DIR: dataDir });
  if (!existsSync(join(dataDir, 'meta.properties'))) {
    const clusterId = randomBytes(16).toString('base64url');
    const r = await $`${java} -Xmx256m ${logOpts()} -cp ${classpath} kafka.tools.StorageTool format -t ${clusterId} -c ${conf}`.nothrow().quiet();
    if (r.exitCode !== 0) {
      throw new StackError(`${name}: formatting its storage failed (${lastLine(r.stderr + r.stdout)}); data dir ${dataDir}.`);
    }
  }
  startDaemon({
    proc: name,
    cmd: java,
    args: ['-Xms256m', '-Xmx512m', ...JVM_COMMON, ...logOpts(), `-Defd.stack=${state.root}`, '-cp', classpath, 'kafka.Kafka', conf],
  });
}

/** Creates the topic with these configs unless it exists (the registry journal must be 1 partition, never deleted). */
export async function ensureTopic(port: number, topic: string, configs: Record<string, string>, partitions = 1): Promise<void> {
  await withAdmin(port, async (a) => {
    const existing = await a.listTopics();
    if (existing.includes(topic)) return;
    await a.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1, configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })) }],
    });
  }, 10_000);
}

/** Apicurio's kafkasql start-up check refuses journal or snapshots topics that may delete records. */
export const JOURNAL_CONFIGS = { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1' };

export async function ensureRegistryTopics(port: number): Promise<void> {
  // a broker that just started may still answer UNKNOWN_TOPIC_OR_PARTITION while its metadata settles
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureTopic(port, JOURNAL_TOPIC, JOURNAL_CONFIGS);
      await ensureTopic(port, SNAPSHOTS_TOPIC, JOURNAL_CONFIGS);
      return;
    } catch (e) {
      if (attempt >= 30) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function lastLine(s: string): string {
  return s.trim().split('\n').filter(Boolean).pop() ?? 'no output';
}
