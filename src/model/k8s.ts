// Reads every Kubernetes object under a manifests folder, remembering file and line for messages.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { loadManifestSet } from './manifest-set.ts';

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

/**
 * Every Kubernetes object of a manifests folder, read as the gate reads it (merge keys merged, Helm value
 * files an Application names set aside), so the live suites and the gate see the same objects.
 */
export function loadObjects(dir: string): Located<K8sObject>[] {
  if (!yamlFiles(dir).length) return [];
  return loadManifestSet(dir).objects;
}
