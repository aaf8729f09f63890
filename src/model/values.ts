// Helm values as Argo CD renders them: helm.valueFiles merged in the order listed (a missing one is a
// finding unless ignoreMissingValueFiles), then `values`, then `valuesObject`, then `parameters` (Argo CD's
// precedence). Value files are read from this repository (the one the directory Applications sync), by a
// path relative to the chart's own source or through a `$ref/…` source of a multi-source Application.
// Every merged key remembers the file and line that set it last, so findings point there.
import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { InputError } from '../errors.ts';
import { displayPath, type ManifestObject, type ManifestSet, type YamlPath } from './manifest-set.ts';

/** A parsed YAML file that is not a manifest (a Helm value file), with its line counter. */
export interface YamlFile {
  abs: string;
  doc: Document.Parsed;
  lc: LineCounter;
}

export const YAML_OPTIONS = { merge: true, uniqueKeys: true } as const;

/** Parse a value file: malformed YAML or a top level that is not a mapping is invalid input (exit 4). */
export function parseValueFile(abs: string, text: string): YamlFile {
  const lc = new LineCounter();
  const doc = parseDocument(text, { ...YAML_OPTIONS, lineCounter: lc });
  const err = doc.errors[0];
  if (err) throw new InputError(`${displayPath(abs)}:${lc.linePos(err.pos[0]).line}: malformed YAML in a Helm value file (${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')})`);
  const v = doc.toJS({ maxAliasCount: 100 });
  if (v !== null && v !== undefined && (typeof v !== 'object' || Array.isArray(v))) {
    throw new InputError(`${displayPath(abs)}:1: a Helm value file must hold a mapping of values, not a ${Array.isArray(v) ? 'list' : typeof v}`);
  }
  return { abs, doc, lc };
}

const normRepo = (url: unknown) => String(url ?? '').trim().toLowerCase().replace(/\/+$/, '').replace(/\.git$/, '');

/**
 * This repository as the manifests see it: its URL (the directory Applications' repoURL) and the path of
 * the manifests folder inside it (an Application syncing `<prefix>/apps` where the folder is `apps`).
 */
export interface RepoView {
  repo?: string;
  prefix?: string;
}

export function repoView(set: ManifestSet): RepoView {
  const folders = new Set(set.objects.map((o) => posix.dirname(o.file.split('\\').join('/'))));
  for (const mo of set.objects) {
    const src = mo.object.kind === 'Application' ? mo.object.spec?.source : undefined;
    if (!src?.path || src.chart || src.helm) continue;
    const path = String(src.path).replace(/\/+$/, '');
    for (const f of folders) {
      if (f !== '.' && (path === f || path.endsWith(`/${f}`))) return { repo: normRepo(src.repoURL), prefix: path.slice(0, path.length - f.length).replace(/\/+$/, '') };
    }
  }
  return {};
}

/** A chart source of an Application, with the path of its helm block in the object. */
export interface ChartSource {
  source: any;
  helmPath: YamlPath;
}

export function chartSources(app: any): ChartSource[] {
  const spec = app?.spec ?? {};
  if (Array.isArray(spec.sources)) {
    return spec.sources.flatMap((s: any, i: number) => (s?.chart || s?.helm ? [{ source: s, helmPath: ['spec', 'sources', i, 'helm'] }] : []));
  }
  return spec.source && (spec.source.chart || spec.source.helm) ? [{ source: spec.source, helmPath: ['spec', 'source', 'helm'] }] : [];
}

/** Where a value file entry points: a file of the manifests folder, or somewhere the gate cannot read. */
export type ValueFileTarget = { abs: string } | { unreadable: string };

/** A path of a repository as a file of the manifests folder, when it is this repository's and inside it. */
function inManifests(repo: string, repoPath: string, view: RepoView, root: string): ValueFileTarget {
  if (!view.repo || repo !== view.repo) return { unreadable: `in ${repo || 'an unnamed repository'}, not in this repository (${view.repo ?? 'unknown: no directory Application'})` };
  const prefix = view.prefix ? `${view.prefix}/` : '';
  if (!repoPath.startsWith(prefix) || repoPath.startsWith('../')) return { unreadable: `outside the manifests folder ${view.prefix ?? ''} the gate reads` };
  return { abs: posix.join(root.split('\\').join('/'), repoPath.slice(prefix.length)) };
}

export function resolveValueFile(app: any, cs: ChartSource, entry: string, view: RepoView, root: string): ValueFileTarget {
  const ref = /^\$([^/]+)\/(.*)$/.exec(entry);
  if (ref) {
    const src = (app?.spec?.sources ?? []).find((s: any) => s?.ref === ref[1]);
    if (!src) return { unreadable: `no source of the Application has ref ${ref[1]}` };
    return inManifests(normRepo(src.repoURL), posix.normalize(ref[2]), view, root);
  }
  if (/^[a-z]+:\/\//i.test(entry)) return { unreadable: 'a URL, which the gate does not fetch (offline)' };
  if (cs.source.chart) return { unreadable: `inside the packaged chart ${cs.source.chart} of ${cs.source.repoURL}` };
  return inManifests(normRepo(cs.source.repoURL), posix.normalize(posix.join(String(cs.source.path ?? ''), entry)), view, root);
}

/** The folder of a chart kept in this repository's manifests folder (Chart.yaml there), if it is one. */
export function localChartDir(cs: ChartSource, view: RepoView, root: string): string | undefined {
  if (cs.source.chart || !cs.source.path) return undefined;
  const t = inManifests(normRepo(cs.source.repoURL), posix.normalize(String(cs.source.path)), view, root);
  return 'abs' in t && existsSync(posix.join(t.abs, 'Chart.yaml')) ? t.abs : undefined;
}

/** Chart.yaml of a chart folder: its name and dependencies (subcharts, each under its alias or name). */
export function chartMeta(dir: string): { name?: string; dependencies: Array<{ name: string; alias?: string; condition?: string }> } {
  const abs = posix.join(dir, 'Chart.yaml');
  const f = parseValueFile(abs, readFileSync(abs, 'utf8'));
  const meta = (f.doc.toJS() ?? {}) as any;
  const deps = Array.isArray(meta.dependencies) ? meta.dependencies : [];
  return { name: meta.name, dependencies: deps.filter((x: any) => x?.name).map((x: any) => ({ name: String(x.name), alias: x.alias, condition: x.condition })) };
}

/** Every value file the Applications of a manifests set name that lies in the folder (to skip as manifests). */
export function referencedValueFiles(objects: ManifestObject[], root: string, view: RepoView): Set<string> {
  const out = new Set<string>();
  for (const mo of objects) {
    if (mo.object.kind !== 'Application') continue;
    for (const cs of chartSources(mo.object)) {
      for (const entry of cs.source.helm?.valueFiles ?? []) {
        const t = resolveValueFile(mo.object, cs, String(entry), view, root);
        if ('abs' in t) out.add(t.abs);
      }
      // a chart of this repository brings its own defaults, merged first by Helm
      const dir = localChartDir(cs, view, root);
      if (dir && existsSync(posix.join(dir, 'values.yaml'))) out.add(posix.join(dir, 'values.yaml'));
    }
  }
  return out;
}

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Helm's coalescing of one values layer over another: maps merge, anything else replaces, null deletes. */
export function mergeValues(base: unknown, over: unknown): any {
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = isMap(out[k]) && isMap(v) ? mergeValues(out[k], v) : v;
  }
  return out;
}

/** `--set a.b[0].c=v` paths: dots (unless escaped) and [n] indices. */
function setPath(values: any, name: string, raw: string, forceString: boolean): any {
  const keys = name.split(/(?<!\\)\./).flatMap((k) => k.replace(/\\\./g, '.').split(/\[(\d+)\]/).filter((x) => x !== '')).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  const value = forceString ? raw : raw === 'true' ? true : raw === 'false' ? false : raw === 'null' ? null : /^-?\d+$/.test(raw) ? Number(raw) : raw;
  const root = isMap(values) ? structuredClone(values) : {};
  let o: any = root;
  keys.forEach((k, i) => {
    if (i === keys.length - 1) o[k] = value;
    else o = o[k] = o[k] && typeof o[k] === 'object' ? o[k] : typeof keys[i + 1] === 'number' ? [] : {};
  });
  return root;
}

const get = (obj: any, keys: YamlPath) => keys.reduce((o, k) => (o == null ? undefined : o[k]), obj);

/** One layer of values and where its keys are written. */
interface Layer {
  values: unknown;
  /** line of the node at `keys`, or undefined when this layer does not set it */
  lineAt(keys: YamlPath): number | undefined;
  abs: string;
}

export interface ValueFileIssue {
  message: string;
  /** path of the valueFiles entry in the Application */
  path: YamlPath;
  entry: string;
}

export interface RenderedValues {
  values: any;
  /** the file and line that last set `keys` (or the deepest of its parents that some layer sets) */
  locate(keys: YamlPath): { abs: string; line: number } | undefined;
  issues: ValueFileIssue[];
}

/** The merged values of one chart source, as Argo CD hands them to Helm. */
export function renderValues(mo: ManifestObject, cs: ChartSource, view: RepoView, root: string, files: Map<string, YamlFile>): RenderedValues {
  const helm = cs.source.helm ?? {};
  const layers: Layer[] = [];
  const issues: ValueFileIssue[] = [];
  const add = (f: YamlFile) => layers.push({ values: f.doc.toJS({ maxAliasCount: 100 }) ?? {}, abs: f.abs, lineAt: (keys) => lineOf(f.doc, f.lc, keys) });
  const dir = localChartDir(cs, view, root);
  const defaults = dir ? files.get(posix.join(dir, 'values.yaml')) : undefined;
  if (defaults) add(defaults);
  (helm.valueFiles ?? []).forEach((e: unknown, i: number) => {
    const entry = String(e);
    const path = [...cs.helmPath, 'valueFiles', i];
    const t = resolveValueFile(mo.object, cs, entry, view, root);
    if ('unreadable' in t) {
      issues.push({ entry, path, message: `${mo.ref} reads value file ${entry}, ${t.unreadable}: the gate cannot check the values it sets` });
      return;
    }
    const f = files.get(t.abs);
    if (!f) {
      if (!helm.ignoreMissingValueFiles) issues.push({ entry, path, message: `${mo.ref} reads value file ${entry}, which does not exist (${displayPath(t.abs)}); Helm would fail the sync (set ignoreMissingValueFiles if it is optional)` });
      return;
    }
    // Helm reads the chart's values.yaml once, whatever valueFiles repeat it
    if (f !== defaults) add(f);
  });
  if (typeof helm.values === 'string' && helm.values.trim()) {
    // a block scalar starts on the line after its key
    const base = mo.lineAt([...cs.helmPath, 'values']);
    let f: YamlFile;
    try {
      f = parseValueFile(mo.abs, helm.values);
    } catch (e) {
      throw new InputError(`${displayPath(mo.abs)}:${base}: ${mo.ref} helm.values is not a YAML mapping (${(e as Error).message.replace(/^.*?: /, '')})`);
    }
    layers.push({ values: f.doc.toJS({ maxAliasCount: 100 }) ?? {}, abs: mo.abs, lineAt: (keys) => { const l = lineOf(f.doc, f.lc, keys); return l === undefined ? undefined : base + l; } });
  }
  if (isMap(helm.valuesObject)) {
    const at = [...cs.helmPath, 'valuesObject'];
    layers.push({ values: helm.valuesObject, abs: mo.abs, lineAt: (keys) => (get(helm.valuesObject, keys) === undefined ? undefined : mo.lineAt([...at, ...keys])) });
  }
  (helm.parameters ?? []).forEach((p: any, i: number) => {
    if (!p?.name) return;
    const values = setPath({}, String(p.name), String(p.value ?? ''), p.forceString === true);
    layers.push({ values, abs: mo.abs, lineAt: (keys) => (get(values, keys) === undefined ? undefined : mo.lineAt([...cs.helmPath, 'parameters', i])) });
  });
  const values = layers.reduce<any>((acc, l) => mergeValues(acc, l.values), {});
  const locate = (keys: YamlPath) => {
    // the last layer setting the longest prefix of keys wrote the value there
    for (let n = keys.length; n >= 1; n--) {
      for (let i = layers.length - 1; i >= 0; i--) {
        const line = layers[i].lineAt(keys.slice(0, n));
        if (line !== undefined) return { abs: layers[i].abs, line };
      }
    }
    return undefined;
  };
  return { values, locate, issues };
}

function lineOf(doc: Document.Parsed, lc: LineCounter, keys: YamlPath): number | undefined {
  const node = doc.getIn(keys, true) as { range?: [number, number, number] } | undefined;
  if (node?.range) return lc.linePos(node.range[0]).line;
  // a key set through a merge key (<<) has no node of its own: its value is read from the merged result
  return get(doc.toJS({ maxAliasCount: 100 }), keys) !== undefined && keys.length > 1 ? lineOf(doc, lc, keys.slice(0, -1)) : undefined;
}
