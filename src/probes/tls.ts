// TLS facts for one host: TCP connect and handshake with SNI, what was negotiated, and the certificate
// chain exactly as the server sent it. Never judges: a bad certificate is a fact, not an error, so the
// handshake never verifies (rejectUnauthorized false) and accepts legacy protocols and ciphers
// (SECLEVEL=0) — a probe has to be able to see what a policy will then reject.
import net from 'node:net';
import tls, { type PeerCertificate, type DetailedPeerCertificate } from 'node:tls';
import { classifyError, timeoutError, type NetError } from './net-errors.ts';

export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

/** OpenSSL refuses TLS 1.0/1.1 and weak keys or SHA-1 at its default security level; 0 lets us observe them. */
const OBSERVE_EVERYTHING = 'DEFAULT@SECLEVEL=0';

export interface TlsTarget {
  address: string;
  port: number;
  /** SNI and the name the certificate is meant for */
  servername: string;
  timeoutMs: number;
}

export interface TlsHandshakeFacts {
  ok: boolean;
  error?: NetError;
  connect_ms?: number;
  /** handshake only, after the TCP connect */
  tls_ms?: number;
  protocol?: string;
  cipher?: { name: string; standardName?: string; version: string };
  /** DER of each certificate the server sent, leaf first (order normalised by issuer links; see chainAsSent) */
  chain: Buffer[];
}

export async function tlsHandshake(t: TlsTarget, versions?: { min: TlsVersion; max: TlsVersion }): Promise<TlsHandshakeFacts> {
  const t0 = performance.now();
  const since = (t: number) => Math.round((performance.now() - t) * 10) / 10;
  return new Promise((resolve) => {
    let stage = `TCP connect to ${t.address}:${t.port}`;
    let done = false;
    let connect_ms: number | undefined;
    let tlsSocket: tls.TLSSocket | undefined;
    const raw = net.connect({ host: t.address, port: t.port });
    const finish = (f: Omit<TlsHandshakeFacts, 'connect_ms'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      tlsSocket?.destroy();
      raw.destroy();
      resolve({ connect_ms, ...f });
    };
    const timer = setTimeout(() => finish({ ok: false, chain: [], error: timeoutError(stage, t.timeoutMs) }), t.timeoutMs);
    raw.on('error', (e) => finish({ ok: false, chain: [], error: classifyError(e, stage) }));
    raw.once('connect', () => {
      connect_ms = since(t0);
      const t1 = performance.now();
      stage = `TLS handshake with ${t.servername} at ${t.address}:${t.port}`;
      tlsSocket = tls.connect({
        socket: raw,
        servername: t.servername,
        rejectUnauthorized: false,
        // An empty store: OpenSSL then cannot append issuers from a trust store, so the chain is what was sent.
        ca: [],
        ciphers: OBSERVE_EVERYTHING,
        minVersion: versions?.min ?? 'TLSv1',
        maxVersion: versions?.max ?? 'TLSv1.3',
        ALPNProtocols: ['http/1.1'],
      });
      tlsSocket.on('error', (e) => finish({ ok: false, chain: [], error: classifyError(e, stage) }));
      tlsSocket.once('secureConnect', () => {
        const s = tlsSocket!;
        const c = s.getCipher();
        finish({
          ok: true,
          tls_ms: since(t1),
          protocol: s.getProtocol() ?? undefined,
          cipher: { name: c.name, standardName: c.standardName, version: c.version },
          chain: chainAsSent(s.getPeerCertificate(true)),
        });
      });
    });
  });
}

/**
 * The peer's chain from Node's detailed certificate: with an empty CA store the issuer links stop at
 * the last certificate the server sent (checked by experiment: a store holding the root appends it,
 * an empty one does not). Node links certificates by issuer, so a misordered chain comes back in
 * order and a sent certificate that issues nothing in the chain is not visible.
 */
export function chainAsSent(leaf: DetailedPeerCertificate | PeerCertificate | undefined): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let c = leaf as DetailedPeerCertificate | undefined;
  while (c && c.raw && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    out.push(c.raw);
    c = c.issuerCertificate;
  }
  return out;
}

export interface ProtocolOffer {
  version: TlsVersion;
  accepted: boolean;
  /** why a version was not accepted (the server's alert, or a connection error) */
  error?: NetError;
}

/** Tries each protocol version on its own handshake (min = max), all at once. */
export async function offeredProtocols(t: TlsTarget): Promise<ProtocolOffer[]> {
  return Promise.all(
    TLS_VERSIONS.map(async (version) => {
      const r = await tlsHandshake(t, { min: version, max: version });
      return r.ok && r.protocol === version ? { version, accepted: true } : { version, accepted: false, error: r.error };
    }),
  );
}
