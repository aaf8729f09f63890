// A fault-matrix ingress of our own: a test PKI made with openssl (root, intermediate, a rogue CA, leaf
// certificates with any dates, key sizes and digests) and an nginx that serves one host per fault by
// SNI, under its own mkdtemp prefix and on loopback ports picked at run time. Never the stack's nginx.
// Used by test/ingress-faults.test.ts and scripts/peers/ingress-peers.ts.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../../src/config/profile.ts';
import type { Reason } from '../../src/report/finding.ts';

const FIXTURES = join(REPO_ROOT, 'fixtures/ingress');
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------- PKI

interface Ca {
  dir: string;
  cert: string;
  key: string;
}

export interface IssueOptions {
  cn: string;
  /** DNS subjectAltNames; none when empty */
  dns: string[];
  issuer: 'intermediate' | 'root' | 'rogue' | 'self';
  /** default: a shared 2048-bit RSA key */
  key?: { type: 'rsa'; bits: number } | { type: 'ec'; curve: string };
  md?: 'sha256' | 'sha1' | 'sha384';
  notBefore?: Date;
  notAfter?: Date;
  /** subject O, e.g. the ingress controller's "Acme Co" */
  org?: string;
}

export interface Issued {
  cert: string;
  key: string;
}

export class TestPki {
  readonly root: Ca;
  readonly intermediate: Ca;
  readonly rogue: Ca;
  private sharedKey: string;
  private n = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.sharedKey = this.newKey({ type: 'rsa', bits: 2048 });
    this.root = this.selfSignedCa('root', 'EFD Health Test Root CA');
    this.rogue = this.selfSignedCa('rogue', 'Rogue Test CA');
    this.intermediate = this.subCa('intermediate', 'EFD Health Test Intermediate CA', this.root);
  }

  /** PEM bundle a client should trust: the root, plus the intermediate when asked (a client that "could find it"). */
  bundle(withIntermediate: boolean): string {
    const file = join(this.dir, withIntermediate ? 'bundle-root-intermediate.pem' : 'bundle-root.pem');
    writeFileSync(file, readFileSync(this.root.cert, 'utf8') + (withIntermediate ? readFileSync(this.intermediate.cert, 'utf8') : ''));
    return file;
  }

  issue(o: IssueOptions): Issued {
    const base = join(this.dir, `leaf-${++this.n}`);
    const key = o.key ? this.newKey(o.key) : this.sharedKey;
    const subj = `/CN=${o.cn}${o.org ? `/O=${o.org}` : ''}`;
    const san = o.dns.length ? ['-addext', `subjectAltName=${o.dns.map((d) => `DNS:${d}`).join(',')}`] : [];
    const md = `-${o.md ?? 'sha256'}`;
    if (o.issuer === 'self') {
      const days = o.notAfter ? Math.max(1, Math.ceil((o.notAfter.getTime() - Date.now()) / DAY_MS)) : 365;
      openssl(['req', '-x509', '-new', '-key', key, md, '-days', String(days), '-subj', subj, ...san,
        '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'extendedKeyUsage=serverAuth', '-out', `${base}.crt`]);
      return { cert: `${base}.crt`, key };
    }
    openssl(['req', '-new', '-key', key, '-subj', subj, ...san, '-out', `${base}.csr`]);
    const ca = o.issuer === 'root' ? this.root : o.issuer === 'rogue' ? this.rogue : this.intermediate;
    this.sign(ca, `${base}.csr`, `${base}.crt`, 'v3_leaf', o.md ?? 'sha256', o.notBefore ?? new Date(Date.now() - DAY_MS), o.notAfter ?? new Date(Date.now() + 90 * DAY_MS));
    return { cert: `${base}.crt`, key };
  }

  /** A PEM file of the leaf followed by the chosen CA certificates, as nginx's ssl_certificate wants it. */
  chainFile(leaf: Issued, extra: Array<'intermediate' | 'root' | 'rogue'>): string {
    const file = leaf.cert.replace(/\.crt$/, `-chain-${extra.join('-') || 'leaf'}.pem`);
    const parts = [leaf.cert, ...extra.map((e) => this[e].cert)].map((f) => readFileSync(f, 'utf8'));
    writeFileSync(file, parts.join(''));
    return file;
  }

  private newKey(k: NonNullable<IssueOptions['key']>): string {
    const file = join(this.dir, `key-${++this.n}.pem`);
    if (k.type === 'rsa') openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${k.bits}`, '-out', file]);
    else openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${k.curve}`, '-out', file]);
    return file;
  }

  private caDir(name: string): string {
    const dir = join(this.dir, name);
    mkdirSync(join(dir, 'newcerts'), { recursive: true });
    writeFileSync(join(dir, 'index.txt'), '');
    // 16 random bytes, top bit clear (a positive INTEGER): what public CAs use, so no peer flags low serial entropy
    const serial = randomBytes(16);
    serial[0] &= 0x7f;
    writeFileSync(join(dir, 'serial'), `${serial.toString('hex')}\n`);
    copyFileSync(join(FIXTURES, 'openssl-ca.cnf'), join(dir, 'ca.cnf'));
    return dir;
  }

  private selfSignedCa(name: string, cn: string): Ca {
    const dir = this.caDir(name);
    const key = this.newKey({ type: 'rsa', bits: 2048 });
    const cert = join(dir, 'ca.crt');
    openssl(['req', '-x509', '-new', '-key', key, '-sha256', '-days', '3650', '-subj', `/CN=${cn}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', cert]);
    return { dir, cert, key };
  }

  private subCa(name: string, cn: string, parent: Ca): Ca {
    const dir = this.caDir(name);
    const key = this.newKey({ type: 'rsa', bits: 2048 });
    const csr = join(dir, 'ca.csr');
    const cert = join(dir, 'ca.crt');
    openssl(['req', '-new', '-key', key, '-subj', `/CN=${cn}`, '-out', csr]);
    this.sign(parent, csr, cert, 'v3_intermediate', 'sha256', new Date(Date.now() - 30 * DAY_MS), new Date(Date.now() + 1800 * DAY_MS));
    return { dir, cert, key };
  }

  private sign(ca: Ca, csr: string, out: string, ext: string, md: string, start: Date, end: Date): void {
    openssl(['ca', '-batch', '-notext', '-config', 'ca.cnf', '-cert', ca.cert, '-keyfile', ca.key, '-in', resolve(csr), '-out', resolve(out),
      '-extensions', ext, '-md', md, '-startdate', asn1Time(start), '-enddate', asn1Time(end)], ca.dir);
  }
}

function openssl(args: string[], cwd?: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer };
    throw new Error(`openssl ${args[0]} failed: ${err.stderr?.toString().trim().split('\n').slice(-2).join(' ')}`);
  }
}

/** YYYYMMDDHHMMSSZ */
function asn1Time(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

// ---------------------------------------------------------------- the fault matrix

export type Kind = 'schema-registry' | 'influxdb' | 'chronograf' | 'argocd';

/** How a host answers over HTTPS. */
type Behaviour = 'good' | 'wrong-status' | 'app-without-oauth' | 'anonymous-api' | 'pre-deploy' | 'forbidden';

export interface FaultSite {
  /** short name, also the first label of the host */
  name: string;
  kind: Kind;
  /** what the certificate looks like */
  cert: Omit<IssueOptions, 'cn' | 'dns'> & { dns?: string[]; send: Array<'intermediate' | 'root' | 'rogue'> };
  behaviour?: Behaviour;
  hsts?: boolean;
  /** plain HTTP on the http port redirects to HTTPS (default) or answers 200 */
  plainRedirect?: boolean;
  /** TLS versions on a listener of its own (nginx picks protocols before SNI) */
  protocols?: string[];
  /** allow legacy keys/digests/protocols on the server side (OpenSSL's SECLEVEL) */
  legacy?: boolean;
}

export interface FaultCase {
  name: string;
  host: string;
  kind: Kind;
  phase: 'pre-deploy' | 'deployed';
  /** the checks that must not pass (fail or warn), with their reason; every other check passes or skips */
  expect: Record<string, Reason>;
  /** what the fault is, for tables */
  fault: string;
}

export const DOMAIN = 'efd.test';
export const hostOf = (name: string, kind: Kind) => `${name}-${kind}.${DOMAIN}`;

const days = (n: number) => new Date(Date.now() + n * DAY_MS);

/** The sites nginx serves; `expect` is what efd-health must say about each. */
export function faultMatrix(): Array<FaultSite & Omit<FaultCase, 'host' | 'kind' | 'name'>> {
  const ok = { issuer: 'intermediate' as const, send: ['intermediate' as const] };
  return [
    { name: 'good', kind: 'schema-registry', cert: ok, phase: 'deployed', expect: {}, fault: 'none (healthy Schema Registry)' },
    { name: 'good', kind: 'influxdb', cert: { ...ok, key: { type: 'ec', curve: 'prime256v1' } }, phase: 'deployed', expect: {}, fault: 'none (healthy InfluxDB, EC key)' },
    { name: 'good', kind: 'chronograf', cert: ok, phase: 'deployed', expect: {}, fault: 'none (Chronograf behind GitHub OAuth)' },
    { name: 'good', kind: 'argocd', cert: ok, phase: 'deployed', expect: {}, fault: 'none (Argo CD login page)' },
    { name: 'expired', kind: 'schema-registry', cert: { ...ok, notBefore: days(-400), notAfter: days(-3) }, phase: 'deployed',
      expect: { 'ingress.tls.expiry': 'cert_expired' }, fault: 'leaf expired 3 days ago' },
    { name: 'notyet', kind: 'schema-registry', cert: { ...ok, notBefore: days(5), notAfter: days(200) }, phase: 'deployed',
      expect: { 'ingress.tls.expiry': 'cert_not_yet_valid' }, fault: 'leaf valid from 5 days ahead' },
    { name: 'wrongname', kind: 'schema-registry', cert: { ...ok, dns: ['somewhere-else.example.org'] }, phase: 'deployed',
      expect: { 'ingress.tls.hostname': 'hostname_mismatch' }, fault: 'SAN names another host' },
    { name: 'selfsigned', kind: 'schema-registry', cert: { issuer: 'self', send: [] }, phase: 'deployed',
      expect: { 'ingress.tls.trust': 'untrusted' }, fault: 'self-signed leaf' },
    { name: 'rogueca', kind: 'schema-registry', cert: { issuer: 'rogue', send: ['rogue'] }, phase: 'deployed',
      expect: { 'ingress.tls.trust': 'untrusted' }, fault: 'issued by an untrusted CA (sent with its root)' },
    { name: 'nointermediate', kind: 'schema-registry', cert: { issuer: 'intermediate', send: [] }, phase: 'deployed',
      expect: { 'ingress.tls.chain_complete': 'incomplete_chain' }, fault: 'intermediate not sent (the client bundle holds it)' },
    { name: 'rsa1024', kind: 'schema-registry', cert: { ...ok, key: { type: 'rsa', bits: 1024 } }, legacy: true, phase: 'deployed',
      expect: { 'ingress.tls.key_strength': 'weak_crypto' }, fault: 'RSA 1024-bit key' },
    { name: 'sha1', kind: 'schema-registry', cert: { ...ok, md: 'sha1' }, legacy: true, phase: 'deployed',
      expect: { 'ingress.tls.signature': 'weak_crypto' }, fault: 'leaf signed with SHA-1' },
    { name: 'expiring', kind: 'schema-registry', cert: { ...ok, notAfter: days(3) }, phase: 'deployed',
      expect: { 'ingress.tls.expiry': 'cert_expiring' }, fault: 'leaf expires in 3 days' },
    { name: 'expiring20', kind: 'schema-registry', cert: { ...ok, notAfter: days(20) }, phase: 'deployed',
      expect: { 'ingress.tls.expiry': 'cert_expiring' }, fault: 'leaf expires in 20 days (warning)' },
    { name: 'tls10', kind: 'schema-registry', cert: ok, protocols: ['TLSv1', 'TLSv1.1'], legacy: true, phase: 'deployed',
      expect: { 'ingress.tls.protocol': 'old_protocol' }, fault: 'TLS 1.0 and 1.1 only' },
    { name: 'tls10and12', kind: 'schema-registry', cert: ok, protocols: ['TLSv1', 'TLSv1.2'], legacy: true, phase: 'deployed',
      expect: { 'ingress.tls.protocol': 'old_protocol' }, fault: 'TLS 1.2 plus TLS 1.0' },
    { name: 'nohsts', kind: 'schema-registry', cert: ok, hsts: false, phase: 'deployed',
      expect: { 'ingress.http.hsts': 'no_hsts' }, fault: 'no Strict-Transport-Security' },
    { name: 'noredirect', kind: 'schema-registry', cert: ok, plainRedirect: false, phase: 'deployed',
      expect: { 'ingress.http.redirect': 'no_redirect' }, fault: 'plain HTTP answers 200' },
    { name: 'wrongstatus', kind: 'influxdb', cert: ok, behaviour: 'wrong-status', phase: 'deployed',
      expect: { 'ingress.http.phase_answer': 'http_status' }, fault: 'deployed InfluxDB /ping answers 404' },
    { name: 'nooauth', kind: 'chronograf', cert: ok, behaviour: 'app-without-oauth', phase: 'deployed',
      expect: { 'ingress.auth.anonymous': 'auth' }, fault: 'Chronograf app served without OAuth' },
    { name: 'anonapi', kind: 'argocd', cert: ok, behaviour: 'anonymous-api', phase: 'deployed',
      expect: { 'ingress.auth.anonymous': 'auth' }, fault: 'Argo CD API readable anonymously' },
    { name: 'pre', kind: 'influxdb', cert: ok, behaviour: 'pre-deploy', phase: 'pre-deploy', expect: {}, fault: 'none (404 before deployment)' },
    { name: 'early', kind: 'chronograf', cert: ok, phase: 'pre-deploy',
      expect: { 'ingress.http.phase_answer': 'http_status' }, fault: 'pre-deploy, but Chronograf already answers' },
  ];
}

/** A host nginx has no server for: it gets the default ("fake") certificate and a 404. */
export const UNKNOWN_HOST = hostOf('unknown', 'influxdb');
export const UNKNOWN_CASE: FaultCase = {
  name: 'unknown', host: UNKNOWN_HOST, kind: 'influxdb', phase: 'pre-deploy',
  expect: { 'ingress.tls.default_cert': 'default_cert', 'ingress.tls.trust': 'default_cert', 'ingress.tls.hostname': 'default_cert' },
  fault: "host without a TLS entry: the controller's default certificate",
};

// ---------------------------------------------------------------- nginx

export interface FaultIngress {
  prefix: string;
  httpsPort: number;
  httpPort: number;
  /** host → "127.0.0.1[:port]" for the profile's ingress.resolve */
  resolve: Record<string, string>;
  cases: FaultCase[];
  /** trusts the test root and knows the intermediate */
  caBundle: string;
  /** trusts the test root only */
  rootBundle: string;
  /** a host whose https port refuses connections, and one that answers 403 */
  refusedHost: string;
  forbiddenHost: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => res(port));
    });
  });
}

const HSTS = 'add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;';
const ARGO_LOGIN_PAGE =
  '<!doctype html><html><head><title>Argo CD</title></head><body><form method="post" action="/api/v1/session">' +
  '<input name="username"><input type="password" name="password"><button>Sign in</button></form>' +
  '<a href="/auth/login">Log in via GitHub</a></body></html>';
const APP_PAGE = '<!doctype html><html><head><title>Chronograf</title></head><body><div id="react-root"></div><script src="/app.js"></script></body></html>';

/** Location blocks of one host; `add_header` is repeated in each (nginx does not inherit it into a location that has its own). */
function locations(kind: Kind, behaviour: Behaviour, hsts: boolean): string {
  const h = hsts ? HSTS : '';
  const loc = (match: string, body: string) => `    location ${match} { ${h} ${body} }`;
  const json = (status: number, body: string) => `default_type application/json; return ${status} '${body}';`;
  if (behaviour === 'pre-deploy') return loc('/', 'return 404;');
  if (behaviour === 'forbidden') return loc('/', 'return 403;');
  switch (kind) {
    case 'schema-registry':
      return [loc('= /subjects', json(200, '["lsst.sal.Test.logevent_heartbeat-value"]')), loc('/', json(200, '{}'))].join('\n');
    case 'influxdb':
      return [
        behaviour === 'wrong-status' ? loc('= /ping', 'return 404;') : loc('= /ping', 'add_header X-Influxdb-Version 1.8.10 always; return 204;'),
        loc('/query', json(401, '{"error":"unable to parse authentication credentials"}')),
        loc('/', 'return 404;'),
      ].join('\n');
    case 'chronograf':
      return behaviour === 'app-without-oauth'
        ? [loc('/chronograf/v1/', json(404, '{"code":404,"message":"path not found"}')), loc('/', `default_type text/html; return 200 '${APP_PAGE}';`)].join('\n')
        : loc('/', 'return 302 https://github.com/login/oauth/authorize?client_id=efd-health-test&scope=read:org;');
    case 'argocd':
      return [
        behaviour === 'anonymous-api' ? loc('/api/', json(200, '{"items":[{"metadata":{"name":"efd"}}]}')) : loc('/api/', json(401, '{"error":"no session information","code":16}')),
        loc('/', `default_type text/html; return 200 '${ARGO_LOGIN_PAGE}';`),
      ].join('\n');
  }
}

function httpsServer(o: { listen: string; names: string[]; cert: string; key: string; body: string; protocols?: string[]; legacy?: boolean }): string {
  return [
    '  server {',
    `    listen ${o.listen};`,
    `    server_name ${o.names.join(' ')};`,
    `    ssl_certificate ${o.cert};`,
    `    ssl_certificate_key ${o.key};`,
    `    ssl_protocols ${(o.protocols ?? ['TLSv1.2', 'TLSv1.3']).join(' ')};`,
    // SECLEVEL=0 lets OpenSSL load 1024-bit keys and SHA-1 certificates and speak TLS 1.0/1.1
    o.legacy ? '    ssl_ciphers DEFAULT:@SECLEVEL=0;' : '',
    o.body,
    '  }',
  ].filter(Boolean).join('\n');
}

function plainServer(listen: string, names: string[], httpsPort: number, redirect: boolean): string {
  const body = redirect ? `return 308 https://$host:${httpsPort}$request_uri;` : `default_type text/plain; return 200 'plain http';`;
  return `  server {\n    listen ${listen};\n    server_name ${names.join(' ')};\n    ${body}\n  }`;
}

export async function startFaultIngress(): Promise<FaultIngress> {
  const prefix = mkdtempSync(join(tmpdir(), 'efd-ingress-faults-'));
  chmodSync(prefix, 0o755); // nginx workers run as nobody when started as root
  for (const d of ['conf', 'tmp', 'logs']) mkdirSync(join(prefix, d));
  const pki = new TestPki(join(prefix, 'pki'));
  const [httpsPort, httpPort, refusedPort] = [await freePort(), await freePort(), await freePort()];
  const servers: string[] = [];
  const resolveMap: Record<string, string> = {};
  const cases: FaultCase[] = [];

  // The controller's default server: unknown hosts get its self-signed "fake" certificate and 404.
  const fake = pki.issue({ cn: 'Kubernetes Ingress Controller Fake Certificate', org: 'Acme Co', dns: ['ingress.local'], issuer: 'self' });
  servers.push(httpsServer({ listen: `127.0.0.1:${httpsPort} ssl default_server`, names: ['_'], cert: fake.cert, key: fake.key, body: `    location / { ${HSTS} return 404; }` }));
  servers.push(plainServer(`127.0.0.1:${httpPort} default_server`, ['_'], httpsPort, true));
  resolveMap[UNKNOWN_HOST] = '127.0.0.1';
  cases.push(UNKNOWN_CASE);

  for (const site of faultMatrix()) {
    const host = hostOf(site.name, site.kind);
    const leaf = pki.issue({ ...site.cert, cn: host, dns: site.cert.dns ?? [host] });
    const chain = pki.chainFile(leaf, site.cert.send);
    const body = locations(site.kind, site.behaviour ?? 'good', site.hsts ?? true);
    if (site.protocols) {
      const port = await freePort();
      servers.push(httpsServer({ listen: `127.0.0.1:${port} ssl default_server`, names: [host], cert: chain, key: leaf.key, body, protocols: site.protocols, legacy: site.legacy }));
      resolveMap[host] = `127.0.0.1:${port}`;
    } else {
      servers.push(httpsServer({ listen: `127.0.0.1:${httpsPort} ssl`, names: [host], cert: chain, key: leaf.key, body, legacy: site.legacy }));
      resolveMap[host] = '127.0.0.1';
    }
    servers.push(plainServer(`127.0.0.1:${httpPort}`, [host], httpsPort, site.plainRedirect ?? true));
    cases.push({ name: `${site.name}-${site.kind}`, host, kind: site.kind, phase: site.phase, expect: site.expect, fault: site.fault });
  }

  // Vantage cases: one host nothing listens for (its own closed port), one that answers 403.
  const refusedHost = hostOf('refused', 'schema-registry');
  resolveMap[refusedHost] = `127.0.0.1:${refusedPort}`;
  const forbiddenHost = hostOf('forbidden', 'schema-registry');
  const fleaf = pki.issue({ issuer: 'intermediate', cn: forbiddenHost, dns: [forbiddenHost] });
  servers.push(httpsServer({ listen: `127.0.0.1:${httpsPort} ssl`, names: [forbiddenHost], cert: pki.chainFile(fleaf, ['intermediate']), key: fleaf.key, body: locations('schema-registry', 'forbidden', true) }));
  resolveMap[forbiddenHost] = '127.0.0.1';

  const conf = readFileSync(join(FIXTURES, 'nginx-faults.conf.tmpl'), 'utf8').replaceAll('{{PREFIX}}', prefix).replace('{{SERVERS}}', servers.join('\n\n'));
  writeFileSync(join(prefix, 'conf/nginx.conf'), conf);

  const ports = [httpsPort, httpPort, ...Object.values(resolveMap).map((v) => Number(v.split(':')[1] ?? 0)).filter((p) => p && p !== refusedPort)];
  const proc = await startNginx(prefix, [...new Set(ports)]);
  return {
    prefix, httpsPort, httpPort, resolve: resolveMap, cases,
    caBundle: pki.bundle(true), rootBundle: pki.bundle(false),
    refusedHost, forbiddenHost,
    async stop() {
      await stopProcess(proc);
      if (!process.env.EFD_KEEP_FAULT_INGRESS) rmSync(prefix, { recursive: true, force: true });
    },
  };
}

async function startNginx(prefix: string, ports: number[]): Promise<ChildProcess> {
  const proc = spawn('nginx', ['-p', `${prefix}/`, '-c', 'conf/nginx.conf', '-e', 'stderr', '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += String(d)));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`nginx for the fault matrix exited: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
    const up = await Promise.all(ports.map(listening));
    if (up.every(Boolean)) return proc;
    if (Date.now() > deadline) {
      await stopProcess(proc);
      throw new Error(`nginx for the fault matrix did not listen on ${ports.join(', ')} within 10 s: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), res(true)));
    s.once('error', () => res(false));
  });
}

async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGTERM'); // nginx: fast shutdown
  const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

/** A TCP server that accepts and never says a word: a host that does not answer TLS. */
export async function startBlackhole(): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}
