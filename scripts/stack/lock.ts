// The shared stack's lock (/tmp/efd-stack.lock, flock(1)): whoever breaks, stops or restarts the shared stack
// holds it. `up`, `down`, `stop`, `start` and faults take it here; when it is already held by one of our
// ancestors (e.g. `flock /tmp/efd-stack.lock npx vitest …` whose global setup calls up()), we are inside
// that critical section and go ahead instead of waiting for ourselves.
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';

export const LOCK_FILE = process.env.EFD_STACK_LOCK || '/tmp/efd-stack.lock';

function ancestors(): Set<number> {
  const out = new Set<number>();
  let pid = process.pid;
  while (pid > 1 && !out.has(pid)) {
    out.add(pid);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  return out;
}

/** Pids holding a flock on the lock file, from /proc/locks. */
function holders(): number[] {
  if (!existsSync(LOCK_FILE)) return [];
  const ino = statSync(LOCK_FILE).ino;
  const out: number[] = [];
  for (const line of readFileSync('/proc/locks', 'utf8').split('\n')) {
    // "1: FLOCK  ADVISORY  WRITE 1234 00:2f:5678 0 EOF"
    const f = line.trim().split(/\s+/);
    if (f[1] !== 'FLOCK' || !f[5]) continue;
    if (Number(f[5].split(':')[2]) === ino) out.push(Number(f[4]));
  }
  return out;
}

export function heldByAncestor(): boolean {
  const mine = ancestors();
  return holders().some((p) => mine.has(p));
}

/** Waits (without taking it) until no other process tree holds the lock, i.e. no fault is in progress. */
export async function lockQuiet(timeoutMs = 900_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (depth === 0 && Date.now() < deadline) {
    const mine = ancestors();
    const others = holders().filter((p) => !mine.has(p));
    if (others.length === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** How many withStackLock calls of this process are inside the lock (it is re-entrant within a process). */
let depth = 0;

/** Runs fn while holding the stack lock (or inside an ancestor's hold); waits for other holders. */
export async function withStackLock<T>(fn: () => Promise<T>, say: (s: string) => void = () => {}): Promise<T> {
  if (!existsSync(LOCK_FILE)) {
    try { writeFileSync(LOCK_FILE, '', { flag: 'a', mode: 0o666 }); } catch {}
  }
  if (depth > 0 || heldByAncestor()) return fn();
  // flock(1) holds the lock for as long as its child `cat` runs; closing cat's stdin releases it
  const child = spawn('flock', [LOCK_FILE, 'sh', '-c', 'echo locked; exec cat >/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = setTimeout(() => say(`waiting for ${LOCK_FILE} (held by pid ${holders().join(', ') || '?'}) …`), 2000);
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`flock ${LOCK_FILE} exited with ${code}`)));
    });
  } finally {
    clearTimeout(waiting);
  }
  depth++;
  try {
    return await fn();
  } finally {
    depth--;
    child.stdin!.end();
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
  }
}
