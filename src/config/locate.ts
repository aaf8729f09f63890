// Maps a key path inside a YAML file to its line, and writes key paths the way a person reads them:
// kafka.summit.bootstrap[0], thresholds["ingress.tls.expiry"].days.
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

export type KeyPath = Array<string | number>;

export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || '(top level)';
}

/** A file name as the user typed it or as it reads from the current directory. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : resolve(file);
}

export interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
}

export function parseYaml(text: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  return { doc, lines };
}

/**
 * Line of the value at `path` (or of its key when `atKey`, so an unknown key points at itself).
 * When the path does not exist (a missing required key) the deepest existing parent's line is used.
 */
export function lineOf({ doc, lines }: ParsedYaml, path: KeyPath, atKey = false): number {
  let node: unknown = doc.contents;
  let line = node && (node as Node).range ? lines.linePos((node as Node).range![0]).line : 1;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
      if (!pair) return line;
      const target = last && atKey ? pair.key : (pair.value ?? pair.key);
      node = pair.value;
      const range = (target as Node | null)?.range;
      if (range) line = lines.linePos(range[0]).line;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)] as Node | undefined;
      if (!item) return line;
      node = item;
      if (item.range) line = lines.linePos(item.range[0]).line;
    } else {
      return line;
    }
  }
  return line;
}

/** `file:line: key.path` for messages about a key in a YAML file read from disk. */
export function locate(file: string, path: KeyPath): string {
  let line = 1;
  try {
    line = lineOf(parseYaml(readFileSync(file, 'utf8')), path);
  } catch {
    /* the file was readable a moment ago; a line of 1 is still a useful pointer */
  }
  return `${displayPath(file)}:${line}: ${formatKeyPath(path)}`;
}
