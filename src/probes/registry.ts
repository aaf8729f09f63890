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
