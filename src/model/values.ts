// Helm values as Argo CD renders them: helm.valueFiles merged in the order listed (a missing one is a
// finding unless ignoreMissingValueFiles), then `values`, then `valuesObject`, then `parameters` (Argo CD's
// precedence). Value files are read from this repository (the one the directory Applications sync), by a
// path relative to the chart's own source or through a `$ref/…` source of a multi-source Application.
// Every merged key remembers the file and line that set it last, so findings point there.
import { posix } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { InputError } from '../errors.ts';
import { localChartDir, resolveValueFile, type ChartSource, type RepoView } from './argocd-sources.ts';
import { displayPath, type ManifestObject, type YamlPath } from './manifest-set.ts';
import { parseValueFile, type YamlFile } from './yaml-file.ts';

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
