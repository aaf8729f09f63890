// Starting the living Summit (summit.ts) as a daemon, knowing when it publishes and when its records have
// reached InfluxDB, and the fault that stops one CSC.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DATABASE, influxCredentials, influxql } from './influx.ts';
import { REPO, state, type Ports } from './paths.ts';
import { logHeadIncludes, running, startDaemon, waitFor } from './proc.ts';
import { loadSummitModel } from './summit-model.ts';

const stoppedFile = () => join(state.root, 'summit', 'stopped');

export function startSummit(p: Ports): void {
  startDaemon({
    proc: 'summit',
    cmd: process.execPath,
    args: ['--import', 'tsx', join(REPO, 'scripts', 'stack', 'summit.ts'), state.root, String(p.kafka_summit), String(p.registry_summit), String(p.registry_ldf)],
    cwd: REPO,
  });
}

/** Up once it runs and has declared its topics and started publishing (its log says "producing"). */
export async function summitReady(): Promise<boolean> {
  return running('summit') && logHeadIncludes('summit', ' producing ');
}

/** The measurements of every published topic exist in InfluxDB: the pipeline carries the Summit end to end. */
export async function waitForSummitInInflux(p: Ports, timeoutMs: number): Promise<string[]> {
  const wanted = loadSummitModel().filter((t) => !t.silent && !stoppedCscs().has(t.csc)).map((t) => t.topic);
  const admin = influxCredentials().admin;
  let missing = wanted;
  await waitFor(async () => {
    const r = await influxql(p, `SHOW MEASUREMENTS ON "${DATABASE}" WITH MEASUREMENT =~ /^lsst\\.sal\\./`, admin);
    const have = new Set<string>((r.body?.results?.[0]?.series?.[0]?.values ?? []).map((v: string[]) => v[0]));
    missing = wanted.filter((t) => !have.has(t));
    return missing.length === 0;
  }, timeoutMs, () => running('summit'), 2000);
  return missing;
}

export function stoppedCscs(): Set<string> {
  try {
    return new Set(readFileSync(stoppedFile(), 'utf8').split('\n').map((s) => s.trim()).filter(Boolean));
  } catch {
    return new Set();
  }
}

/** The fault: CSC `name` stops (or starts again) publishing; the summit process notices within a second. */
export function setStoppedCsc(name: string, stopped: boolean): void {
  const now = stoppedCscs();
  if (stopped) now.add(name);
  else now.delete(name);
  mkdirSync(dirname(stoppedFile()), { recursive: true });
  if (now.size) writeFileSync(stoppedFile(), [...now].join('\n') + '\n');
  else rmSync(stoppedFile(), { force: true });
}

export function resumeAllCscs(): void {
  rmSync(stoppedFile(), { force: true });
}
