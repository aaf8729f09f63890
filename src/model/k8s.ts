// Reads every Kubernetes object under a manifests folder, remembering file and line for messages.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { InputError } from '../errors.ts';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: any;
}

export interface Located<T> {
  object: T;
  /** path relative to the manifests folder */
  file: string;
  line: number;
}

export function yamlFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    throw new InputError(`manifests folder ${dir} does not exist or cannot be read`);
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e)) out.push(p);
  }
  return out;
}

export function loadObjects(dir: string): Located<K8sObject>[] {
  const out: Located<K8sObject>[] = [];
  for (const path of yamlFiles(dir)) {
    const file = relative(dir, path);
    const lc = new LineCounter();
    const docs = parseAllDocuments(readFileSync(path, 'utf8'), { lineCounter: lc });
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      const err = doc.errors[0];
      if (err) {
        const line = lc.linePos(err.pos[0]).line;
        throw new InputError(`${path}:${line}: malformed YAML: ${err.message.split('\n')[0]}`);
      }
      const object = doc.toJS();
      if (object == null) continue;
      const line = doc.contents ? lc.linePos(doc.contents.range[0]).line : 1;
      if (typeof object !== 'object' || !object.kind || !object.apiVersion || !object.metadata?.name) {
        throw new InputError(`${path}:${line}: not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
      }
      out.push({ object, file, line });
    }
  }
  return out;
}
