// The repository's root folder, where package.json is: two up from src/config/ in the sources, three once
// compiled to dist/src/. A leaf module (node: imports only), so anything may import it without a cycle.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function repoRoot(from: string): string {
  for (let d = from; ; d = dirname(d)) {
    if (existsSync(resolve(d, 'package.json'))) return d;
    if (dirname(d) === d) return resolve(from, '..');
  }
}

export const REPO_ROOT = repoRoot(dirname(fileURLToPath(import.meta.url)));

/** efd-health's own version (package.json), tagged on the run's InfluxDB point. */
export function ownVersion(): string {
  try {
    return String(JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}
