// HTTP facts for one request to an ingress host: status, headers, the start of the body and the time
// to the first byte. The connection goes to the profile's address (resolve override) with the host as
// SNI and Host header; redirects are never followed (a redirect is itself the fact we want), and the
// certificate is not verified here (the TLS checks judge it; HTTP facts are wanted even when it is bad).
import { Client, buildConnector } from 'undici';
import { classifyError, timeoutError, type NetError } from './net-errors.ts';

export interface HttpTarget {
  scheme: 'https' | 'http';
  /** the name in the URL, the Host header and (https) the SNI */
  host: string;
  /** where to connect */
  address: string;
  port: number;
  timeoutMs: number;
}

export interface HttpFacts {
  url: string;
  ok: boolean;
  error?: NetError;
  status?: number;
  /** lower-case names; repeated headers joined with ", " */
  headers: Record<string, string>;
  /** at most maxBodyBytes of the body, as UTF-8 */
  body?: string;
  first_byte_ms?: number;
  total_ms?: number;
}

const MAX_BODY_BYTES = 64 * 1024;

export async function httpGet(t: HttpTarget, path: string, maxBodyBytes = MAX_BODY_BYTES): Promise<HttpFacts> {
  const defaultPort = t.scheme === 'https' ? 443 : 80;
  const origin = `${t.scheme}://${t.host}${t.port === defaultPort ? '' : `:${t.port}`}`;
  const url = origin + path;
  const connector = buildConnector({
    rejectUnauthorized: false,
    servername: t.host,
    minVersion: 'TLSv1',
    ciphers: 'DEFAULT@SECLEVEL=0',
    timeout: t.timeoutMs,
    maxCachedSessions: 0,
  } as buildConnector.BuildOptions);
  const client = new Client(origin, {
    connect: (opts, cb) => connector({ ...opts, hostname: t.address }, cb),
    headersTimeout: t.timeoutMs,
    bodyTimeout: t.timeoutMs,
    pipelining: 0,
  });
  const t0 = performance.now();
  const since = () => Math.round((performance.now() - t0) * 10) / 10;
  const stage = `HTTP GET ${url} (at ${t.address}:${t.port})`;
  const signal = AbortSignal.timeout(t.timeoutMs);
  try {
    const res = await client.request({
      method: 'GET',
      path,
      headers: { 'user-agent': 'efd-health', accept: '*/*' },
      signal,
    });
    const first_byte_ms = since();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      const b = chunk as Buffer;
      chunks.push(b);
      size += b.length;
      if (size >= maxBodyBytes) break; // leaving the loop destroys the body stream
    }
    const body = Buffer.concat(chunks).subarray(0, maxBodyBytes).toString('utf8');
    return { url, ok: true, status: res.statusCode, headers, body, first_byte_ms, total_ms: since() };
  } catch (e) {
    const error = signal.aborted ? timeoutError(stage, t.timeoutMs) : classifyError(e, stage);
    return { url, ok: false, error, headers: {} };
  } finally {
    client.destroy().catch(() => {});
  }
}
