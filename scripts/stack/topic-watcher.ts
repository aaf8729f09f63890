// Companion of the stack's Telegraf (see telegraf.ts): every 2 s, lists the LDF topics matching Telegraf's
// topic_regexps and compares them with the list Telegraf last logged ("updating topics: replacing … with
// […]", printed after each start or reload). When they differ it sends Telegraf SIGHUP, at most every 10 s.
// Usage: node --import tsx topic-watcher.ts <state dir> <ldf kafka port> <regexp>…
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const [stateDir, port, ...patterns] = process.argv.slice(2);
process.env.EFD_STACK_DIR = stateDir;
const { ourPid, logFile, procState, sleep } = await import('./proc.ts');
const { withAdmin } = await import('./kafka.ts');

const regexps = patterns.map((p) => new RegExp(`^(?:${p})$`));
let lastHup = 0;

/** Follows Telegraf's log from where it last stopped reading; after each (re)start the consumed topics are
 *  [] until an "updating topics" line names them. undefined until Telegraf has started. */
let pos = 0;
let inode = 0;
let consumed: string[] | undefined;
function telegrafTopics(): string[] | undefined {
  let fd: number;
  try {
    fd = openSync(logFile('telegraf'), 'r');
  } catch {
    return undefined;
  }
  try {
    const { size, ino } = fstatSync(fd);
    if (ino !== inode || size < pos) [pos, inode, consumed] = [0, ino, undefined]; // a new log: Telegraf was started again
    const buf = Buffer.alloc(size - pos);
    readSync(fd, buf, 0, buf.length, pos);
    const text = buf.toString('utf8');
    const complete = text.lastIndexOf('\n') + 1; // leave a partly written last line for the next round
    pos += Buffer.byteLength(text.slice(0, complete));
    for (const line of text.slice(0, complete).split('\n')) {
      if (line.includes('Starting Telegraf') || line.includes('Reloading Telegraf config')) consumed = [];
      const m = /updating topics: replacing \[[^\]]*\] with \[([^\]]*)\]/.exec(line);
      if (m) consumed = [...m[1].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => x[1]).sort();
    }
    return consumed;
  } finally {
    closeSync(fd);
  }
}

for (;;) {
  await sleep(2000);
  const pid = ourPid('telegraf');
  if (pid === undefined || procState(pid) === 'T') continue;
  const current = telegrafTopics();
  if (current === undefined) continue;
  const wanted = await withAdmin(Number(port), (a) => a.listTopics()).then(
    (all) => all.filter((t) => regexps.some((r) => r.test(t))).sort(),
    () => undefined,
  );
  if (wanted === undefined) continue;
  const same = wanted.length === current.length && wanted.every((t, i) => t === current[i]);
  if (same || Date.now() - lastHup < 10_000) continue;
  console.log(`${new Date().toISOString()} topics changed (${current.length} → ${wanted.length}); reloading telegraf (pid ${pid})`);
  try {
    process.kill(pid, 'SIGHUP');
    lastHup = Date.now();
  } catch {}
}
