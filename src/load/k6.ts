// Runs a k6 scenario of suites/load/k6 as a child process, when a k6 binary is on PATH. Secrets go through
// the child's environment (never argv); the scenario writes its end-of-test summary as JSON to a file
// (handleSummary), which is read back as facts. k6 exits 99 when a threshold failed.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Absolute path of an executable on PATH, or undefined. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface K6Result {
  exitCode: number | null;
  timedOut: boolean;
  /** the scenario's handleSummary data (metrics with values and thresholds) */
  summary?: K6Summary;
  stdoutTail: string;
  stderrTail: string;
}

export interface K6Summary {
  metrics: Record<string, { type?: string; values?: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
  state?: { testRunDurationMs?: number };
}

/** Thresholds that failed, as "metric: expression". */
export function failedThresholds(s: K6Summary | undefined): string[] {
  const out: string[] = [];
  for (const [name, m] of Object.entries(s?.metrics ?? {})) {
    for (const [expr, t] of Object.entries(m.thresholds ?? {})) if (!t.ok) out.push(`${name}: ${expr}`);
  }
  return out;
}

const tail = (s: string, n = 1500) => (s.length > n ? s.slice(-n) : s);

export async function runK6(bin: string, script: string, env: Record<string, string>, timeoutMs: number): Promise<K6Result> {
  const dir = mkdtempSync(join(tmpdir(), 'efd-k6-'));
  const summaryFile = join(dir, 'summary.json');
  try {
    const child = spawn(bin, ['run', '--quiet', '--no-color', script], {
      env: { ...process.env, ...env, EFD_K6_SUMMARY: summaryFile, K6_NO_USAGE_REPORT: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout = tail(stdout + d, 20_000)));
    child.stderr.on('data', (d) => (stderr = tail(stderr + d, 20_000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGINT'); // k6 stops gracefully and still writes its summary
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, timeoutMs);
    const exitCode = await new Promise<number | null>((res) => {
      child.on('error', () => res(null));
      child.on('close', (code) => res(code));
    });
    clearTimeout(timer);
    let summary: K6Summary | undefined;
    if (existsSync(summaryFile)) {
      try {
        summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
      } catch {
        summary = undefined;
      }
    }
    return { exitCode, timedOut, summary, stdoutTail: tail(stdout), stderrTail: tail(stderr) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The InfluxDB host behind the ingress: an Ingress host routed to an influxdb service, else a resolve key. */
export function influxIngressHost(ingressHosts: Array<{ host: string; backends: Array<{ service: string }> }>, resolveKeys: string[]): string | undefined {
  const byBackend = ingressHosts.find((h) => h.backends.some((b) => /influx/i.test(b.service) && !/chronograf/i.test(b.service)));
  return byBackend?.host ?? resolveKeys.find((h) => /influx/i.test(h) && !/chronograf/i.test(h));
}

/** k6's `hosts` option from the profile's ingress.resolve (host → address or address:port). */
export function k6Hosts(resolve: Record<string, string>, httpsPort: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [host, addr] of Object.entries(resolve)) {
    const hasPort = /^\[.*\]:\d+$|^[^:\]]+:\d+$/.test(addr);
    out[`${host}:${httpsPort}`] = hasPort ? addr : `${addr}:${httpsPort}`;
    out[host] = hasPort ? addr.replace(/:\d+$/, '') : addr;
  }
  return out;
}

/** Why a k6 scenario cannot run (a skip outcome), or undefined when it can. */
export function judgeK6Prereq(requested: boolean, bin: string | undefined, script: string) {
  if (!requested)
    return { status: 'skip' as const, reason: 'skipped' as const, message: `k6 scenario ${script} not requested (add --k6)` };
  if (!bin)
    return {
      status: 'skip' as const,
      reason: 'skipped' as const,
      message: `k6 scenario ${script} did not run: no k6 binary on PATH`,
      hint: 'install k6 (a single binary) and put it on PATH; CI still type-checks the scenarios against @types/k6',
    };
  return undefined;
}
