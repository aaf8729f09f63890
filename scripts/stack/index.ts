// EFD in a box: the local stack's controls. `npm run stack -- <command>` and `efd-health stack <command>`
// both end in main(); tests and other scripts call up/down/status/stop/start and the fault helpers directly.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCerts } from './certs.ts';
import { COMPONENTS, component, type Component, type Ctx } from './components.ts';
import { connectorAction, connectorsRunning } from './connect.ts';
import { StackError } from './errors.ts';
import { influxCredentials } from './influx.ts';
import { PHASES, currentPhase, setPhase, type Phase } from './ingress.ts';
import { install, type Say } from './install.ts';
import { lockQuiet, withStackLock } from './lock.ts';
import { ports as loadPorts, state, type Ports } from './paths.ts';
import { logFile, ourPid, portInUse, procState, running, signal, stopProc, waitFor } from './proc.ts';
import { resumeAllCscs, setStoppedCsc, stoppedCscs } from './summit-control.ts';
import { loadSummitModel } from './summit-model.ts';
import { setSinkDrop, sinkDrops } from './telegraf.ts';

export { StackError } from './errors.ts';
export { COMPONENTS } from './components.ts';
export { ports } from './paths.ts';

export interface UpOptions {
  /** no progress lines (errors still throw) */
  quiet?: boolean;
  /** ingress phase to serve; default: keep the current one ("deployed" on a fresh stack) */
  phase?: Phase;
  say?: Say;
}

export interface ComponentStatus {
  name: string;
  state: 'up' | 'down';
  endpoint: string;
}

const secs = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

function sayer(opts: { quiet?: boolean; say?: Say }): Say {
  return opts.say ?? (opts.quiet ? () => {} : (line: string) => console.log(line));
}

/** Whether one component is up: its processes are ours and running (not stopped), and it answers. */
async function isUp(c: Component, p: Ports): Promise<boolean> {
  if (!running(c.procs[0])) return false;
  return c.healthy(p).catch(() => false);
}

export async function status(): Promise<{ components: ComponentStatus[] }> {
  const p = loadPorts();
  const components = await Promise.all(
    COMPONENTS.map(async (c) => ({ name: c.name, state: (await isUp(c, p)) ? 'up' as const : 'down' as const, endpoint: c.endpoint(p) })),
  );
  return { components };
}

/** Whether every component is up. A "no" while another process holds the stack lock may be a fault test
 *  that is breaking and restoring the stack: then it waits for the lock to be released and looks again. */
export async function allUp(): Promise<boolean> {
  const every = async () => (await status()).components.every((c) => c.state === 'up');
  try {
    if (await every()) return true;
    await lockQuiet();
    return await every();
  } catch {
    return false;
  }
}

/** Whether any process of the stack is running (someone started it; a test run should not tear it down). */
export function anyRunning(): boolean {
  return COMPONENTS.some((c) => c.procs.some((proc) => ourPid(proc) !== undefined));
}

/** Installs what is missing, then starts every component that is not up, in dependency order. Idempotent. */
export async function up(opts: UpOptions = {}): Promise<void> {
  const say = sayer(opts);
  // fast path without the lock: a healthy stack needs nothing, so `up` does not queue behind fault tests
  if (!opts.phase || opts.phase === currentPhase()) {
    const t0 = Date.now();
    const s = await status().catch(() => undefined);
    if (s?.components.every((c) => c.state === 'up') && !faultsInForce() && (await connectorsRunning(loadPorts()).catch(() => false))) {
      for (const c of s.components) say(`${c.name} … already up`);
      say(`stack … up (${secs(t0)})`);
      return;
    }
  }
  await withStackLock(async () => {
    const t0 = Date.now();
    const p = loadPorts();
    // thaw anything a fault froze, so "up" really restores
    for (const c of COMPONENTS) for (const proc of c.procs) signal(proc, 'SIGCONT');
    resumeAllCscs();
    for (const topic of sinkDrops()) setSinkDrop(p, topic, false);
    await checkPorts(p);
    const installed = await install(say);
    const made = await ensureCerts();
    if (made.length) say(`certificates … made ${made.join(', ')}`);
    influxCredentials();
    if (opts.phase && opts.phase !== currentPhase()) await setPhase(p, opts.phase);
    await bringAll({ ports: p, installed, say }, COMPONENTS);
    say(`stack … up (${secs(t0)})`);
  }, say);
}

/** Brings up the given components, each after its dependencies (which are brought up too). */
async function bringAll(ctx: Ctx, list: Component[]): Promise<void> {
  const started = new Map<string, Promise<void>>();
  const bring = (c: Component): Promise<void> => {
    let pr = started.get(c.name);
    if (!pr) {
      pr = Promise.all(c.deps.map((d) => bring(component(d)!))).then(() => bringUp(c, ctx));
      started.set(c.name, pr);
    }
    return pr;
  };
  await Promise.all(list.map(bring));
}

/** The box's Kubernetes components, for `up --only kube`, `down --only kube` and their measurement. */
export const KUBE_COMPONENTS = ['kube-etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'];

/** `up` for some components only (with their dependencies, which are usually already up). */
export async function upOnly(names: string[], opts: { quiet?: boolean; say?: Say } = {}): Promise<void> {
  const say = sayer(opts);
  const list = names.map(need);
  await withStackLock(async () => {
    const t0 = Date.now();
    const p = loadPorts();
    const installed = await install(say);
    await ensureCerts();
    influxCredentials();
    await bringAll({ ports: p, installed, say }, list);
    say(`${names.join(', ')} … up (${secs(t0)})`);
  }, say);
}

/** `down` for some components only, dependents first (the order of `names` reversed). */
export async function downOnly(names: string[], opts: { quiet?: boolean; say?: Say } = {}): Promise<void> {
  const say = sayer(opts);
  await withStackLock(async () => {
    for (const name of [...names].reverse()) {
      const c = need(name);
      for (const proc of [...c.procs].reverse()) await stopProc(proc);
      say(`${name} … stopped`);
    }
  }, say);
}

/** Fails with one sentence when a port we need is held by a process that is not ours. */
async function checkPorts(p: Ports): Promise<void> {
  for (const c of COMPONENTS) {
    if (ourPid(c.procs[0]) !== undefined) continue;
    for (const key of c.ports) {
      if (await portInUse(p[key])) {
        throw new StackError(`port ${p[key]} (${c.name}) is already in use by another process: stop that process or choose another port with EFD_STACK_PORT_${key.toUpperCase()}.`);
      }
    }
  }
}

async function bringUp(c: Component, ctx: Ctx): Promise<void> {
  const t0 = Date.now();
  const p = ctx.ports;
  const log = logFile(c.procs[0]);
  let action = 'already up';
  if (!(await isUp(c, p))) {
    if (ourPid(c.procs[0]) !== undefined) {
      // ours but not answering: maybe still starting or just slow under load; restart only a wedged one
      if ((await waitFor(() => c.healthy(p), c.timeoutMs, () => running(c.procs[0]))) !== 'ok') {
        for (const proc of [...c.procs].reverse()) await stopProc(proc);
      }
    }
    if (!(await isUp(c, p))) {
      for (const proc of c.procs) if (ourPid(proc) === undefined) rmSync(join(state.pids, `${proc}.pid`), { force: true });
      for (const key of c.ports) {
        if (await portInUse(p[key])) {
          throw new StackError(`port ${p[key]} (${c.name}) is already in use by another process: stop that process or choose another port with EFD_STACK_PORT_${key.toUpperCase()}.`);
        }
      }
      await c.start(ctx).catch((e) => fail(c, e));
      const r = await waitFor(() => c.healthy(p), c.timeoutMs, () => running(c.procs[0]));
      if (r === 'died') throw new StackError(`${c.name} exited while starting; see ${log}.`);
      if (r === 'timeout') throw new StackError(`${c.name} did not answer within ${c.timeoutMs / 1000} s; see ${log}.`);
      action = 'up';
    }
  }
  if (c.ensure) await c.ensure(ctx).catch((e) => fail(c, e));
  ctx.say(`${c.name} … ${action} (${secs(t0)})`);
}

function fail(c: Component, e: unknown): never {
  if (e instanceof StackError) throw e;
  const msg = e instanceof Error ? e.message : String(e);
  throw new StackError(`${c.name}: ${msg.replace(/[.\s]+$/, '')}; see ${logFile(c.procs[0])}.`);
}

/** Stops everything the stack started (by pid), dependents first. `purge` also deletes the data. */
export async function down(opts: { purge?: boolean; quiet?: boolean; say?: Say } = {}): Promise<void> {
  const say = sayer(opts);
  await withStackLock(async () => {
    const tiers = [['summit', 'kwok'], ['ingress', 'telegraf', 'kube-controller-manager', 'kube-scheduler'], ['connect', 'registry-ldf', 'registry-summit', 'kube-apiserver'], ['influxdb', 'kafka-ldf', 'kafka-summit', 'kube-etcd']];
    for (const tier of tiers) {
      await Promise.all(tier.map(async (name) => {
        const c = component(name)!;
        const was = c.procs.some((proc) => ourPid(proc) !== undefined);
        const t0 = Date.now();
        for (const proc of [...c.procs].reverse()) await stopProc(proc);
        if (was) say(`${name} … stopped (${secs(t0)})`);
      }));
    }
    if (opts.purge) {
      rmSync(state.data, { recursive: true, force: true });
      rmSync(join(state.root, 'ingress-phase'), { force: true });
      say(`data … removed (${state.data})`);
    }
  }, say);
}

function need(name: string): Component {
  const c = component(name);
  if (!c) throw new StackError(`unknown component "${name}"; components are ${COMPONENTS.map((x) => x.name).join(', ')}.`, 4);
  return c;
}

/** Stops one component (a fault: dependents keep running and notice). */
export async function stop(name: string): Promise<void> {
  const c = need(name);
  await withStackLock(async () => {
    for (const proc of [...c.procs].reverse()) await stopProc(proc);
  });
}

/** Starts one component again (its dependencies must be up). */
export async function start(name: string, opts: { quiet?: boolean; say?: Say } = {}): Promise<void> {
  const c = need(name);
  const say = sayer({ quiet: opts.quiet ?? true, say: opts.say });
  await withStackLock(async () => {
    const p = loadPorts();
    for (const proc of c.procs) signal(proc, 'SIGCONT');
    for (const d of c.deps) {
      if (!(await isUp(need(d), p))) throw new StackError(`${c.name} needs ${d}, which is down: run \`npm run stack -- up\`.`);
    }
    const installed = await install(say);
    await bringUp(c, { ports: p, installed, say });
  }, say);
}

/** Kills a component's main process with SIGKILL, as a crash would (its pid file stays; status shows it down). */
export async function kill(name: string): Promise<void> {
  const c = need(name);
  await withStackLock(async () => {
    signal(c.procs[0], 'SIGKILL');
    await waitFor(async () => !running(c.procs[0]), 10_000);
  });
}

/** SIGSTOP: the process keeps its sockets but answers nothing (a hung service). `thaw` or `up` resumes it. */
export async function freeze(name: string): Promise<void> {
  const c = need(name);
  await withStackLock(async () => {
    signal(c.procs[0], 'SIGSTOP');
  });
}

export async function thaw(name: string): Promise<void> {
  const c = need(name);
  await withStackLock(async () => {
    signal(c.procs[0], 'SIGCONT');
  });
}

export async function pauseConnector(name: string): Promise<void> {
  await withStackLock(() => connectorAction(loadPorts(), name, 'pause'));
}

export async function resumeConnector(name: string): Promise<void> {
  await withStackLock(() => connectorAction(loadPorts(), name, 'resume'));
}

export async function restartConnector(name: string): Promise<void> {
  await withStackLock(() => connectorAction(loadPorts(), name, 'restart'));
}

/** One CSC of the living Summit stops publishing (`stopped`) or starts again. */
export async function stopCsc(name: string, stopped: boolean): Promise<void> {
  const cscs = new Set(loadSummitModel().map((t) => t.csc));
  if (!cscs.has(name)) throw new StackError(`unknown CSC "${name}"; the living Summit's CSCs are ${[...cscs].join(', ')}.`, 4);
  await withStackLock(async () => setStoppedCsc(name, stopped));
}

/** The sink stops writing `topic` to InfluxDB (`drop`), or writes it again: a misconfigured sink. */
export async function sinkDrop(topic: string, drop: boolean): Promise<void> {
  await withStackLock(async () => setSinkDrop(loadPorts(), topic, drop));
}

/** Whether a fault of the living Summit or the sink is in force (`up` then takes the slow path and repairs). */
function faultsInForce(): boolean {
  return stoppedCscs().size > 0 || sinkDrops().length > 0;
}

/** Ingress phase: "pre-deploy" (every host but Argo CD answers 404) or "deployed". */
export async function ingressPhase(phase: Phase): Promise<void> {
  await withStackLock(() => setPhase(loadPorts(), phase));
}

export { currentPhase };

/** Resident memory (kB) of a component's processes and their children, for `status`. */
function rssKb(c: Component): number {
  let total = 0;
  const seen = new Set<number>();
  const add = (pid: number) => {
    if (seen.has(pid)) return;
    seen.add(pid);
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      total += m ? Number(m[1]) : 0;
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      for (const ch of children.split(/\s+/).filter(Boolean)) add(Number(ch));
    } catch {}
  };
  for (const proc of c.procs) {
    const pid = ourPid(proc);
    if (pid !== undefined) add(pid);
  }
  return total;
}

const USAGE = `usage: npm run stack -- <command>
  up [--phase deployed|pre-deploy] [--quiet]   install on first use, start every component, wait until all answer
  up --only kube|NAME,NAME                     the same for some components (kube: the box's Kubernetes)
  down [--purge]                               stop what the stack started (--purge also deletes its data)
  down --only kube|NAME,NAME                   stop some components only
  status [--json]                              each component's state and endpoint
  logs NAME [--lines N]                        the end of a component's log
  stop NAME | start NAME                       stop or start one component
  ingress deployed|pre-deploy                  switch the ingress phase
  fault stop|start|kill|freeze|thaw NAME       break one component (freeze = SIGSTOP, a hung service)
  fault pause-connector|resume-connector|restart-connector NAME
  fault stop-csc|start-csc CSC                 one CSC of the living Summit stops (or resumes) publishing
  fault sink-drop|sink-keep TOPIC              the sink stops (or resumes) writing one topic to InfluxDB
  fault ingress deployed|pre-deploy
components: ${COMPONENTS.map((c) => c.name).join(', ')}`;

/** The command line; returns the exit code (0 ok, 3 stack/environment failure, 4 bad arguments). */
export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (e) {
    if (e instanceof StackError) {
      console.error(e.message);
      return e.exitCode;
    }
    const msg = e instanceof Error ? e.message : String(e);
    console.error(`stack: ${msg.split('\n')[0]}`);
    return 3;
  }
}

async function run(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const flag = (f: string) => rest.includes(f);
  const value = (f: string) => {
    const i = rest.indexOf(f);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  const arg = (what: string) => {
    const a = rest.find((x) => !x.startsWith('-'));
    if (!a) throw new StackError(`${cmd} needs ${what}.\n${USAGE}`, 4);
    return a;
  };
  // `--only kube` names the box's Kubernetes; otherwise a comma-separated list of components
  const onlyArg = (v: string | undefined): string[] => (v === 'kube' ? KUBE_COMPONENTS : (v ?? '').split(',').filter(Boolean));
  const phaseArg = (v: string | undefined): Phase => {
    if (!PHASES.includes(v as Phase)) throw new StackError(`phase must be one of ${PHASES.join(', ')}, got ${JSON.stringify(v)}.`, 4);
    return v as Phase;
  };
  switch (cmd) {
    case 'up':
      if (value('--only')) await upOnly(onlyArg(value('--only')), { quiet: flag('--quiet') });
      else await up({ quiet: flag('--quiet'), phase: value('--phase') ? phaseArg(value('--phase')) : undefined });
      return 0;
    case 'down':
      if (value('--only')) await downOnly(onlyArg(value('--only')));
      else await down({ purge: flag('--purge') });
      return 0;
    case 'status': {
      const s = await status();
      if (flag('--json')) {
        console.log(JSON.stringify(s));
      } else {
        for (const c of s.components) {
          const comp = component(c.name)!;
          const pid = ourPid(comp.procs[0]);
          const extra = pid === undefined ? '' : `  pid ${pid}${procState(pid) === 'T' ? ' (frozen)' : ''}  ${(rssKb(comp) / 1024).toFixed(0)} MiB`;
          console.log(`${c.name.padEnd(23)} ${c.state.padEnd(5)} ${c.endpoint}${extra}`);
        }
        console.log(`ingress phase: ${currentPhase()}; state in ${state.root}`);
      }
      return s.components.every((c) => c.state === 'up') ? 0 : 1;
    }
    case 'logs': {
      const c = need(arg('a component name'));
      const n = Number(value('--lines') ?? 100);
      const file = logFile(c.procs[0]);
      if (!existsSync(file)) throw new StackError(`${c.name} has no log yet (${file}).`);
      const lines = readFileSync(file, 'utf8').split('\n');
      console.log(lines.slice(-n - 1).join('\n'));
      console.error(`(${file})`);
      return 0;
    }
    case 'stop':
      await stop(arg('a component name'));
      return 0;
    case 'start':
      await start(arg('a component name'), { quiet: false });
      return 0;
    case 'ingress':
      await ingressPhase(phaseArg(rest[0]));
      return 0;
    case 'fault':
      return fault(rest, phaseArg);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return cmd ? 0 : 4;
    default:
      throw new StackError(`unknown command "${cmd}".\n${USAGE}`, 4);
  }
}

async function fault(args: string[], phaseArg: (v: string | undefined) => Phase): Promise<number> {
  const [what, name] = args;
  if (!name) throw new StackError(`fault ${what ?? ''} needs a name.\n${USAGE}`, 4);
  const actions: Record<string, (n: string) => Promise<void>> = {
    stop, start: (n) => start(n, { quiet: false }), kill, freeze, thaw,
    'pause-connector': pauseConnector, 'resume-connector': resumeConnector, 'restart-connector': restartConnector,
    'stop-csc': (n) => stopCsc(n, true), 'start-csc': (n) => stopCsc(n, false),
    'sink-drop': (n) => sinkDrop(n, true), 'sink-keep': (n) => sinkDrop(n, false),
    ingress: (n) => ingressPhase(phaseArg(n)),
  };
  const act = actions[what];
  if (!act) throw new StackError(`unknown fault "${what}".\n${USAGE}`, 4);
  await act(name);
  return 0;
}
