// Benchmark: the data suite over 2000+ topics on the local stack (the Summit EFD has over 2000).
// Creates N `lsst.sal.*` topics at the Summit with a few SAL-shaped Avro records each, waits until
// MirrorMaker 2 has replicated them and Telegraf has written every measurement, then runs
// `efd-health run --suite data` as a child process and measures its wall time and peak resident memory
// (the CLI and its vitest worker together, sampled from /proc every 100 ms). Removes everything after.
// Holds the stack lock (/tmp/efd-stack.lock) for as long as the topics exist.
//
//   npx tsx scripts/bench/data-scale.ts [--topics 2000] [--records 5] [--runs 2] [--keep]
//
// MB = 10^6 bytes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, loadProfile, defaultProfilePath } from '../../src/config/profile.ts';
import { readCredentials } from '../../src/config/secrets.ts';
import { queryStatements } from '../../src/probes/influx.ts';
import { createTopics, listTopicNames, produceEfd, registerSchemas, waitForSchemaIds } from '../../src/data/synthetic.ts';
import { withStackLock } from '../stack/lock.ts';
import { removeTopics } from '../../test/data-support.ts';

const { values: args } = parseArgs({
  options: {
    topics: { type: 'string', default: '2000' },
    records: { type: 'string', default: '5' },
    runs: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(args.topics);
const PER_TOPIC = Number(args.records);
const RUNS = Number(args.runs);

const profile = loadProfile(defaultProfilePath());
const say = (s: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 50 CSCs × 40 topics in SAL's mix: telemetry, events (one partition), commands, ackcmd. */
function topicNames(n: number): string[] {
  const out: string[] = [];
  const kinds = (i: number) => (i === 0 ? 'ackcmd' : i % 4 === 1 ? `logevent_event${i}` : i % 4 === 2 ? `command_cmd${i}` : `telemetry${i}`);
  for (let i = 0; out.length < n; i++) out.push(`lsst.sal.EFDHealthScale${String(Math.floor(i / 40)).padStart(2, '0')}.${kinds(i % 40)}`);
  return out;
}

async function measurementCount(prefix: string): Promise<number> {
  const { url, database } = profile.influxdb;
  const [r] = await queryStatements(url, 30_000, `SHOW MEASUREMENTS WITH MEASUREMENT =~ /^${prefix.replace(/\./g, '\\.')}/`, {
    db: database,
    auth: readCredentials(profile.influxdb.read!),
  });
  return r?.series[0]?.values?.length ?? 0;
}

async function pointCount(prefix: string): Promise<number> {
  const { url, database } = profile.influxdb;
  const [r] = await queryStatements(url, 60_000, `SELECT count("private_efdStamp") FROM /^${prefix.replace(/\./g, '\\.')}/`, {
    db: database,
    auth: readCredentials(profile.influxdb.read!),
  });
  return (r?.series ?? []).reduce((a, s) => a + Number(s.values?.[0]?.[1] ?? 0), 0);
}

async function waitFor(what: string, f: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  while (!(await f().catch(() => false))) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(2000);
  }
  return Date.now() - t0;
}

/** Resident memory (bytes) of a process and each of its descendants, from /proc. */
function treeRss(root: number): Map<number, { rss: number; cmd: string }> {
  const children = new Map<number, number[]>();
  const info = new Map<number, { rss: number; cmd: string }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(d);
      const ppid = Number(rest[1]);
      info.set(pid, { rss: Number(rest[21]) * 4096, cmd: readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ') });
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      /* gone */
    }
  }
  const out = new Map<number, { rss: number; cmd: string }>();
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    if (info.has(p)) out.set(p, info.get(p)!);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

interface RunFigures {
  wallS: number;
  /** the whole tree: the CLI (runner, vitest's coordinator) and the worker running the suite file */
  peakRssMB: number;
  /** the vitest worker process that runs suites/data/data.ts */
  suitePeakRssMB: number;
  code: number;
  checks: Array<{ id: string; status: string; ms: number; message: string }>;
}

async function runDataSuite(): Promise<RunFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'efd-health-bench-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/efd-health.js'), 'run', '--suite', 'data', '--report-dir', join(dir, 'run')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, EFD_HEALTH_CONTEXT: '', EFD_HEALTH_FINDINGS: '', NO_COLOR: '1' },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  let peak = 0;
  let suitePeak = 0;
  const sampler = setInterval(() => {
    const tree = treeRss(child.pid!);
    peak = Math.max(peak, [...tree.values()].reduce((a, p) => a + p.rss, 0));
    for (const p of tree.values()) if (/vitest\/dist\/workers/.test(p.cmd)) suitePeak = Math.max(suitePeak, p.rss);
  }, 100);
  const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? -1)));
  clearInterval(sampler);
  const wallS = (performance.now() - t0) / 1000;
  let checks: RunFigures['checks'] = [];
  try {
    checks = readFileSync(join(dir, 'run', 'findings.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .map((f) => ({ id: f.id, status: f.status, ms: f.duration_ms, message: f.message }));
  } catch {
    say(out);
  }
  rmSync(dir, { recursive: true, force: true });
  return { wallS, peakRssMB: peak / 1e6, suitePeakRssMB: suitePeak / 1e6, code, checks };
}

async function main() {
  const topics = topicNames(N);
  const prefix = 'lsst.sal.EFDHealthScale';
  const bootstrap = profile.kafka.summit.bootstrap;
  await withStackLock(async () => {
    try {
      say(`creating ${N} topics at the Summit`);
      let t = Date.now();
      await createTopics(bootstrap, topics);
      say(`  ${((Date.now() - t) / 1000).toFixed(1)} s; registering ${N} schemas at the Summit registry`);
      t = Date.now();
      const ids = await registerSchemas(profile.registry.summit.url, topics, { concurrency: 16, timeoutMs: 60_000 });
      say(`  ${((Date.now() - t) / 1000).toFixed(1)} s; waiting until the LDF registry knows them`);
      t = Date.now();
      await waitForSchemaIds(profile.registry.ldf.url, new Set(ids.values()), 600_000);
      say(`  ${((Date.now() - t) / 1000).toFixed(1)} s; producing ${PER_TOPIC} records per topic`);
      t = Date.now();
      const sent = await produceEfd(bootstrap, ids, PER_TOPIC);
      say(`  ${sent} records in ${((Date.now() - t) / 1000).toFixed(1)} s; waiting for MirrorMaker 2 and the sink`);
      const ldfMs = await waitFor(`${N} topics at LDF`, async () => (await listTopicNames(profile.kafka.ldf.bootstrap, /^lsst\.sal\.EFDHealthScale/)).length >= N, 900_000);
      say(`  all topics at LDF after ${(ldfMs / 1000).toFixed(0)} s`);
      const inflMs = await waitFor(`${N} measurements with ${sent} points`, async () => (await measurementCount(prefix)) >= N && (await pointCount(prefix)) >= sent, 1_800_000);
      say(`  all ${sent} points in InfluxDB after ${(inflMs / 1000).toFixed(0)} s more`);

      const lsstTopics = (await listTopicNames(bootstrap, /^lsst\.sal\./)).length;
      say(`running the data suite (${lsstTopics} lsst.sal topics at the Summit) ${RUNS} time(s)`);
      const runs: RunFigures[] = [];
      for (let i = 0; i < RUNS; i++) {
        const r = await runDataSuite();
        runs.push(r);
        say(`  run ${i + 1}: ${r.wallS.toFixed(1)} s wall; peak RSS: suite worker ${r.suitePeakRssMB.toFixed(0)} MB, whole CLI tree ${r.peakRssMB.toFixed(0)} MB; exit ${r.code}`);
        for (const c of r.checks) say(`    ${c.status.padEnd(4)} ${c.id.padEnd(26)} ${String(c.ms).padStart(6)} ms  ${c.message.slice(0, 150)}`);
      }
      const worst = {
        wallS: Math.max(...runs.map((r) => r.wallS)),
        suite: Math.max(...runs.map((r) => r.suitePeakRssMB)),
        tree: Math.max(...runs.map((r) => r.peakRssMB)),
      };
      say(
        `RESULT topics=${lsstTopics} wall_s_max=${worst.wallS.toFixed(1)} (limit 60) suite_worker_peak_rss_MB=${worst.suite.toFixed(0)} (limit 300) ` +
          `cli_tree_peak_rss_MB=${worst.tree.toFixed(0)}`,
      );
      if (worst.wallS >= 60 || worst.suite >= 300) process.exitCode = 1;
    } catch (e) {
      say(`FAILED: ${(e as Error).stack ?? e}`);
      process.exitCode = 1;
    } finally {
      if (!args.keep) {
        say(`removing the ${N} topics (both clusters), their measurements and subjects`);
        const t = Date.now();
        await removeTopics(topics);
        say(`  ${((Date.now() - t) / 1000).toFixed(1)} s`);
      }
    }
  }, say);
}

await main();
