// Shared by the runner's tests: spawn the real CLI, stand up a port that answers the preflight's greetings,
// and write profiles pointing at it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
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

/** A loopback port that accepts connections and says nothing: a frozen service, as the preflight sees it. */
export async function silentPort(): Promise<{ port: number; server: Server }> {
  return serve((s) => s.on('error', () => {}));
}

async function serve(onConnection: (s: Socket) => void): Promise<{ port: number; server: Server }> {
  const server = createServer(onConnection);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return { port: addr.port, server };
}

let tlsPort: Promise<number> | undefined;
/** An HTTPS server on a throwaway self-signed certificate, where TLS greetings are passed on to. */
function httpsPort(): Promise<number> {
  tlsPort ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'efd-greet-'));
    const [cert, key] = [join(dir, 'c.pem'), join(dir, 'k.pem')];
    spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=greeting', '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const server = createTlsServer({ cert: readFileSync(cert), key: readFileSync(key) }, (t) => {
      t.on('error', () => {});
      t.once('data', () => t.end(NOT_FOUND));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    server.unref();
    return (server.address() as { port: number }).port;
  })();
  return tlsPort;
}

const NOT_FOUND = 'HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n';

/** Answers the first bytes it reads the way the preflight's greeting needs: an HTTP status line (over TLS
 * too), or a Kafka frame echoing the request's correlation id. The fixture suites behind it call nothing,
 * so greetings are all this port must answer; it stands in for every component of a test profile. */
function answer(s: Socket): void {
  s.on('error', () => {});
  s.once('data', async (first: Buffer) => {
    if (first[0] === 0x16) {
      const up = connect({ host: '127.0.0.1', port: await httpsPort() });
      up.on('error', () => s.destroy());
      up.write(first);
      s.pipe(up).pipe(s);
      return;
    }
    if (/^[A-Z]+ /.test(first.subarray(0, 8).toString('latin1'))) {
      s.end(NOT_FOUND);
      return;
    }
    const reply = Buffer.alloc(14);
    reply.writeInt32BE(10, 0); // correlation id, error code 0, an empty api list
    first.copy(reply, 4, 8, 12);
    s.end(reply);
  });
}

/** A loopback port that answers the preflight's greetings (Kafka, HTTP, HTTPS). */
export async function listeningPort(): Promise<{ port: number; server: Server }> {
  return serve(answer);
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
