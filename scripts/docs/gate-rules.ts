// Writes the rules table of docs/manifests.md from src/gate/rules.yaml (between the rules-table markers),
// so the page lists every rule with the plan sentence it enforces.   npx tsx scripts/docs/gate-rules.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { rulesTable } from '../../src/gate/rules-doc.ts';

const DOC = resolve(import.meta.dirname, '../../docs/manifests.md');
const BEGIN = '<!-- rules-table:begin (npx tsx scripts/docs/gate-rules.ts) -->';
const END = '<!-- rules-table:end -->';

const text = readFileSync(DOC, 'utf8');
const a = text.indexOf(BEGIN);
const b = text.indexOf(END);
if (a < 0 || b < a) throw new Error(`${DOC}: no ${BEGIN} … ${END} markers`);
writeFileSync(DOC, `${text.slice(0, a + BEGIN.length)}\n${rulesTable()}\n${text.slice(b)}`);
console.log(`${DOC}: rules table rewritten`);
