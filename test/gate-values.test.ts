// Values as Argo CD renders them: manifests/ldf-valuefiles (Helm values in values.yaml + values-ldf.yaml,
// merge keys) gives the gate the same model as manifests/ldf; value-file order, valuesObject precedence,
// missing files, ignoreMissingValueFiles, findings located in the value file, malformed value files. Offline.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { runGate } from '../src/gate/index.ts';
import { buildDeployment } from '../src/model/deployment.ts';
import { loadManifestSet } from '../src/model/manifest-set.ts';
import { mergeValues } from '../src/model/values.ts';
import { evaluateGate, LDF, removeFile, replaceOnce, ruleIds, writeFile } from './gate-helpers.ts';

const VARIANT = resolve(LDF, '../ldf-valuefiles');

/** Sorted-key JSON, to compare facts whatever order their sources listed them in. */
function canonical(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(canonical).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().map((k) => [k, canonical((x as any)[k])]));
  return x;
}

// where a fact is written differs on purpose (Application vs value file); what it is must not
const WHERE = new Set(['origin', 'app', 'path', 'imagePath', 'resourcesPath', 'set', 'objects', 'valueLocators', 'locate', 'valueFileIssues']);

function model(dir: string) {
  const d = buildDeployment(loadManifestSet(dir));
  const facts = JSON.parse(JSON.stringify(d, (k, v) => (WHERE.has(k) ? undefined : v)));
  const objects = d.objects.map((mo) => {
    const o = structuredClone(mo.object);
    // Applications differ in how they name their source (and the manifests folder); that is the point
    if (o.kind === 'Application') {
      delete o.spec.source;
      delete o.spec.sources;
    }
    return { file: mo.file, object: o };
  });
  return canonical({ facts, objects });
}

test("the gate's model of manifests/ldf-valuefiles is identical to manifests/ldf's", () => {
  expect(model(VARIANT)).toEqual(model(LDF));
});

test('both pass the gate with the same exempted findings', () => {
  const a = evaluateGate(LDF);
  const b = evaluateGate(VARIANT);
  expect(b.violations).toEqual([]);
  expect(b.exemptions.map((e) => [e.rule, e.message, e.keys])).toEqual(a.exemptions.map((e) => [e.rule, e.message, e.keys]));
  expect(loadManifestSet(VARIANT).valueFiles.size).toBe(12);
});

describe('mutations of the value-file variant', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dirname(dir), { recursive: true, force: true });
    dir = undefined;
    vi.restoreAllMocks();
  });
  const copy = () => {
    dir = join(mkdtempSync(join(tmpdir(), 'efd-gate-values-')), 'ldf-valuefiles');
    cpSync(VARIANT, dir, { recursive: true });
    return dir;
  };
  const APP = 'apps/influxdb.yaml';
  const LDF_VALUES = 'values/influxdb/values-ldf.yaml';

  test('a missing value file is a finding naming the Application file and the valueFiles entry', () => {
    const d = copy();
    removeFile(d, LDF_VALUES);
    const r = evaluateGate(d);
    // without values-ldf.yaml InfluxDB would also lose its retention script, auth, storage …: all reported
    expect(ruleIds(r)).toContain('manifests.values.files');
    const v = r.violations.find((x) => x.rule === 'manifests.values.files')!;
    expect(v.message).toMatch(/^Application argocd\/influxdb reads value file \$values\/manifests\/ldf-valuefiles\/values\/influxdb\/values-ldf\.yaml, which does not exist/);
    expect(v.file).toMatch(/apps\/influxdb\.yaml$/);
    expect(v.line).toBe(32);
    expect(v.keys).toEqual(['$values/manifests/ldf-valuefiles/values/influxdb/values-ldf.yaml']);
  });

  test('an optional value file (ignoreMissingValueFiles) may be missing', () => {
    const d = copy();
    replaceOnce(d, APP, '          - $values/manifests/ldf-valuefiles/values/influxdb/values-ldf.yaml\n', '          - $values/manifests/ldf-valuefiles/values/influxdb/values-ldf.yaml\n          - $values/manifests/ldf-valuefiles/values/influxdb/values-ldf-extra.yaml\n        ignoreMissingValueFiles: true\n');
    expect(evaluateGate(d).violations).toEqual([]);
    replaceOnce(d, APP, '        ignoreMissingValueFiles: true\n', '');
    expect(ruleIds(evaluateGate(d))).toEqual(['manifests.values.files']);
  });

  test('value files merge in the order listed, and a finding points at the file and line that set the value', () => {
    const d = copy();
    writeFile(d, LDF_VALUES, `${readText(d, LDF_VALUES)}image:\n  tag: latest\n`);
    const r = evaluateGate(d);
    expect(ruleIds(r)).toEqual(['manifests.images.pinned']);
    expect(r.violations[0].file).toMatch(/values\/influxdb\/values-ldf\.yaml$/);
    expect(r.violations[0].line).toBe(readText(d, LDF_VALUES).split('\n').indexOf('  tag: latest') + 1);
    // listed the other way round, values.yaml (1.8.10) is merged last and wins
    replaceOnce(d, APP, '          - $values/manifests/ldf-valuefiles/values/influxdb/values.yaml\n', '');
    replaceOnce(d, APP, 'values/influxdb/values-ldf.yaml\n', 'values/influxdb/values-ldf.yaml\n          - $values/manifests/ldf-valuefiles/values/influxdb/values.yaml\n');
    expect(evaluateGate(d).violations).toEqual([]);
  });

  test('valuesObject is merged over the value files', () => {
    const d = copy();
    replaceOnce(d, 'values/chronograf/values-ldf.yaml', 'GH_ORGS: lsst-sqre', 'GH_ORGS: "lsst-sqre,lsst-ts"');
    expect(ruleIds(evaluateGate(d))).toEqual(['manifests.chronograf.oauth']);
    replaceOnce(d, 'apps/chronograf.yaml', '            PUBLIC_URL:', '            GH_ORGS: lsst-sqre\n            PUBLIC_URL:');
    expect(evaluateGate(d).violations).toEqual([]);
  });

  test('a merge key (<<) is merged: the operator memory limit follows its request', () => {
    const d = copy();
    replaceOnce(d, 'values/strimzi/values-ldf.yaml', 'requests: &operator { cpu: 200m, memory: 384Mi }', 'requests: &operator { cpu: 200m, memory: 2Gi }');
    const w = buildDeployment(loadManifestSet(d)).workloads.find((x) => x.name === 'strimzi-cluster-operator')!;
    expect(w.containers[0].memoryLimitBytes).toBe(2 * 2 ** 30);
  });

  test('a value file in another repository or a packaged chart cannot be checked offline: a finding', () => {
    const d = copy();
    replaceOnce(d, APP, '          - $values/manifests/ldf-valuefiles/values/influxdb/values.yaml\n', '          - $chart/values-production.yaml\n          - $values/manifests/ldf-valuefiles/values/influxdb/values.yaml\n');
    const r = evaluateGate(d);
    expect(ruleIds(r)).toContain('manifests.values.files');
    expect(r.violations.find((v) => v.rule === 'manifests.values.files')!.message).toMatch(/no source of the Application has ref chart/);
  });

  test('a malformed value file is invalid input: exit 4, one sentence with file and line', async () => {
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((s: any) => ((err += String(s)), true));
    const d = copy();
    replaceOnce(d, LDF_VALUES, 'persistence:\n', 'persistence: [\n');
    expect(await runGate({ manifests: d })).toBe(4);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/values\/influxdb\/values-ldf\.yaml:\d+: malformed YAML \(/);
  });

  test('a value file that is a list is invalid input', async () => {
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((s: any) => ((err += String(s)), true));
    const d = copy();
    writeFile(d, 'values/strimzi/values.yaml', '- defaultImageTag: 0.45.0\n');
    expect(await runGate({ manifests: d })).toBe(4);
    expect(err).toMatch(/values\/strimzi\/values\.yaml:1: a Helm value file must hold a mapping of values, not a list/);
  });
});

test('Helm coalescing: maps merge, lists and scalars replace, null deletes', () => {
  expect(mergeValues({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2], e: 3 }, d: null })).toEqual({ a: { b: 1, c: [2], e: 3 } });
});

function readText(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8');
}

describe('an umbrella chart kept in this repository (the EFD Argo CD repositories\' layout)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dirname(dir), { recursive: true, force: true });
    dir = undefined;
  });

  /** manifests/ldf with InfluxDB installed through charts/influxdb: Chart.yaml, values.yaml, values-ldf.yaml. */
  function umbrella(): string {
    dir = join(mkdtempSync(join(tmpdir(), 'efd-gate-umbrella-')), 'ldf');
    cpSync(LDF, dir, { recursive: true });
    const app = readText(dir, 'apps/influxdb.yaml');
    const [head, inline] = app.split('      valuesObject:\n');
    const values = inline.trimEnd().split('\n').map((l) => (l.trim() ? `  ${l.slice(8)}` : '')).join('\n');
    writeFile(dir, 'apps/influxdb.yaml', head.replace(/  source:\n[\s\S]*$/, [
      '  source:',
      '    repoURL: https://github.com/lsst-sqre/efd-health.git',
      '    targetRevision: main',
      '    path: manifests/ldf/charts/influxdb',
      '    helm:',
      '      releaseName: influxdb',
      '      valueFiles:',
      '        - values-ldf.yaml',
      '',
    ].join('\n')));
    writeFile(dir, 'charts/influxdb/Chart.yaml', 'apiVersion: v2\nname: efd-influxdb\nversion: 1.0.0\ndependencies:\n  - name: influxdb\n    version: 4.12.5\n    repository: file://../influxdb-upstream\n    condition: influxdb.enabled\n');
    writeFile(dir, 'charts/influxdb/values.yaml', 'influxdb:\n  enabled: true\n');
    writeFile(dir, 'charts/influxdb/values-ldf.yaml', `influxdb:\n${values}\n`);
    // a template is Helm's business, not a manifest the gate reads
    writeFile(dir, 'charts/influxdb/templates/extra.yaml', '{{- if .Values.extra }}\nkind: ConfigMap\n{{- end }}\n');
    return dir;
  }

  test('the subchart reads the values under its name: the same InfluxDB as inline values', () => {
    const d = umbrella();
    expect(evaluateGate(d).violations).toEqual([]);
    const pick = (m: string) => {
      const dep = buildDeployment(loadManifestSet(m));
      return canonical(JSON.parse(JSON.stringify({ w: dep.workloads.filter((w) => w.role === 'influxdb'), c: dep.claims.filter((c) => c.role === 'influxdb'), v: dep.chartValues.find((c) => c.chart === 'influxdb')!.values }, (k, v) => (WHERE.has(k) ? undefined : v))));
    };
    const a = pick(LDF) as any;
    const b = pick(d) as any;
    // the umbrella's own switch (influxdb.enabled) is the only extra value
    delete b.v.enabled;
    expect(b).toEqual(a);
  });

  test('a finding about a subchart value points at the umbrella value file', () => {
    const d = umbrella();
    replaceOnce(d, 'charts/influxdb/values-ldf.yaml', 'auth_enabled: true', 'auth_enabled: false');
    const r = evaluateGate(d);
    expect(ruleIds(r)).toEqual(['manifests.influxdb.auth']);
    expect(r.violations[0].file).toMatch(/charts\/influxdb\/values-ldf\.yaml$/);
  });

  test('a subchart switched off by its condition is not installed', () => {
    const d = umbrella();
    replaceOnce(d, 'charts/influxdb/values.yaml', 'enabled: true', 'enabled: false');
    expect(ruleIds(evaluateGate(d))).toContain('manifests.required.retention_script');
  });
});
