// A YAML file read as data, not as manifests (a Helm value file, a Chart.yaml): merge keys merged,
// duplicate keys refused, a top level that is not a mapping refused; errors name the file and line.
import { LineCounter, parseDocument, type Document } from 'yaml';
import { InputError } from '../errors.ts';
import { displayPath } from './manifest-set.ts';

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
