// Processes the stack starts: detached daemons with a log file and a pid file under .stack/pids.
// A pid counts as ours only while its command line still mentions the state directory, so a pid
// reused by an unrelated process is never signalled.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { state } from './paths.ts';

export function pidFile(proc: string): string {
  return join(state.pids, `${proc}.pid`);
}

export function logFile(proc: string): string {
  return join(state.logs, `${proc}.log`);
}

/** The live pid of one of our processes, or undefined. */
export function ourPid(proc: string): number | undefined {
  const file = pidFile(proc);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
  return cmdline.includes(state.root) ? pid : undefined;
}

/** Process state letter from /proc/<pid>/stat (R, S, D, T = stopped, Z = zombie …). */
export function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/** Alive, not a zombie and not stopped (SIGSTOP). */
export function running(proc: string): boolean {
  const pid = ourPid(proc);
  if (pid === undefined) return false;
  const s = procState(pid);
  return s !== undefined && s !== 'Z' && s !== 'T' && s !== 't';
}

export interface DaemonSpec {
  proc: string;
  cmd: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

/** Starts a detached daemon whose stdout and stderr go to its log (the previous log is kept as .1). */
export function startDaemon(spec: DaemonSpec): number {
  mkdirSync(state.pids, { recursive: true });
  mkdirSync(state.logs, { recursive: true });
  const log = logFile(spec.proc);
  if (existsSync(log)) renameSync(log, `${log}.1`);
  const fd = openSync(log, 'a');
  try {
    const child = spawn(spec.cmd, spec.args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      cwd: spec.cwd ?? state.root,
      env: { ...process.env, ...spec.env },
    });
    if (child.pid === undefined) throw new Error(`could not start ${spec.cmd}`);
    child.on('error', () => {}); // reported through the health check and the log, not here
    child.unref();
    writeFileSync(pidFile(spec.proc), `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export function signal(proc: string, sig: NodeJS.Signals): boolean {
  const pid = ourPid(proc);
  if (pid === undefined) return false;
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM (SIGCONT first, so a frozen process can act on it), then SIGKILL after the grace period. */
export async function stopProc(proc: string, graceMs = 20_000): Promise<void> {
  const pid = ourPid(proc);
  if (pid !== undefined) {
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGTERM');
    } catch {}
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && !gone(pid)) await sleep(200);
    if (!gone(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
      while (!gone(pid)) await sleep(100);
    }
  }
  rmSync(pidFile(proc), { force: true });

  function gone(p: number): boolean {
    const s = procState(p);
    return s === undefined || s === 'Z';
  }
}

/** Whether something already listens on 127.0.0.1:port (a bind attempt, released at once). */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(true));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(false)));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `probe` until it returns true or the deadline passes; `alive` false aborts early. */
export async function waitFor(
  probe: () => Promise<boolean>,
  timeoutMs: number,
  alive: () => boolean = () => true,
  intervalMs = 500,
): Promise<'ok' | 'timeout' | 'died'> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return 'ok';
    if (!alive()) return 'died';
    if (Date.now() > deadline) return 'timeout';
    await sleep(intervalMs);
  }
}

/** Whether the first `bytes` of a component's current log contain `text` (a start banner, a ready line). */
export function logHeadIncludes(proc: string, text: string, bytes = 65_536): boolean {
  let fd: number;
  try {
    fd = openSync(logFile(proc), 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(bytes);
    const n = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, n).toString('utf8').includes(text);
  } finally {
    closeSync(fd);
  }
}
