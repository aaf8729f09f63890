// The rules as a Markdown table (docs/manifests.md): id, what it checks, the plan sentence it enforces.
import { loadRules } from './rules.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

export function rulesTable(): string {
  return [
    '| id | checks | plan sentence it enforces |',
    '|---|---|---|',
    ...loadRules().map((r) => `| \`${r.id}\` | ${cell(r.description)} | ${cell(r.plan)} |`),
  ].join('\n');
}
