// Shared by the runner's tests: spawn the real CLI, stand up a listening TCP port for preflight, and write
// profiles pointing at it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../src/report/finding.ts';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const BIN = join(ROOT, 'bin/efd-health.js');
export const FIXTURE_SUITES = join(ROOT, 'test/fixtures/suites');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/efd-health.js …`; no colour, and never the developer's own EFD_* settings. */
export function cli(args: string[], opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('EFD_HEALTH') && k !== 'FORCE_COLOR') env[k] = v;
  Object.assign(env, { NO_COLOR: '1' }, opts.env);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 90_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** The findings of a run folder; none when the run stopped before writing one (its output says why). */
export function readFindings(reportDir: string): Finding[] {
  try {
    return readFileSync(join(reportDir, 'findings.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

export interface RunResult {
  code: number | null;
  /** stdout then stderr */
  output: string;
  findings: Finding[];
}

/** `efd-health run <args> --report-dir <reportDir>`: exit code, output and the findings it wrote. */
export async function cliRun(args: string[], reportDir: string, timeoutMs: number): Promise<RunResult> {
  const r = await cli(['run', ...args, '--report-dir', reportDir], { timeoutMs });
  return { code: r.code, output: r.stdout + r.stderr, findings: readFindings(reportDir) };
}

export function tempDir(prefix = 'efd-health-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A loopback port that accepts connections (and says nothing): enough for the TCP preflight. */
export async function listeningPort(): Promise<{ port: number; server: Server }> {
  const server = createServer((s) => s.on('error', () => {}));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return { port: addr.port, server };
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const { port, server } = await listeningPort();
  await new Promise((r) => server.close(r));
  return port;
}

export interface ProfileOptions {
  port: number;
  /** port for kafka.summit only (e.g. a closed one) */
  summitPort?: number;
  env?: string;
  vantage?: string;
  /** YAML appended at the end (top-level keys) */
  extra?: string;
  /** influxdb block override */
  influxdb?: string;
}

/** A profile whose every endpoint is 127.0.0.1:<port>. */
export function writeProfile(dir: string, o: ProfileOptions): string {
  const p = o.port;
  const text = `env: ${o.env ?? 'fx'}
vantage: ${o.vantage ?? 'test'}
manifests: ./manifests
timeout_ms: 1500
kafka:
  summit: { bootstrap: ["127.0.0.1:${o.summitPort ?? p}"] }
  ldf: { bootstrap: ["127.0.0.1:${p}"] }
registry:
  summit: { url: "http://127.0.0.1:${p}" }
  ldf: { url: "http://127.0.0.1:${p}" }
connect: { url: "http://127.0.0.1:${p}" }
${o.influxdb ?? `influxdb: { url: "http://127.0.0.1:${p}", database: efd }`}
ingress:
  https_port: ${p}
  resolve: { lsst-argocd-ldf.ncsa.illinois.edu: "127.0.0.1" }
${o.extra ?? ''}
`;
  const file = join(dir, 'profile.yaml');
  writeFileSync(file, text);
  return file;
}
