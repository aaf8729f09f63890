// Profile loading: the shipped profiles load, defaults and relative paths resolve, and a problem names
// file, line and key path in one sentence.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CHECKS } from '../src/catalog/index.ts';
import { formatKeyPath, lineOf, parseYaml } from '../src/config/locate.ts';
import { availableEnvs, defaultProfilePath, loadProfile, profilePathForEnv, REPO_ROOT } from '../src/config/profile.ts';
import { InputError } from '../src/errors.ts';
import { applyResolve } from '../src/config/resolve.ts';
import { componentsFor, endpoints } from '../src/runner/preflight.ts';
import { tempDir } from './cli-helpers.ts';

const MIN = `env: t
vantage: here
manifests: m
kafka:
  summit: { bootstrap: ["a:1"] }
  ldf: { bootstrap: ["b:2"] }
registry:
  summit: { url: "http://r1" }
  ldf: { url: "https://r2:8081/x" }
connect: { url: "http://c:8083" }
influxdb: { url: "http://i:8086", database: efd }
ingress: {}
`;

function write(text: string, name = 'p.yaml'): string {
  const dir = tempDir();
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function problem(text: string): string {
  try {
    loadProfile(write(text));
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('the profile loaded');
}

describe('shipped profiles', () => {
  test.each(readdirSync(join(REPO_ROOT, 'profiles')).filter((f) => f.endsWith('.yaml')))('profiles/%s loads', (f) => {
    const p = loadProfile(join(REPO_ROOT, 'profiles', f));
    expect(p.env).toMatch(/^[a-z]/);
    expect(p.file).toBe(join(REPO_ROOT, 'profiles', f));
  });

  test('local is the default, and --env NAME finds profiles/NAME.yaml', () => {
    expect(defaultProfilePath()).toBe(join(REPO_ROOT, 'profiles/local.yaml'));
    expect(profilePathForEnv('local')).toBe(defaultProfilePath());
    expect(availableEnvs()).toEqual(expect.arrayContaining(['local', 'ldf']));
    expect(() => profilePathForEnv('../etc/passwd')).toThrow(InputError);
  });

  test('the local profile reads its secrets from files, resolved next to the profile', () => {
    const p = loadProfile(defaultProfilePath());
    expect(p.influxdb.admin?.password).toEqual({ file: join(REPO_ROOT, '.stack/secrets/influx-admin-password') });
    expect(p.ingress.ca_bundle).toBe(join(REPO_ROOT, '.stack/certs/ca.crt'));
    expect(p.manifests).toBe(join(REPO_ROOT, 'manifests/local'));
  });
});

describe('defaults and paths', () => {
  test('a minimal profile gets the documented defaults', () => {
    const p = loadProfile(write(MIN));
    expect(p.production).toBe(false);
    expect(p.phase).toBe('deployed');
    expect(p.timeout_ms).toBe(5000);
    expect(p.ingress).toMatchObject({ https_port: 443, http_port: 80, resolve: {}, extra_hosts: [], expect_refused: false });
    expect(p.markers.count).toBeGreaterThan(0);
    expect(p.thresholds).toEqual({});
    expect(p.report).toEqual({});
  });

  test('relative paths (manifests, CA bundle, secret files) are relative to the profile file', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    const file = join(dir, 'sub', 'p.yaml');
    writeFileSync(
      file,
      MIN.replace('ingress: {}', 'ingress: { ca_bundle: ../ca.pem }').replace(
        'database: efd }',
        'database: efd, read: { username: { env: U }, password: { file: secrets/pw } } }',
      ),
    );
    const p = loadProfile(file);
    expect(p.manifests).toBe(join(dir, 'sub', 'm'));
    expect(p.ingress.ca_bundle).toBe(join(dir, 'ca.pem'));
    expect(p.influxdb.read).toEqual({ username: { env: 'U' }, password: { file: join(dir, 'sub', 'secrets/pw') } });
  });

  test('resolve overrides map a host to an address, with or without a port', () => {
    const p = loadProfile(write(MIN.replace('ingress: {}', 'ingress:\n  https_port: 8443\n  resolve: { a: "10.0.0.1", i: "127.0.0.1:9999", "h.example": "[::1]:8443" }')));
    expect(applyResolve(p, 'a:1')).toEqual({ host: '10.0.0.1', port: 1 });
    expect(applyResolve(p, 'i:8086')).toEqual({ host: '127.0.0.1', port: 9999 });
    expect(applyResolve(p, 'h.example:443')).toEqual({ host: '::1', port: 8443 });
    expect(applyResolve(p, 'other:5')).toEqual({ host: 'other', port: 5 });
    expect(endpoints(p, 'ingress')).toEqual(['a:8443', 'i:8443', 'h.example:8443']);
    expect(endpoints(p, 'registry-summit')).toEqual(['r1:80']);
    expect(endpoints(p, 'registry-ldf')).toEqual(['r2:8081']);
  });

  test('which components each suite needs before it can run', () => {
    expect(componentsFor(['manifests'])).toEqual([]);
    expect(componentsFor(['services'])).toEqual([]);
    expect(componentsFor(['replication'])).toEqual(['kafka-summit', 'registry-summit', 'kafka-ldf']);
    expect(componentsFor(['data', 'ingress'])).toEqual(['influxdb', 'ingress']);
  });

  test('thresholds known to the catalog are accepted', () => {
    const spec = CHECKS.find((c) => Object.keys(c.thresholds ?? {}).length);
    if (!spec) return; // no check declares a threshold yet
    const [name, t] = Object.entries(spec.thresholds!)[0];
    const p = loadProfile(write(`${MIN}thresholds:\n  ${spec.id}:\n    ${name}: ${JSON.stringify(t.default)}\n`));
    expect(p.thresholds[spec.id][name]).toEqual(t.default);
  });
});

describe('one sentence with file, line and key path', () => {
  test('a bootstrap without host', () => {
    const msg = problem(MIN.replace('["b:2"]', '["19092"]'));
    expect(msg).toMatch(/p\.yaml:6: kafka\.ldf\.bootstrap\[0\] must be host:port, got "19092"$/);
  });

  test('an unknown key names the allowed ones', () => {
    expect(problem(MIN.replace('connect: { url', 'connect: { urls: "x", url'))).toMatch(/p\.yaml:10: connect\.urls is not a known key \(allowed: url, jmx, config_topic\)$/);
  });

  test('an inline secret never echoes its value', () => {
    const msg = problem(MIN.replace('database: efd }', 'database: efd, admin: { username: { env: U }, password: s3cr3t-value } }'));
    expect(msg).toMatch(/p\.yaml:11: influxdb\.admin\.password must come from \{env: NAME\} or \{file: PATH\}, never inline$/);
    expect(msg).not.toContain('s3cr3t-value');
  });

  test('a numeric inline secret is inline too', () => {
    expect(problem(MIN.replace('database: efd }', 'database: efd, read: { username: { env: U }, password: 12345 } }'))).toContain('never inline');
  });

  test('thresholds of unknown checks are refused', () => {
    expect(problem(`${MIN}thresholds:\n  nope.nope.nope: { x: 1 }\n`)).toMatch(/p\.yaml:14: thresholds\["nope\.nope\.nope"\] is not a check id/);
  });

  test('a threshold of the wrong type is refused', () => {
    const spec = CHECKS.find((c) => Object.values(c.thresholds ?? {}).some((t) => typeof t.default === 'number'));
    if (!spec) return;
    const name = Object.entries(spec.thresholds!).find(([, t]) => typeof t.default === 'number')![0];
    expect(problem(`${MIN}thresholds:\n  ${spec.id}:\n    ${name}: "lots"\n`)).toContain(`.${name} must be a number`);
  });

  test('the first problem in file order is the one reported', () => {
    const msg = problem(MIN.replace('vantage: here', 'vantage: HERE').replace('["b:2"]', '["nope"]'));
    expect(msg).toMatch(/:2: vantage must be/);
  });

  test('a file that is not there, or not a file', () => {
    expect(() => loadProfile('/nonexistent/p.yaml')).toThrow(/profile \/nonexistent\/p\.yaml does not exist/);
    expect(() => loadProfile(tempDir())).toThrow(/is a folder, not a file/);
  });

  test('key paths read like the YAML', () => {
    expect(formatKeyPath(['kafka', 'summit', 'bootstrap', 0])).toBe('kafka.summit.bootstrap[0]');
    expect(formatKeyPath(['thresholds', 'ingress.tls.expiry', 'warn_days'])).toBe('thresholds["ingress.tls.expiry"].warn_days');
    const y = parseYaml('a:\n  b:\n    - x\n    - y\n  c: 1\n');
    expect(lineOf(y, ['a', 'b', 1])).toBe(4);
    expect(lineOf(y, ['a', 'c'], true)).toBe(5);
    expect(lineOf(y, ['a', 'missing'])).toBe(2);
  });
});
