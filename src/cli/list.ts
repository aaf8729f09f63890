// efd-health list / explain: the catalog, as a person or a script reads it.
import { CHECKS, getCheck } from '../catalog/index.ts';
import { SUITES, type CheckSpec, type Threshold } from '../catalog/types.ts';
import { InputError } from '../errors.ts';
import { HELP, parse } from './args.ts';
import { parseSuites } from './common.ts';

export const LIST_HELP = `Usage: efd-health list [--suite a,b] [--json]

Every check id with its description, reasons, thresholds and their defaults.
  --suite a,b   only these suites (${SUITES.join(', ')})
  --json        the catalog as JSON
`;

export const EXPLAIN_HELP = `Usage: efd-health explain CHECK_ID

What one check verifies, why it can fail, its thresholds and how to change them in a profile.
`;

function thresholdLine(name: string, t: Threshold): string {
  return `${name} = ${JSON.stringify(t.default)}${t.unit ? ` ${t.unit}` : ''} — ${t.doc}`;
}

function brief(c: CheckSpec): string[] {
  const out = [`  ${c.id}  ${c.title}`, `      ${c.description}`];
  const th = Object.entries(c.thresholds ?? {});
  if (th.length) out.push(`      thresholds: ${th.map(([n, t]) => thresholdLine(n, t)).join('; ')}`);
  return out;
}

export function listCli(args: string[]): number {
  const { values: f } = parse<{ help?: boolean; suite?: string; json?: boolean }>('list', args, {
    ...HELP,
    suite: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (f.help) {
    process.stdout.write(LIST_HELP);
    return 0;
  }
  const suites = parseSuites(f.suite);
  const checks = CHECKS.filter((c) => suites.includes(c.suite));
  if (f.json) {
    process.stdout.write(JSON.stringify(checks, null, 2) + '\n');
    return 0;
  }
  const out: string[] = [];
  for (const s of suites) {
    const mine = checks.filter((c) => c.suite === s);
    out.push(`${s} (${mine.length} check${mine.length === 1 ? '' : 's'})`);
    for (const c of mine) out.push(...brief(c));
    out.push('');
  }
  out.push(`${checks.length} checks; efd-health explain CHECK_ID for one of them`);
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}

/** Edit distance, to suggest the check id a typo was meant to be. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

function similar(id: string): string[] {
  const limit = Math.max(3, Math.floor(id.length / 4));
  return CHECKS.map((c) => [c.id, distance(id, c.id)] as const)
    .filter(([, d]) => d <= limit)
    .sort((a, b) => a[1] - b[1])
    .slice(0, 3)
    .map(([c]) => c);
}

export function explainCli(args: string[]): number {
  const { values: f, positionals } = parse<{ help?: boolean }>('explain', args, HELP, 1);
  if (f.help) {
    process.stdout.write(EXPLAIN_HELP);
    return 0;
  }
  const id = positionals[0];
  if (!id) throw new InputError('efd-health explain needs a CHECK_ID (efd-health list shows them)');
  const c = getCheck(id);
  if (!c) {
    const near = similar(id);
    throw new InputError(`unknown check id "${id}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; efd-health list shows them all`);
  }
  const out = [`${c.id} — ${c.title}`, '', `suite:   ${c.suite}`, `what:    ${c.description}`, `reasons: ${c.reasons.join(', ')}`];
  if (c.source) out.push(`source:  ${c.source}`);
  const th = Object.entries(c.thresholds ?? {});
  if (th.length) {
    out.push('', 'thresholds (default, unit, meaning):');
    for (const [n, t] of th) out.push(`  ${thresholdLine(n, t)}`);
    out.push('', 'to change them, in the profile:', 'thresholds:', `  ${c.id}:`);
    for (const [n, t] of th) out.push(`    ${n}: ${JSON.stringify(t.default)}`);
  } else {
    out.push('', 'thresholds: none');
  }
  out.push('', `run it: efd-health run --suite ${c.suite}`);
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}
