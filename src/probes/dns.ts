// DNS facts for one host: the addresses a client would use (getaddrinfo, as curl and browsers do, so
// /etc/hosts counts), or the profile's override (host -> address[:port], like curl --resolve).
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyError, timeoutError, type NetError } from './net-errors.ts';

export interface DnsAnswer {
  address: string;
  family: 4 | 6;
}

export interface DnsFacts {
  host: string;
  /** `override`: from ingress.resolve, no lookup made */
  source: 'override' | 'dns';
  addresses: DnsAnswer[];
  /** port from an override `address:port`, if it had one */
  port?: number;
  ms: number;
  error?: NetError;
}

/** Parses `address`, `address:port` or `[v6]:port`. */
export function parseOverride(value: string): { address: string; port?: number } | undefined {
  const v = value.trim();
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(v);
  if (bracket) return isIP(bracket[1]) === 6 ? { address: bracket[1], port: bracket[2] ? Number(bracket[2]) : undefined } : undefined;
  if (isIP(v)) return { address: v };
  const m = /^([^:]+):(\d+)$/.exec(v);
  if (m && isIP(m[1]) === 4) return { address: m[1], port: Number(m[2]) };
  return undefined;
}

export async function resolveHost(host: string, opts: { overrides: Record<string, string>; timeoutMs: number }): Promise<DnsFacts> {
  const t0 = performance.now();
  const ms = () => Math.round((performance.now() - t0) * 10) / 10;
  const override = opts.overrides[host];
  if (override !== undefined) {
    const o = parseOverride(override);
    if (!o) {
      return { host, source: 'override', addresses: [], ms: 0, error: { kind: 'dns', message: `ingress.resolve entry "${override}" for ${host} is not address[:port]` } };
    }
    return { host, source: 'override', addresses: [{ address: o.address, family: isIP(o.address) as 4 | 6 }], port: o.port, ms: 0 };
  }
  // getaddrinfo cannot be cancelled; the race bounds how long we wait for it.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((res) => (timer = setTimeout(() => res('timeout'), opts.timeoutMs)));
  try {
    const r = await Promise.race([lookup(host, { all: true, verbatim: true }), deadline]);
    if (r === 'timeout') return { host, source: 'dns', addresses: [], ms: ms(), error: timeoutError(`DNS lookup of ${host}`, opts.timeoutMs) };
    return { host, source: 'dns', addresses: r.map((a) => ({ address: a.address, family: a.family as 4 | 6 })), ms: ms() };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const error: NetError =
      code === 'ENOTFOUND' || code === 'EAI_NONAME' || code === 'EAI_NODATA'
        ? { kind: 'dns', code, message: `${host} does not resolve (${code})` }
        : code === 'EAI_AGAIN'
          ? { kind: 'dns', code, message: `DNS lookup of ${host} failed temporarily (EAI_AGAIN: no answer from the resolver)` }
          : { ...classifyError(e, `DNS lookup of ${host}`), kind: 'dns' };
    return { host, source: 'dns', addresses: [], ms: ms(), error };
  } finally {
    clearTimeout(timer);
  }
}
