// The InfluxDB sink: Telegraf running the telegraf.conf of the ConfigMap in manifests/local, plus a small
// topic watcher. Telegraf 1.39 matches `topic_regexps` only when it starts, so a topic created later
// would never be consumed; the watcher (topic-watcher.ts) sends Telegraf SIGHUP (reload) when the set of
// matching LDF topics differs from the set Telegraf last logged.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadObjects } from '../../src/model/k8s.ts';
import { StackError } from './errors.ts';
import { influxCredentials } from './influx.ts';
import { DEFAULT_PORTS, MANIFESTS, REPO, SINK_GOGC, state, type Ports } from './paths.ts';
import { logHeadIncludes, running, signal, sleep, startDaemon } from './proc.ts';

export const CONFIGMAP = 'telegraf-efd';

/** telegraf.conf from the ConfigMap, with the default ports replaced by the configured ones. */
export function telegrafConf(p: Ports): string {
  const cm = loadObjects(MANIFESTS).find((o) => o.object.kind === 'ConfigMap' && o.object.metadata.name === CONFIGMAP);
  const conf = cm?.object.data?.['telegraf.conf'];
  if (typeof conf !== 'string') throw new StackError(`${MANIFESTS}: no ConfigMap ${CONFIGMAP} with a data key telegraf.conf.`, 4);
  const swap: Array<[string, string]> = [
    [`127.0.0.1:${DEFAULT_PORTS.kafka_ldf}`, `127.0.0.1:${p.kafka_ldf}`],
    [`127.0.0.1:${DEFAULT_PORTS.registry_ldf}`, `127.0.0.1:${p.registry_ldf}`],
    [`127.0.0.1:${DEFAULT_PORTS.influxdb}`, `127.0.0.1:${p.influxdb}`],
  ];
  return swap.reduce((s, [a, b]) => s.replaceAll(a, b), conf);
}

/** The topic regexps of the conf (TOML basic strings: `\\` stands for one backslash). */
export function topicRegexps(conf: string): string[] {
  const m = /topic_regexps\s*=\s*\[([^\]]*)\]/.exec(conf);
  if (!m) return [];
  return [...m[1].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1].replace(/\\(.)/g, '$1'));
}

const dropFile = () => join(state.conf, 'sink-drop');
const confFile = () => join(state.conf, 'telegraf.conf');

/** Topics the fault `sink-drop` keeps out of InfluxDB. */
export function sinkDrops(): string[] {
  return existsSync(dropFile()) ? readFileSync(dropFile(), 'utf8').split('\n').filter(Boolean) : [];
}

/** The conf Telegraf runs: the ConfigMap's, plus a namedrop on the output while the fault is in force. */
function runningConf(p: Ports): string {
  const conf = telegrafConf(p);
  const drops = sinkDrops();
  if (!drops.length) return conf;
  return conf.replace('[[outputs.influxdb]]', `[[outputs.influxdb]]\n  namedrop = ${JSON.stringify(drops)}`);
}

/** Writes the conf; a running Telegraf whose conf changed reloads it (SIGHUP). */
export function applyTelegrafConf(p: Ports): void {
  const conf = runningConf(p);
  const before = existsSync(confFile()) ? readFileSync(confFile(), 'utf8') : '';
  if (conf === before) return;
  mkdirSync(state.conf, { recursive: true });
  writeFileSync(confFile(), conf);
  if (running('telegraf')) signal('telegraf', 'SIGHUP');
}

/** The fault: the sink stops (or resumes) writing one topic. */
export function setSinkDrop(p: Ports, topic: string, drop: boolean): void {
  const drops = new Set(sinkDrops());
  if (drop) drops.add(topic);
  else drops.delete(topic);
  mkdirSync(state.conf, { recursive: true });
  if (drops.size) writeFileSync(dropFile(), [...drops].join('\n') + '\n');
  else rmSync(dropFile(), { force: true });
  applyTelegrafConf(p);
}

export async function startTelegraf(p: Ports, telegraf: string): Promise<void> {
  const conf = runningConf(p);
  mkdirSync(state.conf, { recursive: true });
  const path = confFile();
  writeFileSync(path, conf);
  const c = influxCredentials();
  startDaemon({
    proc: 'telegraf',
    cmd: telegraf,
    args: ['--config', path],
    env: { INFLUXDB_USER: c.admin.user, INFLUXDB_PASSWORD: c.admin.password, GOGC: SINK_GOGC },
  });
  startWatcher(p, conf);
}

export function startWatcher(p: Ports, conf = telegrafConf(p)): void {
  startDaemon({
    proc: 'telegraf-watcher',
    cmd: process.execPath,
    args: ['--import', 'tsx', join(REPO, 'scripts', 'stack', 'topic-watcher.ts'), state.root, String(p.kafka_ldf), ...topicRegexps(conf)],
    cwd: REPO,
  });
}

/** Telegraf has no health endpoint in this build: it is up when it runs and has started its agent. */
export async function telegrafReady(): Promise<boolean> {
  // the start banner is near the top of a fresh log; a Telegraf that fails its start-up exits
  return running('telegraf') && logHeadIncludes('telegraf', 'Starting Telegraf', 16_384);
}

/** Gives a fresh Telegraf a moment to fail on its inputs/outputs before calling it up. */
export async function settleTelegraf(): Promise<void> {
  await sleep(1500);
}
