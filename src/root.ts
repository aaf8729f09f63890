// The repository's root folder, where package.json is: two up from src/config/ in the sources, three once
// compiled to dist/src/. A leaf module (node: imports only), so anything may import it without a cycle.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function repoRoot(from: string): string {
  for (let d = from; ; d = dirname(d)) {
    if (existsSync(resolve(d, 'package.json'))) return d;
    if (dirname(d) === d) return resolve(from, '..');
  }
}

export const REPO_ROOT = repoRoot(dirname(fileURLToPath(import.meta.url)));
