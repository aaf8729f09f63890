// Loads a manifests folder (or one file) keeping each object's YAML document, so any rule can point at
// the file and line of the exact key it judges, not just the start of the object.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { InputError } from '../errors.ts';
import type { K8sObject, Located } from './k8s.ts';
import { referencedValueFiles, repoView } from './argocd-sources.ts';
import { parseValueFile, YAML_OPTIONS, type YamlFile } from './yaml-file.ts';

export type YamlPath = Array<string | number>;

export interface ManifestObject extends Located<K8sObject> {
  /** absolute path of the file */
  abs: string;
  /** `Kind namespace/name` (namespace omitted when unset) */
  ref: string;
  /** line of the deepest node that exists along `path` */
  lineAt(path: YamlPath): number;
}

export interface ManifestSet {
  /** absolute folder (or the folder of the single file given) */
  root: string;
  /** every file read: manifests and Helm value files */
  files: string[];
  objects: ManifestObject[];
  /** Helm value files an Application names (by absolute path), read as values, not as manifests */
  valueFiles: Map<string, YamlFile>;
}

/** Paths in messages are relative to the working directory, so CI annotations land on the right file. */
export function displayPath(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel.startsWith('..') ? abs : rel;
}

/** The YAML files of a folder, recursively; a Helm chart's folder (Chart.yaml) is rendered by Helm, not applied. */
function listYaml(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    if (e.startsWith('.')) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) {
      if (!existsSync(join(p, 'Chart.yaml'))) out.push(...listYaml(p));
    } else if (/\.ya?ml$/.test(e)) out.push(p);
  }
  return out;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`${displayPath(path)}:1: cannot be read`);
  }
}

export function objectRef(o: K8sObject): string {
  const ns = o.metadata?.namespace;
  return `${o.kind} ${ns ? `${ns}/` : ''}${o.metadata?.name}`;
}

export function loadManifestSet(target: string): ManifestSet {
  const abs = resolve(target);
  if (!existsSync(abs)) throw new InputError(`${displayPath(abs)}: manifests folder or file does not exist`);
  const isDir = statSync(abs).isDirectory();
  const root = isDir ? abs : resolve(abs, '..');
  const files = isDir ? listYaml(abs) : [abs];
  if (files.length === 0) throw new InputError(`${displayPath(abs)}: no .yaml files in the manifests folder`);
  const parsed = files.map((path) => ({ path, ...parseFile(path, root) }));
  // a file an Application names in helm.valueFiles holds values, not objects: set it aside
  const all = parsed.flatMap((p) => p.objects);
  const referenced = referencedValueFiles(all, root, repoView({ root, files, objects: all, valueFiles: new Map() }));
  const valueFiles = new Map<string, YamlFile>();
  const objects: ManifestObject[] = [];
  for (const p of parsed) {
    if (referenced.has(p.path.split('\\').join('/'))) {
      valueFiles.set(p.path.split('\\').join('/'), parseValueFile(p.path, p.text));
      continue;
    }
    if (p.notAnObject) throw p.notAnObject;
    objects.push(...p.objects);
  }
  // value files inside a chart folder were not listed as manifests
  for (const path of referenced) {
    if (valueFiles.has(path) || !existsSync(path)) continue;
    valueFiles.set(path, parseValueFile(path, readText(path)));
    files.push(path);
  }
  return { root, files, objects, valueFiles };
}

/** The objects of one file; a document that is not an object is an error only if the file is not a value file. */
function parseFile(path: string, root: string): { objects: ManifestObject[]; text: string; notAnObject?: InputError } {
  const lc = new LineCounter();
  const text = readText(path);
  // merge keys (<<) are merged, as kubectl and Argo CD do
  const docs = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter: lc });
  const list = (Array.isArray(docs) ? docs : [docs]) as Document.Parsed[];
  const out: ManifestObject[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const line = lc.linePos(err.pos[0]).line;
      const why = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new InputError(`${displayPath(path)}:${line}: malformed YAML (${why})`);
    }
    const object = doc.toJS({ maxAliasCount: 100 });
    if (object == null) continue;
    const line = doc.contents ? lc.linePos(doc.contents.range[0]).line : 1;
    if (typeof object !== 'object' || Array.isArray(object) || !object.kind || !object.apiVersion || !object.metadata?.name) {
      return { objects: [], text, notAnObject: new InputError(`${displayPath(path)}:${line}: not a Kubernetes object (apiVersion, kind and metadata.name are required), nor a Helm value file an Application names`) };
    }
    const lineAt = (p: YamlPath): number => {
      for (let n = p.length; n >= 0; n--) {
        const node = doc.getIn(p.slice(0, n), true) as { range?: [number, number, number] } | undefined;
        if (node && node.range) return lc.linePos(node.range[0]).line;
      }
      return line;
    };
    out.push({ object, file: relative(root, path), abs: path, line, ref: objectRef(object), lineAt });
  }
  return { objects: out, text };
}
