// Confluent-compatible schema registry facts (subjects, versions, ids, compatibility) over its REST API.
import { getJson, rest } from './rest.ts';
import { ProbeError } from './errors.ts';

const H = { accept: 'application/vnd.schemaregistry.v1+json, application/json' };

export async function subjects(url: string, timeoutMs: number): Promise<string[]> {
  return getJson<string[]>(`${url}/subjects`, { timeoutMs, headers: H });
}

export interface SubjectVersion {
  subject: string;
  version: number;
  id: number;
  schema: string;
}

export async function latestVersion(url: string, timeoutMs: number, subject: string): Promise<SubjectVersion> {
  return getJson<SubjectVersion>(`${url}/subjects/${encodeURIComponent(subject)}/versions/latest`, { timeoutMs, headers: H });
}

/** True when the registry can resolve this schema id (what a sink needs before it can decode). */
export async function hasSchemaId(url: string, timeoutMs: number, id: number): Promise<boolean> {
  const a = await rest(`${url}/schemas/ids/${id}`, { timeoutMs, headers: H });
  if (a.status === 404) return false;
  if (a.status >= 200 && a.status < 300) return true;
  throw new ProbeError('http_status', `${url}/schemas/ids/${id} answered HTTP ${a.status}`, new URL(url).host);
}

/** Compatibility level of a subject, or the global one when subject is omitted (null when unset). */
export async function compatibility(url: string, timeoutMs: number, subject?: string): Promise<string | null> {
  const path = subject ? `/config/${encodeURIComponent(subject)}` : '/config';
  const a = await rest<{ compatibilityLevel?: string; compatibility?: string }>(`${url}${path}`, { timeoutMs, headers: H });
  if (a.status === 404) return null;
  if (a.status < 200 || a.status > 299)
    throw new ProbeError('http_status', `${url}${path} answered HTTP ${a.status}`, new URL(url).host);
  return a.body.compatibilityLevel ?? a.body.compatibility ?? null;
}

/** Runs fn over items with at most `limit` calls in flight; results in input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** Latest version and id of every subject (one request per subject, `concurrency` at a time). */
export async function latestOfAll(url: string, timeoutMs: number, names: string[], concurrency: number): Promise<Map<string, { version: number; id: number }>> {
  const heads = await mapLimit(names, concurrency, async (s) => {
    const a = await rest<SubjectVersion>(`${url}/subjects/${encodeURIComponent(s)}/versions/latest`, { timeoutMs, headers: H });
    // a subject deleted between the listing and this call is simply gone
    if (a.status === 404) return undefined;
    if (a.status < 200 || a.status > 299)
      throw new ProbeError('http_status', `${url}/subjects/${s}/versions/latest answered HTTP ${a.status}`, new URL(url).host);
    return [s, { version: a.body.version, id: a.body.id }] as const;
  });
  return new Map(heads.filter((h): h is NonNullable<typeof h> => !!h));
}

/**
 * The compatibility level in force for every subject: its own, else the global one
 * (`GET /config/<subject>?defaultToGlobal=true`, Confluent's semantics; Apicurio answers NONE for a subject
 * without a rule of its own when asked without the flag, although the global rule applies to it).
 */
export async function effectiveCompatibilityOfAll(url: string, timeoutMs: number, names: string[], concurrency: number): Promise<Map<string, string | null>> {
  const levels = await mapLimit(names, concurrency, async (s) => {
    const path = `/config/${encodeURIComponent(s)}?defaultToGlobal=true`;
    const a = await rest<{ compatibilityLevel?: string; compatibility?: string }>(`${url}${path}`, { timeoutMs, headers: H });
    if (a.status === 404) return [s, null] as const;
    if (a.status < 200 || a.status > 299) throw new ProbeError('http_status', `${url}${path} answered HTTP ${a.status}`, new URL(url).host);
    return [s, a.body.compatibilityLevel ?? a.body.compatibility ?? null] as const;
  });
  return new Map(levels);
}
