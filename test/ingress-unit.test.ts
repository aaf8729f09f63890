// The ingress suite's pure parts: hosts from manifests and profile, the policy and its overrides,
// name matching, the DER signature reader, login detection. No network, no stack.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ingressChecks, INGRESS_CHECK_IDS } from '../src/catalog/ingress.ts';
import { REPO_ROOT } from '../src/config/profile.ts';
import type { Profile } from '../src/config/types.ts';
import { InputError } from '../src/errors.ts';
import { describeCert } from '../src/ingress/cert.ts';
import { loadTrustStore } from '../src/ingress/chain.ts';
import { signatureAlgorithm } from '../src/ingress/der.ts';
import { ingressPolicy } from '../src/ingress/policy.ts';
import { ingressTargets, serviceKind } from '../src/ingress/targets.ts';
import { isLoginLocation, looksLikeLoginPage, nameMatches } from '../src/ingress/verdicts.ts';
import { loadIngresses } from '../src/model/ingress.ts';
import { parseOverride } from '../src/probes/dns.ts';
import { REASONS } from '../src/report/finding.ts';

const MANIFESTS = join(REPO_ROOT, 'fixtures/ingress/manifests');
const tmp = mkdtempSync(join(tmpdir(), 'efd-ingress-unit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function profile(over: { manifests?: string; extra_hosts?: string[]; resolve?: Record<string, string>; thresholds?: Profile['thresholds'] } = {}): Profile {
  return {
    file: '/profiles/test.yaml',
    manifests: over.manifests ?? join(tmp, 'none'),
    phase: 'deployed',
    ingress: { https_port: 443, http_port: 80, resolve: over.resolve ?? {}, extra_hosts: over.extra_hosts ?? [], expect_refused: false },
    thresholds: over.thresholds ?? {},
    timeout_ms: 5000,
  } as unknown as Profile;
}

describe('catalog', () => {
  test('every ingress check has a title, known reasons and an ingress.* id', () => {
    expect(INGRESS_CHECK_IDS).toHaveLength(15);
    for (const c of ingressChecks) {
      expect(c.id).toMatch(/^ingress\.[a-z]+\.[a-z_]+$/);
      expect(c.suite).toBe('ingress');
      for (const r of c.reasons) expect(REASONS).toContain(r);
    }
  });
});

describe('hosts', () => {
  test('loadIngresses reads hosts, TLS secrets, backends and source ranges (v1 and v1beta1)', () => {
    const hosts = loadIngresses(MANIFESTS);
    expect(hosts.map((h) => h.host)).toEqual([
      'lsst-chronograf-ldf-efd.ncsa.illinois.edu',
      'lsst-schema-registry-ldf-efd.ncsa.illinois.edu',
      'data.example.org',
    ]);
    const [chronograf, registry, data] = hosts;
    expect(chronograf).toMatchObject({
      ingress: 'chronograf/chronograf', file: 'ingresses.yaml', tlsSecret: 'tls-certs', ingressClass: 'nginx',
      backends: [{ service: 'chronograf-chronograf', port: 80, path: '/' }],
      sourceRanges: ['141.142.0.0/16', '140.252.32.0/23', '140.252.90.0/23'],
    });
    expect(registry.tlsSecret).toBeUndefined();
    expect(registry.backends).toEqual([{ service: 'cp-helm-charts-cp-schema-registry', port: 8081, path: '/' }]);
    expect(data.backends[0]).toMatchObject({ service: 'influxdb', port: 'api' });
    expect(data.line).toBeGreaterThan(registry.line);
  });

  test('targets: Ingress hosts ∪ extra_hosts ∪ resolve keys, kinds from backends then names', () => {
    const targets = ingressTargets(
      profile({
        manifests: MANIFESTS,
        extra_hosts: ['lsst-argocd-ldf.ncsa.illinois.edu', 'Data.Example.org'],
        resolve: { 'lsst-influxdb-nts-ldf.ncsa.illinois.edu': '127.0.0.1:8443' },
      }),
    );
    expect(targets.map((t) => [t.host, t.kind])).toEqual([
      ['lsst-chronograf-ldf-efd.ncsa.illinois.edu', 'chronograf'],
      ['lsst-schema-registry-ldf-efd.ncsa.illinois.edu', 'schema-registry'],
      ['data.example.org', 'influxdb'], // from its backend service name
      ['lsst-argocd-ldf.ncsa.illinois.edu', 'argocd'],
      ['lsst-influxdb-nts-ldf.ncsa.illinois.edu', 'influxdb'],
    ]);
    expect(targets[2].sources).toEqual(['manifests ingresses.yaml:41', 'ingress.extra_hosts']);
  });

  test('no host anywhere is an input error naming the profile keys', () => {
    expect(() => ingressTargets(profile())).toThrow(InputError);
    expect(() => ingressTargets(profile())).toThrow(/no ingress host to check.*ingress\.extra_hosts and ingress\.resolve are empty/);
  });

  test('service kinds', () => {
    expect(serviceKind('lsst-argocd-ldf.ncsa.illinois.edu')).toBe('argocd');
    expect(serviceKind('x.example', [{ service: 'argo-cd-argocd-server' }])).toBe('argocd');
    expect(serviceKind('lsst-schema-registry-ldf-efd.ncsa.illinois.edu')).toBe('schema-registry');
    expect(serviceKind('lsst-influxdb-nts-ldf.ncsa.illinois.edu')).toBe('influxdb');
    expect(serviceKind('lsst-chronograf-ldf-efd.ncsa.illinois.edu')).toBe('chronograf');
    expect(serviceKind('kafdrop.example')).toBe('other');
  });

  test('resolve overrides: address, address:port, [v6]:port; anything else is refused', () => {
    expect(parseOverride('127.0.0.1')).toEqual({ address: '127.0.0.1' });
    expect(parseOverride('127.0.0.1:8443')).toEqual({ address: '127.0.0.1', port: 8443 });
    expect(parseOverride('[::1]:8443')).toEqual({ address: '::1', port: 8443 });
    expect(parseOverride('::1')).toEqual({ address: '::1' });
    expect(parseOverride('localhost:8443')).toBeUndefined();
  });
});

describe('policy', () => {
  test('stated defaults', () => {
    expect(ingressPolicy(profile())).toEqual({
      warnDays: 30, failDays: 7, minVersion: 'TLSv1.2', rsaMinBits: 2048, ecMinBits: 256,
      weakHashes: ['md2', 'md4', 'md5', 'sha1'], defaultSubject: 'Kubernetes Ingress Controller Fake Certificate',
      hstsMinAgeS: 1, registryPath: '/subjects',
    });
  });

  test('profile overrides, and bad ones name their key', () => {
    const p = ingressPolicy(profile({ thresholds: { 'ingress.tls.expiry': { warn_days: 60 }, 'ingress.http.phase_answer': { registry_path: '/apis/ccompat/v7/subjects' } } }));
    expect(p.warnDays).toBe(60);
    expect(p.registryPath).toBe('/apis/ccompat/v7/subjects');
    expect(() => ingressPolicy(profile({ thresholds: { 'ingress.tls.protocol': { min_version: 'TLS1.2' } } }))).toThrow(
      '/profiles/test.yaml: thresholds.ingress.tls.protocol.min_version must be one of TLSv1, TLSv1.1, TLSv1.2, TLSv1.3 (got "TLS1.2")',
    );
    expect(() => ingressPolicy(profile({ thresholds: { 'ingress.tls.expiry': { fail_days: 'soon' } } }))).toThrow(/thresholds\.ingress\.tls\.expiry\.fail_days must be a number/);
    expect(() => ingressPolicy(profile({ thresholds: { 'ingress.tls.expiry': { fail_days: 40 } } }))).toThrow(/larger than warn_days/);
  });

  test('an unreadable CA bundle is an input error naming ingress.ca_bundle', () => {
    expect(() => loadTrustStore(join(tmp, 'missing.pem'))).toThrow(/^ingress\.ca_bundle: cannot read CA bundle .*missing\.pem \(ENOENT\)$/);
    writeFileSync(join(tmp, 'empty.pem'), 'nothing here\n');
    expect(() => loadTrustStore(join(tmp, 'empty.pem'))).toThrow(/holds no PEM certificate/);
  });
});

describe('host name matching (RFC 6125)', () => {
  test.each([
    ['lsst-influxdb-nts-ldf.ncsa.illinois.edu', 'lsst-influxdb-nts-ldf.ncsa.illinois.edu', true],
    ['LSST-influxdb-nts-ldf.ncsa.illinois.edu', 'lsst-influxdb-nts-ldf.ncsa.illinois.EDU', true],
    ['lsst-influxdb-nts-ldf.ncsa.illinois.edu', '*.ncsa.illinois.edu', true],
    ['a.b.ncsa.illinois.edu', '*.ncsa.illinois.edu', false],
    ['ncsa.illinois.edu', '*.ncsa.illinois.edu', false],
    ['lsst-influxdb.ncsa.illinois.edu', 'lsst-*.ncsa.illinois.edu', false],
    ['example.com', '*.com', false],
    ['lsst-influxdb-efd.ncsa.illinois.edu', 'lsst-influxdb-nts-ldf.ncsa.illinois.edu', false],
  ])('%s vs %s → %s', (host, pattern, ok) => {
    expect(nameMatches(host, pattern)).toBe(ok);
  });
});

describe('signature algorithm from DER', () => {
  const make = (name: string, args: string[]): Buffer => {
    const file = join(tmp, `${name}.crt`);
    execFileSync('openssl', ['req', '-x509', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-keyout', join(tmp, `${name}.key`), '-out', file, ...args], { stdio: 'pipe' });
    return Buffer.from(readFileSync(file, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
  };

  test.each([
    ['rsa-sha256', ['-newkey', 'rsa:2048', '-sha256'], 'sha256WithRSAEncryption', 'sha256'],
    ['rsa-sha1', ['-newkey', 'rsa:2048', '-sha1'], 'sha1WithRSAEncryption', 'sha1'],
    ['rsa-pss', ['-newkey', 'rsa:2048', '-sha384', '-sigopt', 'rsa_padding_mode:pss'], 'rsassa-pss(sha384)', 'sha384'],
    ['ec-sha384', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp384r1', '-sha384'], 'ecdsa-with-SHA384', 'sha384'],
    ['ed25519', ['-newkey', 'ed25519'], 'ed25519', 'ed25519'],
  ])('%s', (name, args, expected, hash) => {
    const der = make(name, args as string[]);
    expect(signatureAlgorithm(der)).toMatchObject({ name: expected, hash });
  });

  test('describeCert: key type and size, self-signed', () => {
    const info = describeCert(make('ec-p384', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp384r1', '-addext', 'subjectAltName=DNS:a.example,DNS:*.b.example,IP:127.0.0.1']));
    expect(info).toMatchObject({ keyType: 'ec', keyBits: 384, curve: 'secp384r1', selfSigned: true, dnsNames: ['a.example', '*.b.example'], ipAddresses: ['127.0.0.1'] });
  });
});

describe('login detection', () => {
  test('redirect targets', () => {
    const base = 'https://lsst-chronograf-ldf-efd.ncsa.illinois.edu/';
    expect(isLoginLocation('https://github.com/login/oauth/authorize?client_id=x', base)).toBe(true);
    expect(isLoginLocation('/oauth/github/login', base)).toBe(true);
    expect(isLoginLocation('/oauth2/start?rd=%2F', base)).toBe(true);
    expect(isLoginLocation('/login?return_url=%2Fapplications', base)).toBe(true);
    expect(isLoginLocation('/api/dex/auth?client_id=argo-cd', base)).toBe(true);
    expect(isLoginLocation('https://github.com/lsst-sqre', base)).toBe(false);
    expect(isLoginLocation('/sources/1/dashboards', base)).toBe(false);
    expect(isLoginLocation('/author/page', base)).toBe(false);
  });

  test('login pages', () => {
    expect(looksLikeLoginPage('<form><input name=u><input type="password" name=p></form>')).toBe(true);
    expect(looksLikeLoginPage('<a href="/oauth/github/login">Log in with GitHub</a>')).toBe(true);
    expect(looksLikeLoginPage('<a href="https://github.com/login/oauth/authorize?x=1">go</a>')).toBe(true);
    expect(looksLikeLoginPage('<html><title>Chronograf</title><div id="react-root"></div></html>')).toBe(false);
    expect(looksLikeLoginPage('<a href="/dashboards">Dashboards</a>')).toBe(false);
  });
});
