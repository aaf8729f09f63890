// Helpers for the gate's tests: a scratch copy of manifests/ldf, exact text edits, one gate run as JSON.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { evaluateGate, type GateResult } from '../src/gate/index.ts';

export const LDF = resolve(import.meta.dirname, '../manifests/ldf');

/** The phase 2 overlay: manifests/ldf plus the roll-up init script (test/gate-phase2.test.ts). */
export const LDF_PHASE2 = resolve(import.meta.dirname, '../manifests/ldf-phase2');

export function scratchCopy(from = LDF): string {
  const root = mkdtempSync(join(tmpdir(), 'efd-gate-'));
  const dir = join(root, 'ldf');
  cpSync(from, dir, { recursive: true });
  return dir;
}

export function removeScratch(dir: string): void {
  rmSync(dirname(dir), { recursive: true, force: true });
}

/** Replace exactly one occurrence of `from` in a file (fails loudly when the text is not there once). */
export function replaceOnce(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`${file}: expected "${from}" once, found ${count} times`);
  writeFileSync(path, text.replace(from, to));
}

export function writeFile(dir: string, file: string, text: string): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
}

export function removeFile(dir: string, file: string): void {
  rmSync(join(dir, file));
}

/** Remove exactly one occurrence of `text` from a file. */
export function removeOnce(dir: string, file: string, text: string): void {
  replaceOnce(dir, file, text, '');
}

export function ruleIds(r: GateResult): string[] {
  return [...new Set(r.violations.map((v) => v.rule))].sort();
}

export { evaluateGate };
