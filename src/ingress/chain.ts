// Chain building against the trust we were given, and nothing else: Node's root store, the file named
// by NODE_EXTRA_CA_CERTS and the profile's ingress.ca_bundle. Issuers are never fetched (no AIA), so a
// server that does not send its intermediate is caught even when a browser would paper over it.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { InputError } from '../errors.ts';
import { issuedBy } from './cert.ts';

export interface TrustStore {
  /** self-signed certificates we trust */
  anchors: X509Certificate[];
  /** non-self-signed certificates from the bundle: known intermediates, usable to build a path but not sent */
  intermediates: X509Certificate[];
  /** what went in, for evidence */
  sources: string[];
}

export function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

let systemAnchors: X509Certificate[] | undefined;

function system(): X509Certificate[] {
  systemAnchors ??= tls.rootCertificates.map((pem) => new X509Certificate(pem));
  return systemAnchors;
}

/** `bundleKey` names the profile key for the message when the bundle cannot be read. */
export function loadTrustStore(bundle?: string, bundleKey = 'ingress.ca_bundle'): TrustStore {
  const store: TrustStore = { anchors: [...system()], intermediates: [], sources: [`node root store (${system().length})`] };
  const add = (file: string, key: string) => {
    let pems: string[];
    try {
      pems = splitPem(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new InputError(`${key}: cannot read CA bundle ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (!pems.length) throw new InputError(`${key}: ${file} holds no PEM certificate`);
    for (const pem of pems) {
      let x: X509Certificate;
      try {
        x = new X509Certificate(pem);
      } catch (e) {
        throw new InputError(`${key}: ${file} holds a certificate that cannot be parsed (${(e as Error).message})`);
      }
      (x.checkIssued(x) && issuedBy(x, x) ? store.anchors : store.intermediates).push(x);
    }
    store.sources.push(`${file} (${pems.length})`);
  };
  if (process.env.NODE_EXTRA_CA_CERTS) add(process.env.NODE_EXTRA_CA_CERTS, 'NODE_EXTRA_CA_CERTS');
  if (bundle) add(bundle, bundleKey);
  return store;
}

export interface PathLink {
  cert: X509Certificate;
  /** sent by the server, a trust anchor we hold, or an intermediate from the bundle (not sent) */
  source: 'sent' | 'anchor' | 'bundle';
}

export type PathResult =
  /** ends at a trust anchor (sent or not) */
  | { kind: 'trusted'; path: PathLink[] }
  /** ends at a self-signed certificate we do not trust */
  | { kind: 'untrusted_root'; path: PathLink[] }
  /** the issuer of the last certificate was neither sent nor known */
  | { kind: 'issuer_missing'; path: PathLink[] };

const MAX_DEPTH = 10;

/** `sent[0]` is the leaf. */
export function buildPath(sent: X509Certificate[], store: TrustStore): PathResult {
  const path: PathLink[] = [{ cert: sent[0], source: 'sent' }];
  const used = new Set([sent[0].fingerprint256]);
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const cur = path[path.length - 1].cert;
    if (store.anchors.some((a) => sameCert(a, cur))) return { kind: 'trusted', path };
    if (cur.checkIssued(cur) && issuedBy(cur, cur)) return { kind: 'untrusted_root', path };
    const anchor = store.anchors.find((a) => issuedBy(cur, a));
    if (anchor) return { kind: 'trusted', path: [...path, { cert: anchor, source: 'anchor' }] };
    const next =
      pick(sent, used, cur, 'sent') ?? pick(store.intermediates, used, cur, 'bundle');
    if (!next) return { kind: 'issuer_missing', path };
    used.add(next.cert.fingerprint256);
    path.push(next);
  }
  return { kind: 'issuer_missing', path };
}

function pick(pool: X509Certificate[], used: Set<string>, cur: X509Certificate, source: PathLink['source']): PathLink | undefined {
  const c = pool.find((p) => !used.has(p.fingerprint256) && issuedBy(cur, p));
  return c ? { cert: c, source } : undefined;
}

/** The same certificate, or the same subject and key (a re-issued root). */
function sameCert(a: X509Certificate, b: X509Certificate): boolean {
  if (a.fingerprint256 === b.fingerprint256) return true;
  if (a.subject !== b.subject) return false;
  const der = (x: X509Certificate) => x.publicKey.export({ type: 'spki', format: 'der' });
  return der(a).equals(der(b));
}
