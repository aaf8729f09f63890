// What can be wrong with a profile, as one readable problem: ajv's errors turned into sentences, and the
// checks a schema cannot express (ports in range, URLs that parse, thresholds known to the catalog).
import type { ErrorObject } from 'ajv';
import { CHECKS, getCheck } from '../catalog/index.ts';
import { formatKeyPath, type KeyPath } from './locate.ts';

export interface ProfileProblem {
  path: KeyPath;
  /** point at the key itself (unknown keys) rather than its value */
  atKey?: boolean;
  /** the rest of the sentence after the key path */
  message: string;
}

export const INLINE_SECRET = 'must come from {env: NAME} or {file: PATH}, never inline';

function pathFromPointer(pointer: string, data: unknown): KeyPath {
  const out: KeyPath = [];
  let cur: any = data;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key: string | number = Array.isArray(cur) ? Number(seg) : seg;
    out.push(key);
    cur = cur?.[key];
  }
  return out;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number', number: 'a number', string: 'a string', boolean: 'true or false',
  object: 'a mapping (key: value)', array: 'a list',
};

function typeWords(type: string | string[]): string {
  return (Array.isArray(type) ? type : [type]).map((t) => TYPE_WORDS[t] ?? t).join(' or ');
}

/** One ajv error as a problem. Values inside a secret reference are never echoed. */
export function problemFromAjv(e: ErrorObject, root: unknown): ProfileProblem {
  const path = pathFromPointer(e.instancePath, root);
  const inSecret = e.schemaPath.startsWith('#/definitions/secret');
  if (inSecret && (typeof e.data !== 'object' || e.data === null)) return { path, message: INLINE_SECRET };
  if (inSecret && (e.keyword === 'minProperties' || e.keyword === 'maxProperties')) {
    return { path, message: 'must be exactly one of {env: NAME} or {file: PATH}' };
  }
  const parent = e.parentSchema as Record<string, any> | undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys(parent?.properties ?? {});
      return {
        path: [...path, key],
        atKey: true,
        message: allowed.length ? `is not a known key (allowed: ${allowed.join(', ')})` : 'is not a known key',
      };
    }
    case 'required': {
      const key = (e.params as { missingProperty: string }).missingProperty;
      return { path: [...path, key], message: 'is required but missing' };
    }
    case 'type':
      return { path, message: `must be ${typeWords(parent?.type ?? (e.params as any).type)}, got ${show(e.data)}` };
    case 'pattern':
      return { path, message: `must be ${parent?.title ?? `like ${parent?.pattern}`}, got ${show(e.data)}` };
    case 'enum':
      return { path, message: `must be one of ${(parent?.enum ?? []).map((v: unknown) => JSON.stringify(v)).join(', ')}, got ${show(e.data)}` };
    case 'minLength':
      return { path, message: 'must not be empty' };
    case 'minItems':
      return { path, message: `must list at least ${(e.params as any).limit} entry` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
      return { path, message: `must be ${(e.params as any).comparison} ${(e.params as any).limit}, got ${show(e.data)}` };
    default:
      return { path, message: `${e.message ?? 'is invalid'}` };
  }
}

function portProblem(path: KeyPath, hostPort: string): ProfileProblem | undefined {
  const port = Number(hostPort.slice(hostPort.lastIndexOf(':') + 1));
  if (!(port >= 1 && port <= 65535)) return { path, message: `has port ${port}, which is not between 1 and 65535` };
  return undefined;
}

function urlProblem(path: KeyPath, value: string): ProfileProblem | undefined {
  try {
    const u = new URL(value);
    if (u.port && !(Number(u.port) >= 1 && Number(u.port) <= 65535)) throw new Error('port');
  } catch {
    return { path, message: `must be an http:// or https:// URL, got ${JSON.stringify(value)}` };
  }
  return undefined;
}

function near(id: string): string {
  const head = id.split('.')[0];
  const same = CHECKS.filter((c) => c.id.startsWith(`${head}.`)).map((c) => c.id).slice(0, 5);
  return same.length ? ` (checks of suite ${head}: ${same.join(', ')}${same.length === 5 ? ', …' : ''})` : ' (see efd-health list)';
}

/** Checks a schema cannot express. `raw` already fits the schema. */
export function semanticProblems(raw: any): ProfileProblem[] {
  const out: Array<ProfileProblem | undefined> = [];
  for (const side of ['summit', 'ldf']) {
    (raw.kafka[side].bootstrap as string[]).forEach((hp, i) => out.push(portProblem(['kafka', side, 'bootstrap', i], hp)));
    out.push(urlProblem(['registry', side, 'url'], raw.registry[side].url));
  }
  out.push(urlProblem(['connect', 'url'], raw.connect.url));
  if (raw.connect.jmx) out.push(portProblem(['connect', 'jmx'], raw.connect.jmx));
  out.push(urlProblem(['influxdb', 'url'], raw.influxdb.url));
  for (const [host, target] of Object.entries<string>(raw.ingress?.resolve ?? {})) {
    if (/:[0-9]+$/.test(target) && !/^[^[]*::/.test(target)) out.push(portProblem(['ingress', 'resolve', host], target));
  }
  const rep = raw.report?.influxdb;
  if (rep?.enabled) {
    if (!rep.url) out.push({ path: ['report', 'influxdb', 'url'], message: 'is required when report.influxdb.enabled is true' });
    else out.push(urlProblem(['report', 'influxdb', 'url'], rep.url));
    if (!rep.database) out.push({ path: ['report', 'influxdb', 'database'], message: 'is required when report.influxdb.enabled is true' });
  }
  for (const [id, values] of Object.entries<Record<string, unknown>>(raw.thresholds ?? {})) {
    const spec = getCheck(id);
    if (!spec) {
      out.push({ path: ['thresholds', id], atKey: true, message: `is not a check id${near(id)}` });
      continue;
    }
    for (const [name, value] of Object.entries(values ?? {})) {
      const t = spec.thresholds?.[name];
      if (!t) {
        const names = Object.keys(spec.thresholds ?? {});
        out.push({
          path: ['thresholds', id, name],
          atKey: true,
          message: names.length ? `is not a threshold of ${id} (it has: ${names.join(', ')})` : `is not a threshold: ${id} has none`,
        });
      } else if (typeof value !== typeof t.default) {
        out.push({ path: ['thresholds', id, name], message: `must be ${typeWords(typeof t.default)}${t.unit ? ` (${t.unit})` : ''}, got ${show(value)}` });
      }
    }
  }
  return out.filter((p): p is ProfileProblem => p !== undefined);
}

export function sentence(file: string, line: number, p: ProfileProblem): string {
  return `${file}:${line}: ${formatKeyPath(p.path)} ${p.message}`;
}
