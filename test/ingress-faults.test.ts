// The ingress fault matrix: our own nginx (never the stack's) with certificates made here, one host per
// fault. Each fault must fail exactly its own check with its own reason; the healthy hosts pass all.
// Needs no stack: runs with EFD_SKIP_STACK=1.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Profile } from '../src/config/types.ts';
import { runIngress, type IngressRun } from '../src/ingress/run.ts';
import type { Verdict } from '../src/ingress/verdicts.ts';
import { startBlackhole, startFaultIngress, DOMAIN, type FaultCase, type FaultIngress } from './helpers/nginx-faults.ts';

let fi: FaultIngress;

beforeAll(async () => {
  fi = await startFaultIngress();
}, 120_000);

afterAll(async () => {
  await fi?.stop();
});

interface ProfileOptions {
  phase: 'pre-deploy' | 'deployed';
  hosts: string[];
  expectRefused?: boolean;
  timeoutMs?: number;
  caBundle?: string;
  extraHosts?: string[];
  resolve?: Record<string, string>;
}

/** A profile for the fault ingress: only the hosts asked for (through ingress.resolve). */
function profileFor(o: ProfileOptions): Profile {
  const resolve = o.resolve ?? Object.fromEntries(o.hosts.map((h) => [h, fi.resolve[h]]));
  return {
    file: `${fi.prefix}/fault-matrix-profile.yaml`,
    env: 'faults',
    vantage: 'test',
    production: false,
    phase: o.phase,
    manifests: `${fi.prefix}/no-manifests`,
    ingress: {
      https_port: fi.httpsPort,
      http_port: fi.httpPort,
      ca_bundle: o.caBundle ?? fi.caBundle,
      resolve,
      extra_hosts: o.extraHosts ?? [],
      expect_refused: o.expectRefused ?? false,
    },
    thresholds: {},
    timeout_ms: o.timeoutMs ?? 3000,
  } as unknown as Profile;
}

/** Everything that did not pass or skip, as {check id: reason}. */
function problems(verdicts: Verdict[], host: string): Record<string, string> {
  return Object.fromEntries(
    verdicts
      .filter((v) => v.outcome.target === host && v.outcome.status !== 'pass' && v.outcome.status !== 'skip')
      .map((v) => [v.id, v.outcome.reason]),
  );
}

function verdict(run: IngressRun, host: string, id: string): Verdict['outcome'] {
  const v = run.verdicts.find((x) => x.outcome.target === host && x.id === id);
  if (!v) throw new Error(`no ${id} verdict for ${host}`);
  return v.outcome;
}

describe('ingress fault matrix', () => {
  const runs = new Map<string, Promise<IngressRun>>();
  const runFor = (phase: 'pre-deploy' | 'deployed') => {
    if (!runs.has(phase)) {
      const hosts = fi.cases.filter((c) => c.phase === phase).map((c) => c.host);
      runs.set(phase, runIngress(profileFor({ phase, hosts })));
    }
    return runs.get(phase)!;
  };

  // One test per case, named after the fault; the cases come from the helper so the peers script uses the same.
  const caseNames = () => fi.cases.map((c) => c.name);
  test('every case of the matrix is served', () => {
    expect(caseNames().length).toBeGreaterThanOrEqual(20);
  });

  test.each([
    'good-schema-registry', 'good-influxdb', 'good-chronograf', 'good-argocd', 'expired-schema-registry', 'notyet-schema-registry',
    'wrongname-schema-registry', 'selfsigned-schema-registry', 'rogueca-schema-registry', 'nointermediate-schema-registry',
    'rsa1024-schema-registry', 'sha1-schema-registry', 'expiring-schema-registry', 'expiring20-schema-registry', 'tls10-schema-registry',
    'tls10and12-schema-registry', 'nohsts-schema-registry', 'noredirect-schema-registry', 'wrongstatus-influxdb', 'nooauth-chronograf',
    'anonapi-argocd', 'pre-influxdb', 'early-chronograf', 'unknown',
  ])('%s: exactly its own checks fail, with their reasons', async (name) => {
    const c = fi.cases.find((x) => x.name === name) as FaultCase;
    expect(c, `case ${name} is in the matrix`).toBeDefined();
    const run = await runFor(c.phase);
    expect(problems(run.verdicts, c.host)).toEqual(c.expect);
    // every check has a verdict for this host
    expect(run.verdicts.filter((v) => v.outcome.target === c.host)).toHaveLength(15);
  });

  test('the messages say what was found', async () => {
    const run = await runFor('deployed');
    const h = (n: string) => `${n}.${DOMAIN}`;
    expect(verdict(run, h('expired-schema-registry'), 'ingress.tls.expiry').message).toMatch(
      /^certificate for expired-schema-registry\.efd\.test expired 3(\.0)? days ago \(notAfter 20\d\d-\d\d-\d\dT/,
    );
    expect(verdict(run, h('notyet-schema-registry'), 'ingress.tls.expiry').message).toMatch(/not valid yet: it starts in 5(\.0)? days/);
    const expiring = verdict(run, h('expiring-schema-registry'), 'ingress.tls.expiry');
    expect(expiring.status).toBe('fail');
    expect(expiring.measurements?.days_left).toBeGreaterThan(2.9);
    expect(expiring.measurements?.days_left).toBeLessThan(3.1);
    expect(verdict(run, h('expiring20-schema-registry'), 'ingress.tls.expiry').status).toBe('warn');
    expect(verdict(run, h('wrongname-schema-registry'), 'ingress.tls.hostname').message).toContain('names only somewhere-else.example.org');
    expect(verdict(run, h('rsa1024-schema-registry'), 'ingress.tls.key_strength').message).toContain('1024-bit RSA key (minimum 2048');
    expect(verdict(run, h('rsa1024-schema-registry'), 'ingress.tls.key_strength').measurements?.key_bits).toBe(1024);
    expect(verdict(run, h('sha1-schema-registry'), 'ingress.tls.signature').message).toContain('sha1WithRSAEncryption');
    expect(verdict(run, h('tls10-schema-registry'), 'ingress.tls.protocol').message).toContain('accepts TLSv1, TLSv1.1 (older than TLSv1.2), and nothing from TLSv1.2 on');
    expect(verdict(run, h('tls10and12-schema-registry'), 'ingress.tls.protocol').message).toContain('accepts TLSv1 (older than TLSv1.2); also TLSv1.2');
    expect(verdict(run, h('nointermediate-schema-registry'), 'ingress.tls.chain_complete').message).toContain(
      "did not send intermediate 'EFD Health Test Intermediate CA'",
    );
    expect(verdict(run, h('selfsigned-schema-registry'), 'ingress.tls.trust').message).toContain('is self-signed');
    expect(verdict(run, h('rogueca-schema-registry'), 'ingress.tls.trust').message).toContain("ends at self-signed 'Rogue Test CA'");
    expect(verdict(run, h('nooauth-chronograf'), 'ingress.auth.anonymous').message).toContain('served the app to an anonymous user');
    expect(verdict(run, h('anonapi-argocd'), 'ingress.auth.anonymous').message).toContain('serves /api/v1/applications to an anonymous user');
    expect(verdict(run, h('wrongstatus-influxdb'), 'ingress.http.phase_answer').message).toContain('GET /ping on wrongstatus-influxdb.efd.test answered 404');
    const good = verdict(run, h('good-influxdb'), 'ingress.http.phase_answer');
    expect(good.message).toBe('InfluxDB answers GET /ping 204, version 1.8.10');
    expect(good.measurements?.first_byte_ms).toBeGreaterThan(0);
    const pre = await runFor('pre-deploy');
    expect(verdict(pre, h('unknown-influxdb'), 'ingress.tls.default_cert').message).toContain("default certificate ('CN=Kubernetes Ingress Controller Fake Certificate, O=Acme Co')");
    expect(verdict(pre, h('early-chronograf'), 'ingress.http.phase_answer').message).toContain('before deployment the ingress should answer 404');
  });

  test('timings are measured for every host', async () => {
    const run = await runFor('deployed');
    for (const c of fi.cases.filter((x) => x.phase === 'deployed')) {
      expect(verdict(run, c.host, 'ingress.dns.resolve').measurements).toHaveProperty('dns_ms');
      const hs = verdict(run, c.host, 'ingress.tls.handshake');
      expect(hs.measurements?.connect_ms).toBeGreaterThanOrEqual(0);
      expect(hs.measurements?.tls_ms).toBeGreaterThan(0);
    }
  });

  test('a missing intermediate that no bundle holds: untrusted and incomplete', async () => {
    const host = `nointermediate-schema-registry.${DOMAIN}`;
    const run = await runIngress(profileFor({ phase: 'deployed', hosts: [host], caBundle: fi.rootBundle }));
    expect(problems(run.verdicts, host)).toEqual({ 'ingress.tls.trust': 'untrusted', 'ingress.tls.chain_complete': 'incomplete_chain' });
    expect(verdict(run, host, 'ingress.tls.chain_complete').message).toContain("whose issuer 'EFD Health Test Intermediate CA' was not sent");
  });

  test('without the test CA, the good host is untrusted (the system store does not know it)', async () => {
    const host = `good-schema-registry.${DOMAIN}`;
    const run = await runIngress(profileFor({ phase: 'deployed', hosts: [host], caBundle: '' }));
    expect(problems(run.verdicts, host)).toEqual({ 'ingress.tls.trust': 'untrusted', 'ingress.tls.chain_complete': 'incomplete_chain' });
  });
});

describe('vantage outside the allowlist', () => {
  test('refused and 403 pass; a host that answers fails with policy', async () => {
    const good = `good-schema-registry.${DOMAIN}`;
    const run = await runIngress(profileFor({ phase: 'deployed', hosts: [fi.refusedHost, fi.forbiddenHost, good], expectRefused: true }));
    expect(verdict(run, fi.refusedHost, 'ingress.vantage.refused')).toMatchObject({ status: 'pass' });
    expect(verdict(run, fi.refusedHost, 'ingress.vantage.refused').message).toContain('connection refused');
    expect(verdict(run, fi.forbiddenHost, 'ingress.vantage.refused')).toMatchObject({ status: 'pass', message: expect.stringContaining('403') });
    expect(problems(run.verdicts, good)).toEqual({ 'ingress.vantage.refused': 'policy' });
    expect(verdict(run, good, 'ingress.vantage.refused').message).toContain('answered this vantage (GET / 200)');
    // nothing else is judged from a vantage that should be refused
    for (const host of [fi.refusedHost, fi.forbiddenHost]) expect(problems(run.verdicts, host)).toEqual({});
  });

  test('inside the allowlist, a refused host fails the handshake with reason refused', async () => {
    const run = await runIngress(profileFor({ phase: 'deployed', hosts: [fi.refusedHost] }));
    expect(problems(run.verdicts, fi.refusedHost)).toEqual({ 'ingress.tls.handshake': 'refused' });
  });
});

describe('hosts that do not answer', () => {
  test('a silent host gives a timeout finding within its timeout; DNS failures are findings', async () => {
    const hole = await startBlackhole();
    try {
      const silent = `silent-influxdb.${DOMAIN}`;
      const nx = 'no-such-host-efd-health.invalid';
      const timeoutMs = 1000;
      const t0 = Date.now();
      const run = await runIngress(
        profileFor({ phase: 'deployed', hosts: [], timeoutMs, extraHosts: [nx], resolve: { [silent]: `127.0.0.1:${hole.port}` } }),
      );
      const elapsed = Date.now() - t0;
      expect(problems(run.verdicts, silent)).toMatchObject({ 'ingress.tls.handshake': 'timeout' });
      expect(verdict(run, silent, 'ingress.tls.handshake').message).toContain(`timed out after ${timeoutMs} ms`);
      expect(problems(run.verdicts, nx)).toEqual({ 'ingress.dns.resolve': expect.stringMatching(/^(dns|timeout)$/) });
      // DNS, then one handshake timeout; plain HTTP runs beside it (refused here)
      expect(elapsed).toBeLessThan(2 * timeoutMs + 500);
    } finally {
      await hole.stop();
    }
  });
});
