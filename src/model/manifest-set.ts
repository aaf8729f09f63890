// Loads a manifests folder (or one file) keeping each object's YAML document, so any rule can point at
// the file and line of the exact key it judges, not just the start of the object.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { InputError } from '../errors.ts';
import type { K8sObject, Located } from './k8s.ts';

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
  files: string[];
  objects: ManifestObject[];
}

/** Paths in messages are relative to the working directory, so CI annotations land on the right file. */
export function displayPath(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel.startsWith('..') ? abs : rel;
}

function listYaml(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    if (e.startsWith('.')) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...listYaml(p));
    else if (/\.ya?ml$/.test(e)) out.push(p);
  }
  return out;
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
  const objects: ManifestObject[] = [];
  for (const path of files) objects.push(...parseFile(path, root));
  return { root, files, objects };
}

function parseFile(path: string, root: string): ManifestObject[] {
  const lc = new LineCounter();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`${displayPath(path)}:1: cannot be read`);
  }
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true });
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
      throw new InputError(
        `${displayPath(path)}:${line}: not a Kubernetes object (apiVersion, kind and metadata.name are required)`,
      );
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
  return out;
}
