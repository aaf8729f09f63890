// JMX facts from a JVM (Kafka Connect running MirrorMaker 2) through Kafka's own JmxTool
// (org.apache.kafka.tools.JmxTool from the kafka-tools jar), so no JMX client library is needed.
// One JVM per call, bounded by a deadline: a dead endpoint gives a ProbeError, never a hang.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../config/profile.ts';
import { ProbeError } from './errors.ts';

export const KAFKA_LIBS_ENV = 'EFD_HEALTH_KAFKA_LIBS';

/** A folder holding kafka-tools, kafka-clients, kafka-server-common and jopt-simple jars, if there is one. */
export function kafkaLibsDir(): string | undefined {
  const candidates = [
    process.env[KAFKA_LIBS_ENV],
    join(process.env.EFD_HEALTH_CACHE || join(homedir(), '.cache', 'efd-health'), 'libs', 'kafka'),
    resolve(REPO_ROOT, '.stack', 'libs', 'kafka'),
  ].filter((d): d is string => !!d);
  return candidates.find((d) => existsSync(d) && readdirSync(d).some((f) => /^kafka-tools-\d.*\.jar$/.test(f)));
}

export interface MBeanReading {
  /** the object name, e.g. kafka.connect.mirror:type=MirrorSourceConnector,source=summit,target=ldf,topic=t,partition=0 */
  name: string;
  /** its key properties (type, source, target, topic, partition …) */
  keys: Record<string, string>;
  attributes: Record<string, number>;
}

/** Parses JmxTool's `--report-format properties` output: `time=…` then `<object name>:<attribute>=<value>` lines. */
export function parseJmxProperties(text: string): MBeanReading[] {
  const byName = new Map<string, MBeanReading>();
  for (const line of text.split('\n')) {
    const m = /^(.+:.+):([^:=]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, name, attribute, raw] = m;
    const value = Number(raw);
    if (!Number.isFinite(value)) continue;
    let r = byName.get(name);
    if (!r) {
      const keys = Object.fromEntries(
        name.slice(name.indexOf(':') + 1).split(',').map((kv) => kv.split('=') as [string, string]),
      );
      r = { name, keys, attributes: {} };
      byName.set(name, r);
    }
    r.attributes[attribute] = value;
  }
  return [...byName.values()];
}

/** JmxTool retries a refused endpoint for about 10 s; a plain TCP connect tells it at once. */
function tcpReachable(hostPort: string, deadlineMs: number): Promise<ProbeError | undefined> {
  const i = hostPort.lastIndexOf(':');
  return new Promise((done) => {
    const socket = connect({ host: hostPort.slice(0, i), port: Number(hostPort.slice(i + 1)) });
    const finish = (e?: ProbeError) => {
      clearTimeout(timer);
      socket.destroy();
      done(e);
    };
    const timer = setTimeout(() => finish(new ProbeError('timeout', `JMX at ${hostPort}: no answer within ${deadlineMs} ms`, hostPort)), deadlineMs);
    socket.once('connect', () => finish());
    socket.once('error', (e: NodeJS.ErrnoException) =>
      finish(new ProbeError(e.code === 'ECONNREFUSED' ? 'connect' : 'unreachable', `JMX at ${hostPort} ${e.code === 'ECONNREFUSED' ? 'refused the connection' : e.message}`, hostPort)),
    );
  });
}

export interface JmxReadOptions {
  timeoutMs: number;
  libsDir?: string;
  java?: string;
}

/**
 * Reads `attributes` of the MBeans matching `objectName` (a JMX pattern) once, at `hostPort`.
 * Throws ProbeError: missing (no java or jars here), connect (endpoint refused), timeout.
 */
export async function readMBeans(hostPort: string, objectName: string, attributes: string[], opts: JmxReadOptions): Promise<MBeanReading[]> {
  const libs = opts.libsDir ?? kafkaLibsDir();
  if (!libs)
    throw new ProbeError('missing', `no Kafka jars with org.apache.kafka.tools.JmxTool here (set ${KAFKA_LIBS_ENV} to a folder holding kafka-tools-*.jar)`, hostPort);
  const unreachable = await tcpReachable(hostPort, Math.min(2000, opts.timeoutMs));
  if (unreachable) throw unreachable;
  const args = [
    '-Xmx64m',
    '-XX:TieredStopAtLevel=1',
    '-cp',
    `${libs}/*`,
    'org.apache.kafka.tools.JmxTool',
    '--jmx-url',
    `service:jmx:rmi:///jndi/rmi://${hostPort}/jmxrmi`,
    '--object-name',
    objectName,
    '--attributes',
    attributes.join(','),
    '--report-format',
    'properties',
    '--one-time',
    'true',
  ];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(opts.java ?? 'java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new ProbeError('timeout', `JMX at ${hostPort} did not answer within ${opts.timeoutMs} ms`, hostPort));
    }, opts.timeoutMs);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new ProbeError('missing', e.code === 'ENOENT' ? 'java is not installed here (JmxTool needs a JRE)' : `java: ${e.message}`, hostPort));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const readings = parseJmxProperties(out);
      if (code === 0 || readings.length) return resolvePromise(readings);
      const text = (err + out).replace(/\s+/g, ' ');
      if (/No matched attributes/i.test(text)) return resolvePromise([]);
      if (/Connection refused|ConnectException|Could not connect|Failed to retrieve RMIServer/i.test(text))
        return reject(new ProbeError('connect', `JMX at ${hostPort} refused the connection`, hostPort));
      reject(new ProbeError('unreachable', `JmxTool against ${hostPort} exited ${code}: ${text.slice(0, 200)}`, hostPort));
    });
  });
}
