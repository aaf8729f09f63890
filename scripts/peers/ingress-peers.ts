// Side by side on the same fault endpoints: efd-health's ingress checks, Debian's
// prometheus-blackbox-exporter and testssl.sh. Starts the fault-matrix nginx of the tests
// (test/helpers/nginx-faults.ts) on loopback, probes every case with each tool, and writes the
// table docs/ingress-peers.md. Bounded: loopback only, a timeout on every probe and on each tool run.
//
//   npx tsx scripts/peers/ingress-peers.ts [--out docs/ingress-peers.md] [--only name,name] [--parallel 3]
//
// What counts as "detects" for a peer: blackbox_exporter — probe_success 0 where the healthy host of the
// same service gives 1 (or, marked ◐, its expiry metric under the 7-day rule a Prometheus alert would
// use); testssl.sh — a finding of severity LOW or above that the healthy host does not also get.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { REPO_ROOT } from '../../src/config/profile.ts';
import type { Profile } from '../../src/config/types.ts';
import { runIngress } from '../../src/ingress/run.ts';
import { freePort, startFaultIngress, type FaultCase, type FaultIngress, type Kind } from '../../test/helpers/nginx-faults.ts';

const BLACKBOX = '/usr/bin/prometheus-blackbox-exporter';
const TESTSSL = '/usr/bin/testssl';
const PROBE_TIMEOUT_S = 5;
const TESTSSL_DEADLINE_MS = 240_000;
const DAY_S = 86_400;

interface PeerResult {
  detects: 'yes' | 'partly' | 'no';
  /** what the tool said, shortened */
  says: string;
}

interface Row {
  c: FaultCase;
  efd: PeerResult;
  blackbox: PeerResult;
  testssl: PeerResult;
}

// ------------------------------------------------------------------ efd-health

async function efdHealth(fi: FaultIngress, cases: FaultCase[]): Promise<Map<string, PeerResult>> {
  const out = new Map<string, PeerResult>();
  for (const phase of ['deployed', 'pre-deploy'] as const) {
    const these = cases.filter((c) => c.phase === phase);
    if (!these.length) continue;
    const profile = {
      file: 'scripts/peers/ingress-peers.ts', env: 'peers', vantage: 'loopback', production: false, phase,
      manifests: join(fi.prefix, 'no-manifests'), thresholds: {}, timeout_ms: PROBE_TIMEOUT_S * 1000,
      ingress: {
        https_port: fi.httpsPort, http_port: fi.httpPort, ca_bundle: fi.rootBundle, extra_hosts: [], expect_refused: false,
        resolve: Object.fromEntries(these.map((c) => [c.host, fi.resolve[c.host]])),
      },
    } as unknown as Profile;
    const run = await runIngress(profile);
    for (const c of these) {
      const bad = run.verdicts.filter((v) => v.outcome.target === c.host && (v.outcome.status === 'fail' || v.outcome.status === 'warn'));
      out.set(c.name, bad.length
        ? { detects: 'yes', says: bad.map((v) => `${v.id.replace('ingress.', '')}: ${v.outcome.status} \`${v.outcome.reason}\``).join('; ') }
        : { detects: 'no', says: 'all checks pass' });
    }
  }
  return out;
}

// ------------------------------------------------------------------ blackbox_exporter

/** What a blackbox user would assert for the service in this phase (status, headers, body). */
function httpsModule(c: FaultCase, ca: string): Record<string, unknown> {
  const hsts = { header: 'Strict-Transport-Security', regexp: 'max-age=[1-9]' };
  const base = {
    method: 'GET', follow_redirects: false, fail_if_not_ssl: true, preferred_ip_protocol: 'ip4', ip_protocol_fallback: false,
    headers: { Host: c.host }, tls_config: { ca_file: ca, server_name: c.host },
  };
  const expect: Record<Kind, Record<string, unknown>> = {
    'schema-registry': { valid_status_codes: [200], fail_if_body_not_matches_regexp: ['^\\['], fail_if_header_not_matches: [hsts] },
    influxdb: { valid_status_codes: [204], fail_if_header_not_matches: [hsts, { header: 'X-Influxdb-Version', regexp: '.+' }] },
    chronograf: { valid_status_codes: [302, 303, 307], fail_if_header_not_matches: [hsts, { header: 'Location', regexp: 'github\\.com/login/oauth' }] },
    argocd: { valid_status_codes: [200], fail_if_body_not_matches_regexp: ['type="password"'], fail_if_header_not_matches: [hsts] },
  };
  const pre = c.phase === 'pre-deploy' && c.kind !== 'argocd';
  return { prober: 'http', timeout: `${PROBE_TIMEOUT_S}s`, http: { ...base, ...(pre ? { valid_status_codes: [404], fail_if_header_not_matches: [hsts] } : expect[c.kind]) } };
}

function plainModule(c: FaultCase): Record<string, unknown> {
  return {
    prober: 'http', timeout: `${PROBE_TIMEOUT_S}s`,
    http: {
      method: 'GET', follow_redirects: false, preferred_ip_protocol: 'ip4', ip_protocol_fallback: false, headers: { Host: c.host },
      valid_status_codes: [301, 302, 307, 308], fail_if_header_not_matches: [{ header: 'Location', regexp: '^https://' }],
    },
  };
}

const pathFor = (c: FaultCase) =>
  c.phase === 'pre-deploy' && c.kind !== 'argocd' ? '/' : c.kind === 'schema-registry' ? '/subjects' : c.kind === 'influxdb' ? '/ping' : '/';

interface BlackboxProbe {
  success: boolean;
  errors: string[];
  expiry?: number;
}

async function blackbox(fi: FaultIngress, cases: FaultCase[], dir: string): Promise<Map<string, PeerResult>> {
  const modules: Record<string, unknown> = {};
  cases.forEach((c, i) => {
    modules[`https_${i}`] = httpsModule(c, fi.rootBundle);
    modules[`plain_${i}`] = plainModule(c);
  });
  const config = join(dir, 'blackbox.yml');
  writeFileSync(config, JSON.stringify({ modules }, null, 1)); // YAML is a superset of JSON
  const port = await freePort();
  const proc = spawn(BLACKBOX, [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += String(d)));
  try {
    await waitHttp(`http://127.0.0.1:${port}/-/healthy`, proc, () => stderr);
    const probe = async (module: string, target: string): Promise<BlackboxProbe> => {
      const url = `http://127.0.0.1:${port}/probe?module=${module}&debug=true&target=${encodeURIComponent(target)}`;
      const res = await request(url, { signal: AbortSignal.timeout((PROBE_TIMEOUT_S + 5) * 1000) });
      const text = await res.body.text();
      // the first line that says why: an error, or blackbox's info-level verdicts on status, headers and body
      const why = /level=error|msg="(Invalid HTTP response status code|Missing required header|Header matched|Header did not match|Body (did not )?match)/;
      const errors = text.split('\n').filter((l) => why.test(l) && !l.includes('msg="Probe failed"')).map(logMessage);
      const expiry = /^probe_ssl_earliest_cert_expiry (\S+)$/m.exec(text)?.[1];
      return { success: /^probe_success 1$/m.test(text), errors, expiry: expiry ? Number(expiry) : undefined };
    };
    const out = new Map<string, PeerResult>();
    await Promise.all(cases.map(async (c, i) => {
      const [addr, port2] = fi.resolve[c.host].split(':');
      const https = await probe(`https_${i}`, `https://${addr}:${port2 ?? fi.httpsPort}${pathFor(c)}`);
      const plain = await probe(`plain_${i}`, `http://${addr}:${fi.httpPort}/`);
      const says: string[] = [];
      if (!https.success) says.push(`https probe_success 0 (${shorten(https.errors[0] ?? 'no reason logged')})`);
      if (!plain.success) says.push(`plain-http probe_success 0 (${shorten(plain.errors[0] ?? 'no reason logged')})`);
      const daysLeft = https.expiry !== undefined ? (https.expiry - Date.now() / 1000) / DAY_S : undefined;
      const expiring = daysLeft !== undefined && daysLeft < 7;
      if (says.length) out.set(c.name, { detects: 'yes', says: says.join('; ') });
      else if (expiring) out.set(c.name, { detects: 'partly', says: `probe succeeds; probe_ssl_earliest_cert_expiry is ${daysLeft!.toFixed(1)} days ahead (needs an alert rule)` });
      else out.set(c.name, { detects: 'no', says: `probe_success 1${daysLeft !== undefined ? `, earliest expiry ${Math.round(daysLeft)} d` : ''}` });
    }));
    return out;
  } finally {
    await stop(proc);
  }
}

/** `msg="…" err="…"` of a logfmt line, unquoted. */
function logMessage(line: string): string {
  const field = (k: string) => {
    const m = new RegExp(`\\b${k}=("((?:[^"\\\\]|\\\\.)*)"|\\S+)`).exec(line);
    return m ? (m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[1]) : undefined;
  };
  const msg = field('msg') ?? line;
  const err = field('err')?.replace(/^Get "[^"]*": /, '');
  const extra = ['status_code', 'valid_status_codes', 'header', 'regexp'].map((k) => (field(k) ? `${k}=${field(k)}` : '')).filter(Boolean).join(' ');
  return [msg, err, extra].filter(Boolean).join(': ');
}

// ------------------------------------------------------------------ testssl.sh

interface TestsslFinding {
  id: string;
  severity: string;
  finding: string;
}

const SEVERE = new Set(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);

async function testssl(fi: FaultIngress, cases: FaultCase[], dir: string, parallel: number): Promise<Map<string, PeerResult>> {
  const findings = new Map<string, TestsslFinding[] | string>();
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++];
      const [addr, port] = fi.resolve[c.host].split(':');
      const file = join(dir, `testssl-${c.name}.json`);
      const args = ['--jsonfile', file, '--warnings', 'off', '--quiet', '--color', '0', '--ip', addr, '--nodns', 'none', '--add-ca', fi.rootBundle,
        '--connect-timeout', String(PROBE_TIMEOUT_S), '--openssl-timeout', String(PROBE_TIMEOUT_S), '-p', '-S', '-h', `${c.host}:${port ?? fi.httpsPort}`];
      const t0 = Date.now();
      const rc = await run(TESTSSL, args, TESTSSL_DEADLINE_MS);
      try {
        findings.set(c.name, JSON.parse(readFileSync(file, 'utf8')) as TestsslFinding[]);
      } catch {
        findings.set(c.name, `no JSON (exit ${rc})`);
      }
      process.stderr.write(`  testssl ${c.name}: exit ${rc}, ${Math.round((Date.now() - t0) / 1000)} s\n`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  // The healthy host of the same service is the baseline: what testssl also says about it is not about the fault.
  const baseline = (c: FaultCase) => {
    const good = findings.get(`good-${c.kind}`);
    return new Set(Array.isArray(good) ? good.filter((f) => SEVERE.has(f.severity)).map((f) => f.id) : []);
  };
  const out = new Map<string, PeerResult>();
  for (const c of cases) {
    const f = findings.get(c.name);
    if (!Array.isArray(f)) {
      out.set(c.name, { detects: 'no', says: f ?? 'not run' });
      continue;
    }
    const healthy = Object.keys(c.expect).length === 0;
    const base = healthy ? new Set<string>() : baseline(c);
    const extra = f.filter((x) => SEVERE.has(x.severity) && !base.has(x.id));
    out.set(c.name, extra.length
      ? { detects: 'yes', says: extra.map((x) => `${x.id} ${x.severity} "${shorten(x.finding, 50)}"`).join('; ') }
      : { detects: 'no', says: healthy ? 'nothing LOW or above' : 'nothing beyond the healthy host' });
  }
  return out;
}

// ------------------------------------------------------------------ helpers

function shorten(s: string, n = 90): string {
  const one = s.replace(/\s+/g, ' ').replace(/\|/g, '/').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

function run(cmd: string, args: string[], deadlineMs: number): Promise<number> {
  return new Promise((res) => {
    const p = spawn(cmd, args, { stdio: 'ignore', detached: true });
    const t = setTimeout(() => {
      try {
        process.kill(-p.pid!, 'SIGKILL'); // testssl starts openssl children: end its own process group
      } catch { /* gone */ }
    }, deadlineMs);
    p.on('exit', (code) => {
      clearTimeout(t);
      res(code ?? -1);
    });
  });
}

async function waitHttp(url: string, proc: ChildProcess, err: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`blackbox_exporter exited: ${err().trim()}`);
    try {
      const r = await request(url, { signal: AbortSignal.timeout(1000) });
      await r.body.dump();
      if (r.statusCode === 200) return;
    } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`blackbox_exporter did not answer ${url} within 10 s: ${err().trim()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await exited;
}

const MARK = { yes: '✔', partly: '◐', no: '✘' } as const;

function table(rows: Row[], meta: { when: string; seconds: Record<string, number> }): string {
  const faults = rows.filter((r) => Object.keys(r.c.expect).length);
  const healthy = rows.filter((r) => !Object.keys(r.c.expect).length);
  const count = (k: 'efd' | 'blackbox' | 'testssl', m: PeerResult['detects']) => faults.filter((r) => r[k].detects === m).length;
  const missed = faults.filter((r) => r.efd.detects !== 'yes' && (r.blackbox.detects !== 'no' || r.testssl.detects !== 'no'));
  const falseAlarms = healthy.filter((r) => r.efd.detects !== 'no');
  const line = (r: Row) => `| ${r.c.name} | ${r.c.fault} | ${MARK[r.efd.detects]} ${r.efd.says} | ${MARK[r.blackbox.detects]} ${r.blackbox.says} | ${MARK[r.testssl.detects]} ${r.testssl.says} |`;
  return [
    '# Ingress checks side by side: efd-health, blackbox_exporter, testssl.sh',
    '',
    `Written by \`scripts/peers/ingress-peers.ts\` (${meta.when}); rerun it to refresh. Every tool probes the same`,
    'endpoints: the fault-matrix nginx of `test/ingress-faults.test.ts` (`test/helpers/nginx-faults.ts`) on loopback,',
    'one host per fault by SNI, certificates from a test CA made by the script. All three trust the test root only',
    '(efd-health `ingress.ca_bundle`, blackbox `tls_config.ca_file`, testssl `--add-ca`).',
    '',
    'Tools and settings:',
    `- **efd-health**: \`runIngress\` with the case's phase, \`timeout_ms\` ${PROBE_TIMEOUT_S * 1000}. ✔ = a check fails or warns (check: status \`reason\`).`,
    `- **blackbox_exporter** ${version(BLACKBOX, ['--version'])}: one \`http\` module per case configured as a user would assert the`,
    '  service (status codes per service and phase, `X-Influxdb-Version`, `Location` to GitHub OAuth, a password field for Argo CD,',
    '  a JSON array for the registry, HSTS by header regex, no redirect following) plus a plain-HTTP module expecting a redirect to',
    '  `https://`. ✔ = `probe_success 0`; ◐ = the probe succeeds and only `probe_ssl_earliest_cert_expiry` would trigger a',
    '  `< 7 days` alert rule.',
    `- **testssl.sh** ${version(TESTSSL, ['--version'])}: \`-p -S -h --ip 127.0.0.1 --nodns none --add-ca root.pem\`,`,
    '  JSON output. ✔ = a finding of severity LOW or above that the healthy host of the same service does not get',
    '  (finding ids compared; the healthy hosts\' own findings are listed below).',
    '',
    `Detected, of ${faults.length} faults: efd-health ${count('efd', 'yes')}, blackbox_exporter ${count('blackbox', 'yes')} (+${count('blackbox', 'partly')} ◐),`,
    `testssl.sh ${count('testssl', 'yes')}. Faults a peer detects and efd-health does not: ${missed.length ? missed.map((r) => r.c.name).join(', ') : 'none'}.`,
    `Healthy hosts efd-health flags: ${falseAlarms.length ? falseAlarms.map((r) => r.c.name).join(', ') : 'none'}.`,
    `Run time: efd-health ${meta.seconds.efd} s for all cases, blackbox_exporter ${meta.seconds.blackbox} s, testssl.sh ${meta.seconds.testssl} s.`,
    '',
    '| case | fault | efd-health | blackbox_exporter | testssl.sh |',
    '|---|---|---|---|---|',
    ...faults.map(line),
    '',
    'The healthy hosts (the baselines; efd-health must flag nothing here):',
    '',
    '| case | efd-health | blackbox_exporter | testssl.sh (LOW and above) |',
    '|---|---|---|---|',
    ...healthy.map((r) => `| ${r.c.name} | ${r.efd.says} | ${r.blackbox.says} | ${r.testssl.says} |`),
    '',
    '## Where efd-health goes further',
    '',
    '- **Names the cause.** blackbox_exporter reduces every certificate, protocol and HTTP problem to `probe_success 0`',
    '  (the reason is only in its debug log); efd-health gives one finding per check with a closed reason',
    '  (`cert_expired`, `incomplete_chain`, `default_cert`, …) and a sentence with the dates, names and sizes it saw.',
    '- **Judges days left.** blackbox_exporter exports the expiry as a metric and leaves the threshold to an alert rule;',
    '  testssl.sh warns at 60 and 30 days; efd-health warns under 30 and fails under 7 days (thresholds in the catalog).',
    '- **Phase and service expectations.** Neither peer knows that before deployment every host but Argo CD answers 404,',
    '  or that InfluxDB must refuse an anonymous query; blackbox_exporter can be configured per module, testssl.sh has no',
    '  HTTP status expectations at all.',
    '- **Anonymous access.** efd-health tells a login redirect or login page from an app page, and checks that the',
    '  Argo CD / Chronograf API refuses anonymous users (a 200 JSON there is `auth`); neither peer models a login.',
    '- **Plain HTTP redirect.** testssl.sh does not probe port 80; blackbox_exporter needs a second module.',
    '- **The controller\'s default certificate** is named as such (`default_cert`), where the peers report an untrusted or',
    '  mismatched certificate.',
    '- **Missing intermediate even when the client has it.** With the intermediate in `ingress.ca_bundle`, efd-health still',
    '  fails `chain_complete` (what was sent is judged, issuers are never fetched); Go (blackbox) and OpenSSL (testssl) would',
    '  accept the chain with that bundle.',
    '- **Protocol floor and nothing older.** blackbox_exporter cannot assert that TLS 1.0 is *not* offered; efd-health tries each',
    '  version on its own handshake.',
    '',
    'Where a peer goes further (not in efd-health\'s scope): testssl.sh enumerates ciphers, checks revocation (CRL/OCSP),',
    'vulnerabilities (Heartbleed … ROBOT) and many more headers; blackbox_exporter runs continuously and keeps history.',
    '',
  ].join('\n');
}

function version(cmd: string, args: string[]): string {
  try {
    const out = execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 }).toString();
    return /(\d+\.\d+\.\d+)/.exec(out.replace(/\x1b\[[0-9;]*m/g, ''))?.[1] ?? '';
  } catch {
    return '';
  }
}

// ------------------------------------------------------------------ main

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, only: { type: 'string' }, parallel: { type: 'string' } } });
  const outFile = values.out ?? join(REPO_ROOT, 'docs/ingress-peers.md');
  const parallel = Math.max(1, Math.min(4, Number(values.parallel ?? 3)));
  const dir = mkdtempSync(join(tmpdir(), 'efd-ingress-peers-'));
  process.stderr.write('starting the fault-matrix nginx …\n');
  const fi = await startFaultIngress();
  try {
    const only = values.only?.split(',');
    const cases = fi.cases.filter((c) => !only || only.includes(c.name) || c.name.startsWith('good-'));
    const seconds: Record<string, number> = {};
    const timed = async <T>(k: string, f: () => Promise<T>): Promise<T> => {
      const t0 = Date.now();
      const r = await f();
      seconds[k] = Math.round((Date.now() - t0) / 100) / 10;
      process.stderr.write(`${k}: ${seconds[k]} s\n`);
      return r;
    };
    const efd = await timed('efd', () => efdHealth(fi, cases));
    const bb = await timed('blackbox', () => blackbox(fi, cases, dir));
    process.stderr.write(`testssl.sh on ${cases.length} hosts, ${parallel} at a time …\n`);
    const ts = await timed('testssl', () => testssl(fi, cases, dir, parallel));
    const rows: Row[] = cases.map((c) => ({ c, efd: efd.get(c.name)!, blackbox: bb.get(c.name)!, testssl: ts.get(c.name)! }));
    writeFileSync(outFile, table(rows, { when: new Date().toISOString().slice(0, 10), seconds }));
    process.stderr.write(`wrote ${relative(process.cwd(), outFile)}\n`);
  } finally {
    await fi.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`ingress-peers: ${(e as Error).message}\n`);
  process.exit(1);
});
