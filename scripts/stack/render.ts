// Fills the {{NAME}} placeholders of a config template from fixtures/stack and writes it under .stack/conf.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FIXTURES, state } from './paths.ts';

export function fill(template: string, vars: Record<string, string | number>, what: string): string {
  return template.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_, key: string) => {
    if (!(key in vars)) throw new Error(`${what}: no value for placeholder {{${key}}}`);
    return String(vars[key]);
  });
}

export function readTemplate(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Renders fixtures/stack/<template> into .stack/conf/<out> and returns the written path. */
export function renderConf(template: string, out: string, vars: Record<string, string | number>): string {
  const path = join(state.conf, out);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, fill(readTemplate(template), vars, template));
  return path;
}
