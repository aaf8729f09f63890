// Step 1 of the gate: every object against its vendored JSON schema (schemas/, kubeconform-style file
// names `<kind>-<group>-<version>.json`). A kind without a schema is invalid input (exit 4): the gate
// cannot judge what it does not know.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import { REPO_ROOT } from '../root.ts';
import { InputError } from '../errors.ts';
import { displayPath, type ManifestObject, type ManifestSet } from '../model/manifest-set.ts';
import type { Hit } from './types.ts';

// from the repository root, so the compiled gate (dist/) finds it too
export const SCHEMAS_DIR = join(REPO_ROOT, 'schemas') + '/';

export function schemaFile(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return `${kind.toLowerCase()}${group ? `-${group}` : ''}-${version}.json`;
}

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function validatorFor(file: string): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addSchema(JSON.parse(readFileSync(`${SCHEMAS_DIR}_defs.json`, 'utf8')));
  }
  let v = compiled.get(file);
  if (!v) {
    v = ajv.compile(JSON.parse(readFileSync(`${SCHEMAS_DIR}${file}`, 'utf8')));
    compiled.set(file, v);
  }
  return v;
}

export function knownKinds(): string[] {
  return readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith('.json') && !f.startsWith('_'));
}

/** Throws InputError for the first object whose kind has no schema. */
export function assertKnownKinds(set: ManifestSet): void {
  for (const mo of set.objects) {
    const file = schemaFile(String(mo.object.apiVersion), String(mo.object.kind));
    if (!existsSync(`${SCHEMAS_DIR}${file}`)) {
      throw new InputError(
        `${displayPath(mo.abs)}:${mo.line}: unknown kind ${mo.object.kind} (apiVersion ${mo.object.apiVersion}); the gate has schemas for ${knownKinds().length} kinds in schemas/`,
      );
    }
  }
}

function pointer(e: ErrorObject): Array<string | number> {
  return e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describe(e: ErrorObject): string {
  const at = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '(top)';
  if (e.keyword === 'additionalProperties') return `${at}: unknown field "${(e.params as any).additionalProperty}"`;
  if (e.keyword === 'enum') return `${at}: must be one of ${(e.params as any).allowedValues.join(', ')}`;
  if (e.keyword === 'required') return `${at}: missing required field "${(e.params as any).missingProperty}"`;
  return `${at}: ${e.message}`;
}

export function validateObject(mo: ManifestObject): Hit[] {
  const validate = validatorFor(schemaFile(String(mo.object.apiVersion), String(mo.object.kind)));
  if (validate(mo.object)) return [];
  // oneOf/allOf wrappers repeat the inner errors; keep the specific ones
  const errors = (validate.errors ?? []).filter((e) => !['oneOf', 'allOf', 'anyOf', 'if'].includes(e.keyword));
  const seen = new Set<string>();
  return errors.flatMap((e) => {
    const message = `${mo.ref} does not match its schema: ${describe(e)}`;
    if (seen.has(message)) return [];
    seen.add(message);
    const path = pointer(e);
    if (e.keyword === 'additionalProperties') path.push((e.params as any).additionalProperty);
    return [{ message, origin: { object: mo, path } }];
  });
}
