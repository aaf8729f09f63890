// Helpers for the services and data fault tests: a test profile (profiles/local.yaml with threshold
// overrides), a run of one suite through the real CLI, reading its findings, InfluxDB admin queries.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO_ROOT } from '../src/config/profile.ts';
import { readCredentials } from '../src/config/secrets.ts';
import type { Credentials } from '../src/config/types.ts';
import type { Finding } from '../src/report/finding.ts';
import { cliRun } from './cli-helpers.ts';
import { queryStatements } from '../src/probes/influx.ts';

export const LOCAL_PROFILE = resolve(REPO_ROOT, 'profiles/local.yaml');

type Thresholds = Record<string, Record<string, number | string | boolean>>;

/** Makes relative paths of a profile absolute, so the copy can live in a temp folder. */
function absolutize(node: unknown, base: string, key = ''): unknown {
  if (typeof node === 'string') return ['file', 'manifests', 'ca_bundle'].includes(key) && !isAbsolute(node) ? resolve(base, node) : node;
  if (Array.isArray(node)) return node.map((n) => absolutize(n, base));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, absolutize(v, base, k)]));
  return node;
}

export interface TestProfile {
  file: string;
  dir: string;
  remove(): void;
}

/** profiles/local.yaml with `thresholds` merged in and any top-level `patch` applied (deep for objects). */
export function testProfile(thresholds: Thresholds = {}, patch: (p: any) => void = () => {}): TestProfile {
  const raw = absolutize(parse(readFileSync(LOCAL_PROFILE, 'utf8')), dirname(LOCAL_PROFILE)) as any;
  raw.thresholds = { ...(raw.thresholds ?? {}) };
  for (const [id, t] of Object.entries(thresholds)) raw.thresholds[id] = { ...(raw.thresholds[id] ?? {}), ...t };
  // the suite's findings to InfluxDB would write into the stack under test; keep test runs out of it
  if (raw.report?.influxdb) raw.report.influxdb.enabled = false;
  patch(raw);
  const dir = mkdtempSync(join(tmpdir(), 'efd-health-test-'));
  const file = join(dir, 'profile.yaml');
  writeFileSync(file, stringify(raw));
  return { file, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface SuiteRun {
  code: number;
  findings: Finding[];
  output: string;
  ms: number;
}

/** `efd-health run --suite <suite> --profile <file>` in a child process; findings from its run folder. */
export async function runSuite(suite: string, profile: TestProfile, timeoutMs = 180_000): Promise<SuiteRun> {
  const t0 = Date.now();
  const r = await cliRun(['--suite', suite, '--profile', profile.file, '--skip-preflight'], join(profile.dir, `run-${suite}-${Date.now()}`), timeoutMs);
  return { code: r.code ?? -1, findings: r.findings, output: r.output, ms: Date.now() - t0 };
}

/** Findings of one check id. */
export function of(run: SuiteRun, id: string, target?: string): Finding[] {
  return run.findings.filter((f) => f.id === id && (target === undefined || f.target === target));
}

/** Ids of the failing (fail/error) findings. */
export function failingIds(run: SuiteRun): string[] {
  return [...new Set(run.findings.filter((f) => f.status === 'fail' || f.status === 'error').map((f) => f.id))].sort();
}

export function localProfileRaw(): any {
  return absolutize(parse(readFileSync(LOCAL_PROFILE, 'utf8')), dirname(LOCAL_PROFILE));
}

/** InfluxQL with the stack's admin user. */
export async function influxAdmin(q: string, db?: string) {
  const raw = localProfileRaw();
  const auth = readCredentials(raw.influxdb.admin as Credentials);
  const res = await queryStatements(raw.influxdb.url, 30_000, q, { auth, db, epoch: 'ms' });
  for (const r of res) if (r.error) throw new Error(`InfluxDB: ${r.error} (${q.slice(0, 120)})`);
  return res;
}

export async function waitUntil<T>(what: string, f: () => Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 500): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Removes topics from both clusters, their measurements and subjects, for good. Brokers here auto-create
 * topics on metadata requests (auto.create.topics.enable defaults to true), so a deleted topic that
 * MirrorMaker's consumer or Telegraf still follows comes straight back (a paused connector keeps its task's
 * consumer): the mirror is STOPPED (no tasks at all) while the Summit copy goes and resumed after, and
 * Telegraf is stopped while the LDF copy goes. Needs the stack lock.
 */
export async function removeTopics(topics: string[], opts: { subjects?: boolean } = {}): Promise<void> {
  const { connectorStatus, putConnectorAction } = await import('../src/probes/connect.ts');
  const { deleteTopics, deleteSubjects, listTopicNames } = await import('../src/data/synthetic.ts');
  const stack = await import('../scripts/stack/index.ts');
  const raw = localProfileRaw();
  const mirror = 'replicator-mirror-source';
  const wanted = new Set(topics);
  for (let attempt = 1; attempt <= 3; attempt++) {
    const atSummit = (await listTopicNames(raw.kafka.summit.bootstrap)).filter((t) => wanted.has(t));
    if (atSummit.length) {
      await putConnectorAction(raw.connect.url, 10_000, mirror, 'stop');
      try {
        await waitUntil('mirror stopped', async () => {
          const s = await connectorStatus(raw.connect.url, 10_000, mirror);
          return s.connector.state === 'STOPPED' && s.tasks.length === 0;
        }, 60_000);
        await deleteTopics(raw.kafka.summit.bootstrap, atSummit);
        await sleep(1000);
      } finally {
        await putConnectorAction(raw.connect.url, 10_000, mirror, 'resume');
      }
      await waitUntil('mirror running', async () => {
        const s = await connectorStatus(raw.connect.url, 10_000, mirror);
        return s.connector.state === 'RUNNING' && s.tasks.length > 0 && s.tasks.every((t) => t.state === 'RUNNING');
      }, 60_000);
    }
    const atLdf = (await listTopicNames(raw.kafka.ldf.bootstrap)).filter((t) => wanted.has(t));
    if (atLdf.length) {
      await stack.stop('telegraf');
      try {
        await deleteTopics(raw.kafka.ldf.bootstrap, atLdf);
        await sleep(2000);
      } finally {
        await stack.start('telegraf');
      }
    }
    await sleep(3000);
    const left = [
      ...(await listTopicNames(raw.kafka.summit.bootstrap)).filter((t) => wanted.has(t)),
      ...(await listTopicNames(raw.kafka.ldf.bootstrap)).filter((t) => wanted.has(t)),
    ];
    if (!left.length) break;
    if (attempt === 3) throw new Error(`topics still there after 3 attempts: ${left.slice(0, 5).join(', ')}`);
  }
  for (let i = 0; i < topics.length; i += 200)
    await influxAdmin(topics.slice(i, i + 200).map((t) => `DROP MEASUREMENT "${t}"`).join('; '), raw.influxdb.database);
  if (opts.subjects !== false) await deleteSubjects(raw.registry.summit.url, topics.map((t) => `${t}-value`));
}
