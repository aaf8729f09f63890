// Profile loading: YAML → schema (src/config/schema.ts) → checks a schema cannot express → defaults and
// absolute paths. Any problem is an InputError of one sentence: `file:line: key.path what is wrong`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { displayPath, lineOf, parseYaml } from './locate.ts';
import { problemFromAjv, semanticProblems, sentence, type ProfileProblem } from './profile-checks.ts';
import { schemaErrors } from './schema.ts';
import type { Credentials, Profile, SecretRef } from './types.ts';
import { REPO_ROOT } from '../root.ts';

export { REPO_ROOT } from '../root.ts';

export function defaultProfilePath(): string {
  return resolve(REPO_ROOT, 'profiles/local.yaml');
}

/** Folders `--env NAME` looks in: ./profiles first (the user's), then the ones shipped with efd-health. */
function profileDirs(): string[] {
  return [...new Set([resolve(process.cwd(), 'profiles'), resolve(REPO_ROOT, 'profiles')])];
}

export function availableEnvs(): string[] {
  const names = new Set<string>();
  for (const dir of profileDirs()) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (f.endsWith('.yaml')) names.add(f.slice(0, -5));
  }
  return [...names].sort();
}

/** profiles/NAME.yaml for `--env NAME`. */
export function profilePathForEnv(name: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith('.')) {
    throw new InputError(`--env ${JSON.stringify(name)} is not a profile name (available: ${availableEnvs().join(', ')})`);
  }
  for (const dir of profileDirs()) {
    const file = resolve(dir, `${name}.yaml`);
    if (existsSync(file)) return file;
  }
  throw new InputError(`--env ${name}: there is no profiles/${name}.yaml (available: ${availableEnvs().join(', ')})`);
}

function readProfileText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : 'cannot be read';
    throw new InputError(`profile ${displayPath(file)} ${why}`);
  }
}

export function loadProfile(file: string): Profile {
  const shown = displayPath(file);
  const text = readProfileText(file);
  const parsed = parseYaml(text);
  const yamlError = parsed.doc.errors[0];
  if (yamlError) {
    const line = parsed.lines.linePos(yamlError.pos[0]).line;
    let what = yamlError.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    if (yamlError.code === 'DUPLICATE_KEY') {
      const key = /^[^:\n]*/.exec(text.slice(yamlError.pos[0]))?.[0].trim();
      what = `key ${JSON.stringify(key)} appears twice in the same mapping`;
    }
    throw new InputError(`${shown}:${line}: malformed YAML: ${what}`);
  }
  const raw = parsed.doc.toJS() as unknown;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(`${shown}:1: a profile must be a mapping of keys (env, vantage, kafka, …), got ${raw === null ? 'an empty file' : Array.isArray(raw) ? 'a list' : JSON.stringify(raw)}`);
  }
  const problems: ProfileProblem[] = schemaErrors(raw).map((e) => problemFromAjv(e, raw));
  if (!problems.length) problems.push(...semanticProblems(raw));
  if (problems.length) {
    // the first problem in file order, so fixing top to bottom works
    const located = problems.map((p) => ({ p, line: lineOf(parsed, p.path, p.atKey) }));
    // on one line, an unknown key explains a missing one (a misspelt key is both)
    located.sort((a, b) => a.line - b.line || Number(Boolean(b.p.atKey)) - Number(Boolean(a.p.atKey)));
    throw new InputError(sentence(shown, located[0].line, located[0].p));
  }
  return withDefaults(raw as any, resolve(file));
}

function withDefaults(raw: any, file: string): Profile {
  const base = dirname(file);
  const abs = (p: string | undefined) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(base, p));
  const ref = (r: SecretRef): SecretRef => ('file' in r ? { file: abs(r.file)! } : r);
  const creds = (c: Credentials | undefined) => (c ? { username: ref(c.username), password: ref(c.password) } : undefined);
  const ingress = raw.ingress ?? {};
  const reportInflux = raw.report?.influxdb;
  return {
    file,
    env: raw.env,
    vantage: raw.vantage,
    production: raw.production ?? false,
    phase: raw.phase ?? 'deployed',
    manifests: abs(raw.manifests)!,
    timeout_ms: raw.timeout_ms ?? 5000,
    kafka: raw.kafka,
    registry: raw.registry,
    connect: raw.connect,
    influxdb: { ...raw.influxdb, read: creds(raw.influxdb.read), admin: creds(raw.influxdb.admin) },
    ingress: {
      https_port: ingress.https_port ?? 443,
      http_port: ingress.http_port ?? 80,
      ca_bundle: abs(ingress.ca_bundle),
      resolve: ingress.resolve ?? {},
      extra_hosts: ingress.extra_hosts ?? [],
      expect_refused: ingress.expect_refused ?? false,
    },
    markers: { topic: 'lsst.sal.EFDHealth.logevent_marker', count: 20, ...raw.markers },
    load: { topic_prefix: 'lsst.sal.EFDHealthLoad', max_rate_bytes_per_s: 1_900_000, max_duration_s: 600, ...raw.load },
    thresholds: raw.thresholds ?? {},
    kubernetes: raw.kubernetes ? { ...raw.kubernetes, kubeconfig: abs(raw.kubernetes.kubeconfig) } : undefined,
    report: reportInflux
      ? { influxdb: { ...reportInflux, credentials: creds(reportInflux.credentials) } }
      : {},
  } as Profile;
}
