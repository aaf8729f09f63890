// Small JSON-over-HTTP helper for the services' REST APIs (Connect, registries, InfluxDB), with a deadline.
import { request } from 'undici';
import { classifyNetworkError, ProbeError } from './errors.ts';

export interface RestOptions {
  timeoutMs: number;
  method?: 'GET' | 'PUT' | 'POST' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  basicAuth?: { username: string; password: string };
}

export interface RestAnswer<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  ms: number;
}

export async function rest<T = unknown>(url: string, opts: RestOptions): Promise<RestAnswer<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.basicAuth)
    headers.authorization = 'Basic ' + Buffer.from(`${opts.basicAuth.username}:${opts.basicAuth.password}`).toString('base64');
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const t0 = performance.now();
  const target = new URL(url).host;
  try {
    const res = await request(url, {
      method: opts.method ?? 'GET',
      headers,
      body,
      signal: AbortSignal.timeout(opts.timeoutMs),
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    });
    const text = await res.body.text();
    let parsed: unknown = text;
    if (text && /json/.test(String(res.headers['content-type'] ?? '')) ) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.statusCode, headers: res.headers, body: parsed as T, ms: performance.now() - t0 };
  } catch (e) {
    throw classifyNetworkError(e, target);
  }
}

/** GET that insists on a 2xx answer. */
export async function getJson<T>(url: string, opts: RestOptions): Promise<T> {
  const a = await rest<T>(url, opts);
  if (a.status === 401 || a.status === 403)
    throw new ProbeError('auth', `${url} refused the credentials (HTTP ${a.status})`, new URL(url).host);
  if (a.status < 200 || a.status > 299)
    throw new ProbeError('http_status', `${url} answered HTTP ${a.status}`, new URL(url).host);
  return a.body;
}
